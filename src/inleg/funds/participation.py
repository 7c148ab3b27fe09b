"""Participation (deelname): on which days of the payroll year a fund applies to an employment."""

from __future__ import annotations

from datetime import date

from inleg.funds.calendar import ONE_DAY, PayrollYear, add_months, birthday_in
from inleg.funds.model import AgeMoment, Employment, EmploymentFund, Fund, Moment


def moment_date(born: date, moment: AgeMoment) -> date:
    """The date an entry or exit moment (in- or eindmoment) falls on for someone born on ``born``."""
    reached = birthday_in(born, born.year + moment.age)
    if moment.moment is Moment.MONTH_START:
        reached = reached.replace(day=1)
    elif moment.moment is Moment.NEXT_MONTH_START:
        reached = add_months(reached.replace(day=1), 1)
    return add_months(reached, moment.extra_months)


def fund_span(year: PayrollYear, employment: Employment, fund: Fund, link: EmploymentFund) -> tuple[date, date]:
    """First and last day (inclusive) on which the fund applies; empty when the first is after the last.

    The retroactive rule: a fund is never calculated for an earlier year, so a hire date before the
    payroll year counts as the payroll year's first day.
    """
    start = max(employment.hire_date, year.first_day)
    if fund.entry is not None:
        start = max(start, moment_date(employment.birth_date, fund.entry))
    if link.start_date is not None:
        start = max(start, link.start_date)
    end = employment.end_date or date.max
    if fund.exit is not None:
        end = min(end, moment_date(employment.birth_date, fund.exit) - ONE_DAY)
    if link.end_date is not None:
        end = min(end, link.end_date)
    return start, end
