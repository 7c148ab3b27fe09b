"""Payroll periods (verloningsperioden) and the first period a change may still apply to.

A payroll administration has 12 monthly or 13 four-weekly periods a year (Loket's
GetPayrollPeriodsByPayrollAdministrationId). Once the payroll has run a period, that period is closed: a
change never touches it. A change made shortly before an open period ends would reach the payroll
administrator too late to check, so a cut-off of N working days applies: a change applies to an open period
only if at least N whole working days of that period remain after the day of the change; else it applies to
the next period.

Working days are Monday to Friday less the public holidays of the Algemene termijnenwet (``holidays.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from inleg.platform.domain.contributions.errors import InvalidCutoff, InvalidMoment, InvalidPeriod, NoOpenPeriod
from inleg.platform.domain.contributions.holidays import working_days_after

NETHERLANDS = ZoneInfo("Europe/Amsterdam")
MAX_CUTOFF = 20  # working days: four weeks, the length of the shortest period


@dataclass(frozen=True, order=True, slots=True)
class PeriodKey:
    """A payroll period by year and number; ordered as the payroll runs them."""

    year: int
    number: int

    def __post_init__(self) -> None:
        for name, value, low, high in (("year", self.year, 1900, 9999), ("number", self.number, 1, 13)):
            if type(value) is not int or not low <= value <= high:
                raise InvalidPeriod(f"period.{name}", value, f"is not a whole number from {low} to {high}")

    @property
    def loket_id(self) -> int:
        """Loket's integer id of a payroll period (``202503`` for 2025 period 3)."""
        return self.year * 100 + self.number

    def __str__(self) -> str:
        return f"{self.year}-{self.number:02d}"


@dataclass(frozen=True, slots=True)
class PayrollPeriod:
    year: int
    number: int
    start: date
    end: date
    key: PeriodKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", PeriodKey(self.year, self.number))  # validates year and number
        if not isinstance(self.start, date) or not isinstance(self.end, date) or self.end < self.start:
            raise InvalidPeriod(f"period {self.year}-{self.number:02d}.end", self.end, f"lies before {self.start}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def ordered(periods: Iterable[PayrollPeriod]) -> list[PayrollPeriod]:
    """The periods by key, checked: no key twice, dates rising with the keys and never overlapping."""
    result = sorted(periods, key=lambda p: p.key)
    for before, after in itertools.pairwise(result):
        if before.key == after.key:
            raise InvalidPeriod("periods", str(after.key), "is listed twice")
        if after.start <= before.end:
            raise InvalidPeriod(
                f"period {after.key}.start", after.start, f"lies on or before the end of period {before.key}"
            )
    return result


def day_in_netherlands(moment: datetime) -> date:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidMoment("moment", moment, "has no time zone; the day in the Netherlands cannot be told")
    return moment.astimezone(NETHERLANDS).date()


def open_periods(periods: Iterable[PayrollPeriod], ran: Collection[PeriodKey]) -> list[PayrollPeriod]:
    """The periods after the last one the payroll has run.

    The payroll runs periods in order, so a period before a run one that is not itself marked as run is
    treated as closed too: the platform never writes behind the payroll's back.
    """
    last_run = max(ran, default=None)
    return [p for p in ordered(periods) if last_run is None or p.key > last_run]


def first_period_for_change(
    periods: Sequence[PayrollPeriod], ran: Collection[PeriodKey], moment: datetime, cutoff_working_days: int
) -> PayrollPeriod:
    """The first period a change made at ``moment`` may apply to (what the page shows before saving).

    ``ran``: the periods the payroll has run (any run that was not removed or cancelled).
    ``cutoff_working_days``: a change applies to an open period only if at least this many working days of
    the period remain after the day of the change. Example: January 2025 ends on Friday the 31st; with a
    cut-off of 3, a change on Tuesday the 28th leaves the 29th, 30th and 31st and applies to January; a change on
    Wednesday the 29th applies to February.
    """
    if type(cutoff_working_days) is not int or not 0 <= cutoff_working_days <= MAX_CUTOFF:
        raise InvalidCutoff(
            "cutoff_working_days", cutoff_working_days, f"is not a whole number of working days from 0 to {MAX_CUTOFF}"
        )
    day = day_in_netherlands(moment)
    for period in open_periods(periods, ran):
        if day <= period.end and working_days_after(day, period.end) >= cutoff_working_days:
            return period
    raise NoOpenPeriod(
        "moment",
        day.isoformat(),
        "falls after the cut-off of every open payroll period Loket lists; the next periods must be opened in Loket",
    )
