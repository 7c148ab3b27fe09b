"""Per payroll period: what was planned, what Loket holds on our two components, and what the payroll paid.

- planned: the history's amounts (employer's gross plus the employee's own net) for the period, as the plan
  computes them; the salary of a percentage is the one Loket holds now.
- held by Loket: the records on our components valid on the employment's last day in the period (the period's
  last day, or the leaver's end date): the payroll takes a fixed value into a period when it is valid then.
- paid: the excasso of the approved run as read back (``PaidAmount``); None while no approved run was read.

An employment counts in a period when it overlaps it. Records that someone else made on our components count as
held too: a difference then shows what the payroll administrator must look at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from inleg.loket import LoketClient
from inleg.platform.accounts.models import Company
from inleg.platform.contributions import services
from inleg.platform.contributions.models import PaidAmount, ResultsRead, Version
from inleg.platform.domain import contributions as domain
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.services import client_for


@dataclass(frozen=True)
class Line:
    employment: Employment
    planned: Cents
    held: Cents
    paid: Cents | None  # None: no approved run read for the period yet

    @property
    def differs(self) -> bool:
        return self.planned != self.held or (self.paid is not None and self.paid != self.planned)


@dataclass(frozen=True)
class PeriodRow:
    period: domain.PayrollPeriod
    planned: Cents
    held: Cents
    paid: Cents | None
    employments: int
    differences: int

    @property
    def differs(self) -> bool:
        return self.differences > 0


def last_day_in(employment: Employment, period: domain.PayrollPeriod) -> date | None:
    """The employment's last day within the period (None: it does not overlap the period)."""
    if employment.start_date > period.end or (employment.end_date is not None and employment.end_date < period.start):
        return None
    return min(period.end, employment.end_date) if employment.end_date is not None else period.end


def shown_periods(company: Company, client: LoketClient | None = None) -> list[domain.PayrollPeriod]:
    """From the first period a change was made for through the first open one (and any period paid)."""
    periods, _ = services.payroll_periods(company, client)
    first = Version.objects.filter(company=company).order_by("from_year", "from_number").first()
    paid = set(PaidAmount.objects.filter(company=company).values_list("year", "number").distinct())
    if first is None and not paid:
        return []
    open_key = services.effective_period(company, client=client).key
    start = first.from_period if first is not None else min(PeriodKey(y, n) for y, n in paid)
    return [p for p in sorted(periods, key=lambda p: p.key) if start <= p.key <= open_key or (p.year, p.number) in paid]


def _held(
    client: LoketClient,
    employer_id: str,
    keys: tuple[int, int],
    period: domain.PayrollPeriod,
    employments: Iterable[Employment],
) -> dict[str, Cents]:
    """Per employment's Loket id: the sum of its records on our components valid on its last day in ``period``."""
    held: dict[str, int] = defaultdict(int)
    for record in client.actual_benefits_and_deductions(employer_id, period.end):
        if record.component_key in keys and record.employment_id is not None:
            held[record.employment_id] += Cents.parse(record.value, "value").value
    for employment in employments:  # a leaver within the period: the records valid on the end date
        day = last_day_in(employment, period)
        if day is None or day == period.end:
            continue
        held[employment.loket_id] = sum(
            Cents.parse(r.value, "value").value
            for r in client.benefits_and_deductions(employment.loket_id)
            if r.component_key in keys and r.start_date <= day and (r.end_date is None or r.end_date >= day)
        )
    return {k: Cents(v) for k, v in held.items()}


def lines_of(
    company: Company, periods: Iterable[domain.PayrollPeriod], *, client: LoketClient | None = None
) -> dict[PeriodKey, list[Line]]:
    connection = services.connection_of(company)
    client = client or client_for(connection)
    components = services.components_of(connection)
    keys = (components.gross, components.net)
    history = services.history(company)
    employments = list(Employment.objects.filter(company=company).select_related("employee").order_by("pk"))
    paid_rows = PaidAmount.objects.filter(company=company)
    paid = {(p.employment_id, p.year, p.number): Cents(p.excasso_cents) for p in paid_rows}
    read = {(p.year, p.number) for p in paid_rows} | set(
        ResultsRead.objects.filter(company=company).exclude(run_id="").values_list("year", "number")
    )
    result: dict[PeriodKey, list[Line]] = {}
    for period in periods:
        present = [e for e in employments if last_day_in(e, period) is not None]
        held = _held(client, connection.employer_id, keys, period, present)
        lines = []
        for employment in present:
            salary = Cents.parse(employment.salary, "salary") if employment.salary is not None else None
            amounts = domain.amounts_for(employment.loket_id, period, history, salary)
            planned = (amounts.gross or Cents(0)).value + amounts.net.value
            was_read = (period.year, period.number) in read
            lines.append(
                Line(
                    employment,
                    Cents(planned),
                    held.get(employment.loket_id, Cents(0)),
                    paid.get((employment.pk, period.year, period.number), Cents(0)) if was_read else None,
                )
            )
        result[period.key] = lines
    return result


def period_rows(company: Company, *, client: LoketClient | None = None) -> list[PeriodRow]:
    connection = services.connection_of(company)
    client = client or client_for(connection)
    periods = shown_periods(company, client)
    by_period = lines_of(company, periods, client=client)
    rows = []
    for period in periods:
        lines = by_period[period.key]
        paid = [line.paid for line in lines if line.paid is not None]
        read = any(line.paid is not None for line in lines)
        rows.append(
            PeriodRow(
                period,
                Cents(sum(line.planned.value for line in lines)),
                Cents(sum(line.held.value for line in lines)),
                Cents(sum(p.value for p in paid)) if read else None,
                len(lines),
                sum(1 for line in lines if line.differs),
            )
        )
    return rows
