"""An employee's pension account as the app shows it: the balance (employer and own money apart), deposits per
period, and each period's status line by line: expected (the plan), paid by the payroll (Loket's results,
``PaidAmount``), received (booked in the ledger from the bank statement).

Only reads; every query is by the one employment (the caller has checked it is the employee's own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Sum
from django.utils.translation import gettext_lazy

from inleg.platform.contributions.models import PaidAmount
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.ledger.models import Account, Posting


class Status(StrEnum):
    EXPECTED = "verwacht"
    PAID = "betaald door de salarisadministratie"
    RECEIVED = "ontvangen"

    @property
    def label(self) -> str:
        return str(LABELS[self])


# The words on the page (the enum's values are the Dutch source texts; gettext needs them written out to find them).
LABELS = {
    Status.EXPECTED: gettext_lazy("verwacht"),
    Status.PAID: gettext_lazy("betaald door de salarisadministratie"),
    Status.RECEIVED: gettext_lazy("ontvangen"),
}


@dataclass
class PeriodLine:
    period: PeriodKey
    status: Status
    employer: Cents = field(default_factory=Cents.zero)
    own: Cents = field(default_factory=Cents.zero)

    @property
    def total(self) -> Cents:
        return self.employer + self.own


@dataclass(frozen=True)
class Balance:
    employer: Cents
    own: Cents

    @property
    def total(self) -> Cents:
        return self.employer + self.own


def balance(employment: Employment) -> Balance:
    rows = (
        Posting.objects.filter(account__employment=employment, account__company_id=employment.company_id)
        .values("account__kind")
        .annotate(total=Sum("amount_cents"))
    )
    held = {r["account__kind"]: -int(r["total"]) for r in rows}  # a pension account owes: its balance turned round
    return Balance(Cents(held.get(Account.Kind.EMPLOYER, 0)), Cents(held.get(Account.Kind.OWN, 0)))


def received(employment: Employment) -> dict[PeriodKey, tuple[Cents, Cents]]:
    """Per period: what the ledger booked on the pension account (employer, own), reversals netted."""
    rows = (
        Posting.objects.filter(
            account__employment=employment,
            account__company_id=employment.company_id,
            entry__year__isnull=False,
        )
        .values("entry__year", "entry__number", "account__kind")
        .annotate(total=Sum("amount_cents"))
    )
    found: dict[PeriodKey, list[int]] = {}
    for r in rows:
        year, number = r["entry__year"], r["entry__number"]
        if year is None or number is None:  # filtered out above; the database keeps the two together
            continue
        pair = found.setdefault(PeriodKey(year, number), [0, 0])
        pair[0 if r["account__kind"] == Account.Kind.EMPLOYER else 1] -= int(r["total"])
    return {k: (Cents(e), Cents(o)) for k, (e, o) in found.items() if e or o}


def period_lines(
    employment: Employment, expected: dict[PeriodKey, tuple[Cents, Cents]] | None = None
) -> list[PeriodLine]:
    """Newest first. A period the ledger received counts as received (its amounts); else one the payroll paid
    (Loket's results: gross = employer money, net = own money); else what the plan expects."""
    lines: dict[PeriodKey, PeriodLine] = {}
    for key, (employer, own) in (expected or {}).items():
        lines[key] = PeriodLine(key, Status.EXPECTED, employer, own)
    for paid in PaidAmount.objects.filter(employment=employment, company_id=employment.company_id):
        key = PeriodKey(paid.year, paid.number)
        lines[key] = PeriodLine(key, Status.PAID, Cents(paid.gross_cents), Cents(paid.net_cents))
    for key, (employer, own) in received(employment).items():
        lines[key] = PeriodLine(key, Status.RECEIVED, employer, own)
    return [lines[k] for k in sorted(lines, reverse=True)]
