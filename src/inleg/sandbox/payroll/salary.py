"""An employment's salary and part-time factor in a payroll period, from its wage and working-hours chains.

The chains are the one source of truth: the API's actual wages and working hours and the payroll run read the
same records. A full-time wage is scaled by the part-time factor of the working hours valid on the same days
(Loket's recommended ``isGrossWageFullTime``); a part-time wage is paid as it is. Where a record changes inside
a period, or the employment starts or ends inside it, each stretch of days counts pro rata by calendar days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Protocol

CENT = Decimal("0.01")


class Dated(Protocol):
    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date | None: ...


class WageTerms(Dated, Protocol):
    @property
    def gross_wage(self) -> Decimal: ...
    @property
    def is_full_time(self) -> bool: ...


class HoursTerms(Dated, Protocol):
    """Working hours with their part-time factor and the full-time hours of their shift."""

    @property
    def part_time_factor(self) -> Decimal: ...
    @property
    def full_time_hours(self) -> Decimal: ...


class MissingHours(Exception):
    """A full-time wage on a day without working hours: its part-time factor is unknown."""

    def __init__(self, day: date) -> None:
        super().__init__(day)
        self.day = day


def valid_on[R: Dated](records: Sequence[R], day: date) -> R | None:
    for record in records:
        if record.start_date <= day and (record.end_date is None or day <= record.end_date):
            return record
    return None


def active_days(employment: Dated, start: date, end: date) -> tuple[date, date] | None:
    """The days of [start, end] on which the employment runs, or None."""
    first = max(start, employment.start_date)
    last = min(end, employment.end_date or end)
    return (first, last) if first <= last else None


def _stretches(first: date, last: date, chains: Sequence[Sequence[Dated]]) -> list[tuple[date, date]]:
    """[first, last] cut wherever a record of a chain starts or ends."""
    cuts = {first, last + timedelta(days=1)}
    for chain in chains:
        for record in chain:
            if first < record.start_date <= last:
                cuts.add(record.start_date)
            if record.end_date is not None and first <= record.end_date < last:
                cuts.add(record.end_date + timedelta(days=1))
    ordered = sorted(cuts)
    return [(a, b - timedelta(days=1)) for a, b in pairwise(ordered)]


def period_salary(
    employment: Dated, wages: Sequence[WageTerms], hours: Sequence[HoursTerms], start: date, end: date
) -> Decimal:
    """The salary of the period [start, end], to the cent (half up); 0.00 where no wage is valid.

    Raises ``MissingHours`` when a full-time wage meets a day without working hours.
    """
    days = active_days(employment, start, end)
    if days is None:
        return Decimal("0.00")
    period_days = (end - start).days + 1
    total = Decimal(0)
    for a, b in _stretches(*days, (wages, hours)):
        wage = valid_on(wages, a)
        if wage is None:
            continue
        amount = wage.gross_wage
        if wage.is_full_time:
            record = valid_on(hours, a)
            if record is None:
                raise MissingHours(a)
            amount *= record.part_time_factor
        total += amount * ((b - a).days + 1)
    return (total / period_days).quantize(CENT, rounding=ROUND_HALF_UP)
