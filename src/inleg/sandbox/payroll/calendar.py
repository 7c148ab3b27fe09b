"""Payroll periods of a year: months, or four-week periods of ISO weeks (period 13 takes week 53)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def period_count(frequency: str) -> int:
    return 12 if frequency == "month" else 13


def period_bounds(frequency: str, year: int, number: int) -> tuple[date, date]:
    if frequency == "month":
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    first_monday = date.fromisocalendar(year, 1, 1)
    start = first_monday + timedelta(weeks=4 * (number - 1))
    weeks_in_year = date(year, 12, 28).isocalendar().week
    last_week = 4 * number if number < 13 else weeks_in_year
    end = date.fromisocalendar(year, last_week, 7)
    return start, end
