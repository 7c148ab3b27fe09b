"""Payroll periods for the tests, computed here by calendar rules (not taken from the code under test)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

from inleg.platform.domain.contributions import PayrollPeriod, PeriodKey

T0 = datetime(2025, 1, 2, 9, 0, tzinfo=UTC)


def months(*years: int) -> list[PayrollPeriod]:
    return [
        PayrollPeriod(y, m, date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]))
        for y in years
        for m in range(1, 13)
    ]


def four_weeks(year: int) -> list[PayrollPeriod]:
    """13 periods of 4 ISO weeks; the 13th takes week 53 when the year has one."""
    first = date.fromisocalendar(year, 1, 1)
    weeks = date(year, 12, 28).isocalendar().week
    result = []
    for n in range(1, 14):
        start = first + timedelta(weeks=4 * (n - 1))
        end = date.fromisocalendar(year, 4 * n if n < 13 else weeks, 7)
        result.append(PayrollPeriod(year, n, start, end))
    return result


def key(year: int, number: int) -> PeriodKey:
    return PeriodKey(year, number)


def at(day: int, month: int = 1, year: int = 2025, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)
