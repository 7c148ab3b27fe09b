"""The domain's one overlap rule, on hand-picked edges (both ends count; None is open)."""

from __future__ import annotations

from datetime import date

import pytest

from inleg.platform.domain.contributions.intervals import overlaps

D = date.fromisoformat


@pytest.mark.parametrize(
    ("a", "b", "share"),
    [
        ((D("2025-01-01"), D("2025-01-31")), (D("2025-01-31"), None), True),  # the last day is shared
        ((D("2025-01-01"), D("2025-01-31")), (D("2025-02-01"), None), False),  # joins up, no shared day
        ((D("2025-03-01"), None), (D("2024-01-01"), D("2025-02-28")), False),
        ((D("2025-03-01"), None), (D("2030-01-01"), None), True),  # two open ends always meet
        ((D("2025-01-10"), D("2025-01-10")), (D("2025-01-01"), D("2025-01-31")), True),  # one day inside
    ],
)
def test_overlaps(a: tuple[date, date | None], b: tuple[date, date | None], share: bool) -> None:
    assert overlaps(*a, *b) is share
    assert overlaps(*b, *a) is share
