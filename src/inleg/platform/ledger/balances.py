"""Balances computed from the postings (never stored), and the check that the ledger balances."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from inleg.platform.accounts.models import Company
from inleg.platform.domain import ledger as domain
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.ledger import models


class OutOfBalance(domain.LedgerError):
    """The postings of a company's ledger do not sum to zero: the database's own checks were bypassed."""


def balances(company: Company) -> dict[domain.AccountId, Cents]:
    """Every account of ``company`` with postings, and its balance (a debit positive)."""
    rows = (
        models.Posting.objects.filter(account__company=company)
        .values("account__kind", "account__employment__loket_id")
        .annotate(total=Sum("amount_cents"))
    )
    return {
        domain.AccountId(domain.AccountKind(r["account__kind"]), r["account__employment__loket_id"]): Cents(
            int(r["total"])
        )
        for r in rows
    }


def check_balanced(company: Company) -> Cents:
    """The bank account's balance, after checking it equals minus the sum of all other accounts."""
    all_balances = balances(company)
    bank = all_balances.get(domain.BANK, Cents(0))
    others = sum((b for a, b in all_balances.items() if a != domain.BANK), Cents(0))
    if bank != -others:
        raise OutOfBalance("ledger", (bank.value, others.value), "bank and other accounts do not cancel out")
    return bank


@dataclass(frozen=True, slots=True)
class PensionAccount:
    employment: Employment
    employer: Cents  # held: werkgeversinleg
    own: Cents  # held: eigen inleg

    @property
    def total(self) -> Cents:
        return self.employer + self.own


def pension_accounts(company: Company) -> list[PensionAccount]:
    """Per employment with a pension account: what it holds, employer and own money apart."""
    rows = (
        models.Posting.objects.filter(account__company=company, account__employment__isnull=False)
        .values("account__employment", "account__kind")
        .annotate(total=Sum("amount_cents"))
    )
    held: dict[int, dict[str, int]] = {}
    for r in rows:
        held.setdefault(r["account__employment"], {})[r["account__kind"]] = -int(r["total"])
    employments = Employment.objects.filter(company=company, pk__in=held).select_related("employee")
    result = [
        PensionAccount(e, Cents(held[e.pk].get("employer", 0)), Cents(held[e.pk].get("own", 0))) for e in employments
    ]
    return sorted(result, key=lambda a: (a.employment.employee.last_name, a.employment.employee.pk, a.employment.pk))
