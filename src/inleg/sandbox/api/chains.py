"""Broken chains (Loket's date chains without links): records of one key may not overlap; gaps are allowed.

When a new record starts after an open record (no end date), the open one is closed the day before.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol


class Dated(Protocol):
    start_date: date
    end_date: date | None


class Overlap(Exception):
    def __init__(self, other: Dated) -> None:
        super().__init__(other)
        self.other = other


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


def place[R: Dated](existing: list[R], start: date, end: date | None) -> R | None:
    """Check a new record [start, end] against the chain; returns the open record to close, if any.

    Raises ``Overlap`` naming the record it would overlap.
    """
    to_close: R | None = None
    for record in existing:
        if record.end_date is None and record.start_date < start:
            to_close = record
            continue
        if _overlaps(start, end, record.start_date, record.end_date):
            raise Overlap(record)
    return to_close


def check_update[R: Dated](others: list[R], start: date, end: date | None) -> None:
    """A changed record must not overlap any other record of its chain (no automatic closing)."""
    for record in others:
        if _overlaps(start, end, record.start_date, record.end_date):
            raise Overlap(record)


def day_before(day: date) -> date:
    return day - timedelta(days=1)
