"""The pension account in the app: the balance split employer/own from the ledger, and per period the status
line by line: ontvangen (the ledger), betaald door de salarisadministratie (PaidAmount), verwacht (the plan)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inleg.platform.app import account
from inleg.platform.app.invitations import accept_terms
from inleg.platform.contributions.models import PaidAmount
from inleg.platform.domain import ledger as L
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.ledger.booking import book
from tests.platform.app_fixtures import employee
from tests.platform.conftest import logged_in, make_company

pytestmark = pytest.mark.django_db
MARCH, APRIL, MAY = PeriodKey(2025, 3), PeriodKey(2025, 4), PeriodKey(2025, 5)


def test_received_paid_and_expected_periods_line_by_line_and_on_the_page() -> None:
    company, _ = make_company()
    person = employee(company, 1)
    job = person.employments.get()
    other = employee(company, 2).employments.get()  # a colleague's money never shows
    book(company, "BANK-1", L.matched_credit(Cents(152550), job.loket_id, MARCH, L.Split(Cents(150000), Cents(2550))))
    book(company, "BANK-2", L.matched_credit(Cents(99900), other.loket_id, MARCH, L.Split(Cents(99900), Cents(0))))
    PaidAmount.objects.create(
        company=company, employment=job, year=2025, number=4, gross_cents=150000, withheld_cents=150000,
        net_cents=2550, excasso_cents=152550, read_at=timezone.now(),
    )  # fmt: skip
    # March was paid by the payroll too: received wins.
    PaidAmount.objects.create(
        company=company, employment=job, year=2025, number=3, gross_cents=150000, withheld_cents=150000,
        net_cents=2550, excasso_cents=152550, read_at=timezone.now(),
    )  # fmt: skip
    lines = account.period_lines(job, {MAY: (Cents(150000), Cents(5000))})
    assert [(x.period, x.status, x.employer, x.own) for x in lines] == [
        (MAY, account.Status.EXPECTED, Cents(150000), Cents(5000)),
        (APRIL, account.Status.PAID, Cents(150000), Cents(2550)),
        (MARCH, account.Status.RECEIVED, Cents(150000), Cents(2550)),
    ]
    held = account.balance(job)
    assert (held.employer, held.own, held.total) == (Cents(150000), Cents(2550), Cents(152550))

    user = person.user
    assert user is not None
    user.email, user.is_active = person.email, True
    user.set_password("zonnebloem-kaas-77")
    user.save()
    accept_terms(user)
    page = logged_in(user).get(f"/app/rekening/{job.pk}/").content.decode()
    assert "€ 1.525,50" in page  # the balance
    assert "<svg" in page
    assert "<title>periode 3 · 2025: werkgever € 1.500,00, eigen € 25,50</title>" in page
    assert "betaald door de salarisadministratie" in page
    assert "€ 999,00" not in page
