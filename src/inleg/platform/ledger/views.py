"""Pensioenrekeningen: what each employee's pension account holds, employer and own money apart, against the
bank account (read-only; the company's own ledger only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from inleg.platform.accounts.access import company_of, requires
from inleg.platform.accounts.models import Right
from inleg.platform.domain import ledger as domain
from inleg.platform.domain.contributions.preview import euro
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.ledger import models
from inleg.platform.ledger.balances import OutOfBalance, balances, check_balanced, pension_accounts


@requires(Right.MANAGE_CONTRIBUTIONS)
def accounts(request: HttpRequest) -> HttpResponse:
    company = company_of(request)
    rows = pension_accounts(company)
    all_balances = balances(company)
    try:
        bank, balanced = check_balanced(company), True
    except OutOfBalance:
        bank, balanced = all_balances.get(domain.BANK, Cents(0)), False
    pension_total = sum((r.total for r in rows), Cents(0))
    context = {
        "rows": [
            {"employment": r.employment, "employer": euro(r.employer), "own": euro(r.own), "total": euro(r.total)}
            for r in rows
        ],
        "employer_total": euro(sum((r.employer for r in rows), Cents(0))),
        "own_total": euro(sum((r.own for r in rows), Cents(0))),
        "pension_total": euro(pension_total),
        "suspense": euro(domain.held(all_balances.get(domain.SUSPENSE, Cents(0)))),
        "returned": euro(domain.held(all_balances.get(domain.RETURNED, Cents(0)))),
        "bank": euro(bank),
        "balanced": balanced,
    }
    return render(request, "platform/ledger_accounts.html", context)


@requires(Right.MANAGE_CONTRIBUTIONS)
def account(request: HttpRequest, employment_id: int) -> HttpResponse:
    employment = get_object_or_404(
        Employment.objects.select_related("employee"), pk=employment_id, company=company_of(request)
    )
    postings = (
        models.Posting.objects.filter(account__employment=employment, account__company=employment.company)
        .select_related("entry", "account")
        .order_by("entry__booked_at", "entry__request_id", "account__kind")
    )
    lines = [
        {
            "booked_at": p.entry.booked_at,
            "kind": p.entry.get_kind_display(),
            "period": f"{p.entry.year}-{p.entry.number:02d}" if p.entry.year and p.entry.number else "",
            "account": p.account.get_kind_display(),
            "amount": euro(domain.held(Cents(p.amount_cents))),
            "reason": p.entry.reason,
        }
        for p in postings
    ]
    return render(request, "platform/ledger_account.html", {"employment": employment, "lines": lines})
