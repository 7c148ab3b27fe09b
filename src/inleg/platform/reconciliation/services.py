"""The reconciliation of a company's period: the four amounts per employment read in bulk, then the domain's verdict.

Where each amount comes from:

- **asked**: the scheme's history as contributions keeps it (``amounts_for``), with the salary Loket holds now
  (contributions' plan does the same).
- **held**: what the platform wrote onto the two components and Loket confirmed (contributions' write journal,
  entries *done*), valid on the first day of the period. It is *niet gelezen* (None) when the period's dates are
  not known (Loket's periods never read) or a write of that employment is still pending (its outcome unknown).
  The platform does not read Loket's fixed data back for this page; a value someone typed into Loket by hand is
  not seen here, but shows as a difference with what the payroll paid.
- **paid**: contributions' ``PaidAmount`` (the approved run's results), paid on the day they were read (the
  platform keeps no payment date: the day it first knew, so *te laat* never comes too early).
- **received**: the ledger's entries for the employment and period on its pension accounts; ``waiting`` adds what
  the bank received for them that waits in suspense (a matched credit's surplus, a possible double payment not yet
  placed or returned).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from inleg.platform.accounts.models import Company
from inleg.platform.bank.booking import PLACEMENT_PREFIX, RETURN_PREFIX
from inleg.platform.bank.models import Credit
from inleg.platform.contributions import services as contributions
from inleg.platform.contributions.models import ContributionSettings, JournalEntry, PaidAmount
from inleg.platform.domain import contributions as plan
from inleg.platform.domain import reconciliation as domain
from inleg.platform.domain.contributions.periods import PeriodKey, day_in_netherlands
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.models import LoketConnection
from inleg.platform.ledger import models as ledger


@dataclass(frozen=True, slots=True)
class Line:
    employment: Employment
    row: domain.Row
    verdict: domain.Verdict

    @property
    def asked(self) -> domain.Pair | None:
        return self.row.asked

    @property
    def held(self) -> domain.Pair | None:
        return self.row.held

    @property
    def paid(self) -> domain.Pair | None:
        return self.row.paid.amounts if self.row.paid else None

    @property
    def received(self) -> Cents:
        return self.row.received.total + self.row.waiting


@dataclass(frozen=True, slots=True)
class Totals:
    period: PeriodKey
    asked: Cents
    held: Cents | None  # None: not read for every row
    paid: Cents
    received: Cents


def overdue_bank_days() -> int:
    return int(settings.RECONCILIATION_OVERDUE_BANK_DAYS)


def _periods(company: Company) -> tuple[dict[PeriodKey, tuple[date, date, bool]], int]:
    own = ContributionSettings.objects.filter(company=company).first()
    if own is None:
        return {}, 3
    return (
        {
            PeriodKey(r["year"], r["number"]): (date.fromisoformat(r["start"]), date.fromisoformat(r["end"]), r["ran"])
            for r in own.periods
        },
        own.cutoff_working_days,
    )


def known_periods(company: Company) -> list[PeriodKey]:
    """Periods with anything to reconcile: paid by the payroll or booked in the ledger, newest last."""
    paid = set(PaidAmount.objects.filter(company=company).values_list("year", "number").distinct())
    booked = set(
        ledger.Entry.objects.filter(company=company, year__isnull=False).values_list("year", "number").distinct()
    )
    return sorted(PeriodKey(y, n) for y, n in paid | booked if y is not None and n is not None)


def _held(
    company: Company, window: tuple[date, date] | None
) -> tuple[dict[str, dict[int, tuple[Cents, date]]], set[str]]:
    """Per employment (Loket id) and component: the value written and confirmed for the period ``window`` (the
    record overlapping it that starts last: one starting mid-period, for someone who joined then, counts), with the
    day it was written; and the employments with a write whose outcome is not known."""
    records: dict[tuple[str, int], dict[str, tuple[date | None, date | None, Cents, date]]] = defaultdict(dict)
    pending: set[str] = set()
    for entry in JournalEntry.objects.filter(company=company).order_by("made_at", "pk"):
        if entry.status == plan.Status.PENDING:
            pending.add(entry.employment_id)
            continue
        if entry.status != plan.Status.DONE or not entry.record_id:
            continue
        on = records[(entry.employment_id, entry.component_key)]
        if entry.action == plan.Action.DELETE:
            on.pop(entry.record_id, None)
        else:
            value = Cents(entry.value_cents or 0)
            on[entry.record_id] = (entry.start, entry.end, value, day_in_netherlands(entry.made_at))
    held: dict[str, dict[int, tuple[Cents, date]]] = defaultdict(dict)
    if window is None:
        return held, pending
    first, last = window
    for (employment, component), on in records.items():
        overlapping = sorted(
            (record_start, value, written)
            for record_start, record_end, value, written in on.values()
            if record_start is not None and record_start <= last and (record_end is None or first <= record_end)
        )
        if overlapping:
            _start, value, written = overlapping[-1]
            held[employment][component] = (value, written)
    return held, pending


def _received(company: Company, period: PeriodKey) -> tuple[dict[int, dict[str, int]], dict[int, int]]:
    """Per employment pk: held on its pension accounts for ``period``; and what waits in suspense from its
    matched credits (the surplus) for that period."""
    rows = (
        ledger.Posting.objects.filter(
            entry__company=company,
            entry__year=period.year,
            entry__number=period.number,
            entry__employment__isnull=False,
        )
        .values("entry__employment", "account__kind")
        .annotate(total=Sum("amount_cents"))
    )
    held: dict[int, dict[str, int]] = defaultdict(dict)
    waiting: dict[int, int] = defaultdict(int)
    for r in rows:
        employment, kind, total = r["entry__employment"], r["account__kind"], -int(r["total"])
        if kind in (ledger.Account.Kind.EMPLOYER, ledger.Account.Kind.OWN):
            held[employment][kind] = held[employment].get(kind, 0) + total
        elif kind == ledger.Account.Kind.SUSPENSE:
            waiting[employment] += total
    return held, waiting


def _possible_doubles(company: Company, period: PeriodKey) -> dict[int, int]:
    """Per employee pk: credits naming them for ``period`` that wait *niet herkend* (not reversed, not decided)."""
    rows = Credit.objects.filter(
        company=company,
        kind=Credit.Kind.CREDIT,
        status=Credit.Status.UNRECOGNISED,
        employee__isnull=False,
        year=period.year,
        period=period.number,
        reversed_by__isnull=True,
    ).values_list("key", "employee_id", "amount_cents")
    keys = [k for k, _e, _a in rows]
    decided = {
        r.removeprefix(PLACEMENT_PREFIX).removeprefix(RETURN_PREFIX)
        for r in ledger.Entry.objects.filter(
            company=company,
            request_id__in=[PLACEMENT_PREFIX + k for k in keys] + [RETURN_PREFIX + k for k in keys],
        ).values_list("request_id", flat=True)
    }
    waiting: dict[int, int] = defaultdict(int)
    for key, employee, amount in rows:
        if key not in decided and employee is not None:
            waiting[employee] += amount
    return waiting


def reconcile(company: Company, period: PeriodKey, today: date | None = None) -> list[Line]:
    """Every employment of ``company`` with anything asked, held, paid or received in ``period``."""
    today = today or timezone.localdate()
    periods, cutoff = _periods(company)
    dates = periods.get(period)
    connection = LoketConnection.objects.filter(company=company).first()
    gross_key = connection.component_key if connection else None
    net_key = connection.net_component_key if connection else None
    histories = _per_employment(contributions.history(company))
    held, pending = _held(company, (dates[0], dates[1]) if dates else None)
    paid = {
        p.employment_id: p for p in PaidAmount.objects.filter(company=company, year=period.year, number=period.number)
    }
    received, surplus = _received(company, period)
    doubles = _possible_doubles(company, period)
    employments = list(Employment.objects.filter(company=company).select_related("employee").order_by("pk"))
    per_employee: dict[int, int] = defaultdict(int)
    for e in employments:
        per_employee[e.employee_id] += 1
    overdue = overdue_bank_days()
    lines = []
    for employment in employments:
        salary = Cents.parse(employment.salary, "salary") if employment.salary is not None else None
        amounts = plan.amounts_for(employment.loket_id, period, histories(employment.loket_id), salary)
        asked = domain.Pair(amounts.gross, amounts.net) if amounts.gross is not None else None
        if dates is not None and not _employed(employment, dates[0], dates[1]):
            asked = domain.Pair.zero()  # not employed in the period: the scheme asks nothing for it
        on = held.get(employment.loket_id, {})
        known = dates is not None and employment.loket_id not in pending and gross_key is not None
        held_pair = (
            domain.Pair(
                on.get(gross_key, (Cents(0), None))[0] if gross_key else Cents(0),
                on.get(net_key, (Cents(0), None))[0] if net_key else Cents(0),
            )
            if known
            else None
        )
        written = max((w for _v, w in on.values() if w is not None), default=None)
        row_paid = paid.get(employment.pk)
        paid_domain = (
            domain.Paid(
                domain.Pair(Cents(row_paid.gross_cents), Cents(row_paid.net_cents)),
                Cents(row_paid.excasso_cents),
                day_in_netherlands(row_paid.read_at),
            )
            if row_paid is not None
            else None
        )
        got = received.get(employment.pk, {})
        waiting = surplus.get(employment.pk, 0)
        if per_employee[employment.employee_id] == 1:  # a possible double names the employee, not the employment
            waiting += doubles.get(employment.employee_id, 0)
        row = domain.Row(
            asked=asked,
            held=held_pair,
            paid=paid_domain,
            received=domain.Pair(Cents(max(got.get("employer", 0), 0)), Cents(max(got.get("own", 0), 0))),
            waiting=Cents(max(waiting, 0)),
            period_ran=bool(dates and dates[2]) or row_paid is not None,
            period_end=dates[1] if dates else None,
            written_on=written,
        )
        if _empty(row):
            continue
        verdict = domain.assess(row, today, overdue_bank_days=overdue, cutoff=cutoff)
        lines.append(Line(employment, row, verdict))
    return sorted(lines, key=lambda line: (line.employment.employee.last_name, line.employment.pk))


def _per_employment(history: plan.History) -> Callable[[str], plan.History]:
    """Each employment's history: the company's scheme versions and its own (in recorded order). ``amounts_for``
    reads only those, and with 10,000 employments' own versions in one history every call would scan them all."""
    versions = history.versions
    common = [i for i, v in enumerate(versions) if isinstance(v, plan.SchemeChange | plan.SchemeStop)]
    own: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(versions):
        if isinstance(v, plan.EmployeeException | plan.NetContribution):
            own[v.employment_id].append(i)
    merged = {
        employment: plan.History(tuple(versions[i] for i in sorted(common + mine))) for employment, mine in own.items()
    }
    empty = plan.History(tuple(versions[i] for i in common))
    return lambda employment: merged.get(employment, empty)


def _employed(employment: Employment, first: date, last: date) -> bool:
    return employment.start_date <= last and (employment.end_date is None or employment.end_date >= first)


def _empty(row: domain.Row) -> bool:
    return (
        (row.asked is not None and row.asked.total.value == 0)
        and (row.held is None or row.held.total.value == 0)
        and (row.paid is None or (row.paid.amounts.total.value == 0 and row.paid.excasso.value == 0))
        and row.received.total.value == 0
        and row.waiting.value == 0
    )


def totals(company: Company, periods: list[PeriodKey]) -> list[Totals]:
    """The four amounts summed per period (for the chart): asked and held from the reconciliation's rows."""
    result = []
    for period in periods:
        lines = reconcile(company, period)
        held = [line.held for line in lines]
        result.append(
            Totals(
                period,
                Cents(sum(line.asked.total.value for line in lines if line.asked is not None)),
                Cents(sum(h.total.value for h in held if h is not None)) if all(h is not None for h in held) else None,
                Cents(sum(line.paid.total.value for line in lines if line.paid is not None)),
                Cents(sum(line.received.value for line in lines)),
            )
        )
    return result
