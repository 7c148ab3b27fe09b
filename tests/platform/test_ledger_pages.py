"""The pension accounts page: balances in Dutch euros, the company's own ledger only."""

from __future__ import annotations

import pytest
from django.test import Client

from inleg.platform.accounts.models import Role, User
from inleg.platform.domain import ledger as L
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.ledger.booking import book
from tests.platform.conftest import PASSWORD, logged_in
from tests.platform.ledger_fixtures import company_with_employments

pytestmark = pytest.mark.django_db
P = PeriodKey(2025, 3)


def _employer(company_name: str, email: str) -> tuple[Client, list[int]]:
    company, employments = company_with_employments(company_name)
    user = User.objects.create_user(email, PASSWORD, name="Eva", company=company, role=Role.ADMIN)
    paid = L.Split(Cents(150000), Cents(2550))
    book(company, "BANK-1", L.matched_credit(Cents(152550), "emp-1", P, paid))
    book(company, "BANK-2", L.unmatched_credit(Cents(4200)))
    return logged_in(user), [e.pk for e in employments]


def test_the_page_shows_each_account_split_and_the_total_against_the_bank() -> None:
    web, _ = _employer("Bakkerij Jansen B.V.", "eva@jansen.example")
    page = web.get("/pension-accounts/").content.decode()
    assert "Naam1 Achter1" in page
    assert "€ 1.500,00" in page  # werkgeversinleg
    assert "€ 25,50" in page  # eigen inleg
    assert '<th id="pension-total">€ 1.525,50</th>' in page
    assert '<td id="suspense">€ 42,00</td>' in page
    assert '<th id="bank">€ 1.567,50</th>' in page
    assert "klopt niet" not in page


def test_an_employee_page_shows_the_bookings() -> None:
    web, [first, _] = _employer("Bakkerij Jansen B.V.", "eva@jansen.example")
    page = web.get(f"/pension-accounts/{first}/").content.decode()
    assert "Pensioenrekening van Naam1 Achter1" in page
    assert "2025-03" in page
    assert "€ 1.500,00" in page


def test_another_companys_employment_is_not_found() -> None:
    web, _ = _employer("Bakkerij Jansen B.V.", "eva@jansen.example")
    _, [theirs, _] = _employer("Slagerij Pietersen B.V.", "piet@pietersen.example")
    assert web.get(f"/pension-accounts/{theirs}/").status_code == 404
    assert "Pietersen" not in web.get("/pension-accounts/").content.decode()


def test_a_payroll_administrator_without_the_right_is_refused() -> None:
    company, _ = company_with_employments()
    user = User.objects.create_user("sa@kantoor.example", PASSWORD, name="Sam", company=company, role=Role.PAYROLL)
    assert logged_in(user).get("/pension-accounts/").status_code == 403
