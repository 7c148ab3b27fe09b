"""Date ranges and Loket's broken chains (date chains without links): records of one key may not overlap.

A range runs from its start to its end, both included; no end date means open. Gaps between records of a
chain are allowed. When a new record starts after an open record, the open one is closed the day before.
This is the one place that says when two ranges overlap: the API, the admin forms and the payroll run ask it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Protocol

from django.db.models import Q


class Dated(Protocol):
    start_date: date
    end_date: date | None

    @property
    def pk(self) -> Any: ...  # the record's key, which an overlap's message names


class Overlap(Exception):
    def __init__(self, other: Dated) -> None:
        super().__init__(other)
        self.other = other


def overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Whether two ranges share a day (an end of None is open)."""
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


def overlapping(start: date, end: date) -> Q:
    """The records (``start_date``, ``end_date``) that share a day with start..end, as a query."""
    return Q(start_date__lte=end) & ~Q(end_date__lt=start)


def place[R: Dated](existing: list[R], start: date, end: date | None) -> R | None:
    """Check a new record [start, end] against the chain; returns the open record to close, if any.

    Raises ``Overlap`` naming the record it would overlap.
    """
    to_close: R | None = None
    for record in existing:
        if record.end_date is None and record.start_date < start:
            to_close = record
            continue
        if overlaps(start, end, record.start_date, record.end_date):
            raise Overlap(record)
    return to_close


def check_update[R: Dated](others: list[R], start: date, end: date | None) -> None:
    """A changed record must not overlap any other record of its chain (no automatic closing)."""
    for record in others:
        if overlaps(start, end, record.start_date, record.end_date):
            raise Overlap(record)


def day_before(day: date) -> date:
    return day - timedelta(days=1)
