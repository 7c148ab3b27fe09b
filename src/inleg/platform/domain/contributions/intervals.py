"""Date ranges, both ends included, an open end (None) running on for ever: the one overlap rule of the domain."""

from __future__ import annotations

from datetime import date


def overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Whether two ranges share a day: 1-31 Jan and 31 Jan-... do, 1-31 Jan and 1 Feb-... do not."""
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)
