"""The payroll calendar (verloningskalender): periods, SV-days and calendar days of a payroll year.

Month payroll has 12 periods, one per calendar month. Four-week payroll has 13 periods of four ISO
weeks each; in an ISO year with 53 weeks the 13th period also holds week 53 (funds.md section 2).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache


class Frequency(StrEnum):
    MONTH = "month"
    FOUR_WEEKS = "four_weeks"


@dataclass(frozen=True, slots=True)
class Period:
    number: int
    start: date
    end: date

    @property
    def sv_days(self) -> int:
        return sv_days_between(self.start, self.end)

    @property
    def calendar_days(self) -> int:
        return (self.end - self.start).days + 1


def sv_days_between(start: date, end: date) -> int:
    """SV-days (sv-dagen) of an inclusive date range: its weekdays, Monday to Friday."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    first = start.weekday()
    count += sum(1 for offset in range(rest) if (first + offset) % 7 < 5)
    return count


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months; a day the target month lacks becomes that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def birthday_in(born: date, year: int) -> date:
    """The birthday in ``year``; someone born on 29 February has it on 1 March in other years."""
    if born.month == 2 and born.day == 29 and not _stdlib_calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, born.month, born.day)


def age_on(born: date, day: date) -> int:
    """Age in completed years on ``day``."""
    age = day.year - born.year
    if day < birthday_in(born, day.year):
        age -= 1
    return age


@dataclass(frozen=True, slots=True)
class PayrollYear:
    """A payroll year; ``payroll_year`` builds it (and keeps one per year and frequency)."""

    year: int
    frequency: Frequency
    periods: tuple[Period, ...]
    n: int  # N: 12 for month payroll, 13 for four-week payroll
    sv_year: int  # SV_YEAR: the SV-days of all periods of the payroll year
    cal_year: int  # CAL_YEAR: the calendar days of all periods of the payroll year

    @property
    def first_day(self) -> date:
        return self.periods[0].start

    @property
    def last_day(self) -> date:
        return self.periods[-1].end


@cache
def payroll_year(year: int, frequency: Frequency) -> PayrollYear:
    if frequency is Frequency.MONTH:
        periods = tuple(
            Period(m, date(year, m, 1), date(year, m, _stdlib_calendar.monthrange(year, m)[1])) for m in range(1, 13)
        )
    else:
        weeks_in_year = date(year, 12, 28).isocalendar().week  # 28 December always lies in the last week
        periods = tuple(
            Period(
                k,
                date.fromisocalendar(year, 4 * k - 3, 1),
                date.fromisocalendar(year, weeks_in_year if k == 13 else 4 * k, 7),
            )
            for k in range(1, 14)
        )
    return PayrollYear(
        year,
        frequency,
        periods,
        n=len(periods),
        sv_year=sum(p.sv_days for p in periods),
        cal_year=sum(p.calendar_days for p in periods),
    )


def overlap(start: date, end: date, other_start: date, other_end: date) -> tuple[date, date] | None:
    """The inclusive intersection of two date ranges, or None."""
    lo, hi = max(start, other_start), min(end, other_end)
    return (lo, hi) if lo <= hi else None


ONE_DAY = timedelta(days=1)
