"""Booking: once per request id, all or nothing, a reversal at most once, tenants apart."""

from __future__ import annotations

from typing import Any

import pytest

from inleg.platform.domain import ledger as L
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.ledger import booking, models
from inleg.platform.ledger.balances import balances, check_balanced, pension_accounts
from tests.platform.ledger_fixtures import company_with_employments

pytestmark = pytest.mark.django_db
P = PeriodKey(2025, 3)


class Crash(Exception):
    pass


def _credit() -> L.Entry:
    return L.matched_credit(Cents(17550), "emp-1", P, L.Split(Cents(15000), Cents(2550)), reference="BANK-1")


def test_a_matched_credit_is_booked_on_the_bank_and_the_pension_accounts() -> None:
    company, [employment, _] = company_with_employments()
    booked = booking.book(company, "BANK-1", _credit())
    assert booked.created
    assert balances(company) == {
        L.BANK: Cents(17550),
        L.employer_account("emp-1"): Cents(-15000),
        L.own_account("emp-1"): Cents(-2550),
    }
    assert check_balanced(company) == Cents(17550)
    [account] = pension_accounts(company)
    assert (account.employment, account.employer, account.own, account.total) == (
        employment,
        Cents(15000),
        Cents(2550),
        Cents(17550),
    )
    assert booking.to_domain(booking.entry_of(company, "BANK-1")) == _credit()


def test_a_repeat_returns_the_first_booking_and_books_nothing() -> None:
    company, _ = company_with_employments()
    first = booking.book(company, "BANK-1", _credit())
    again = booking.book(company, "BANK-1", _credit())
    assert (again.created, again.entry.pk) == (False, first.entry.pk)
    assert models.Posting.objects.count() == 3
    assert balances(company)[L.BANK] == Cents(17550)


def test_the_same_request_id_with_other_content_is_refused() -> None:
    company, _ = company_with_employments()
    booking.book(company, "BANK-1", _credit())
    with pytest.raises(L.ConflictingRepeat, match="BANK-1"):
        booking.book(company, "BANK-1", L.unmatched_credit(Cents(17550), reference="BANK-1"))
    assert models.Entry.objects.count() == 1


def test_the_same_request_id_in_another_company_is_another_booking() -> None:
    company, _ = company_with_employments()
    other, _ = company_with_employments("Ander B.V.")
    booking.book(company, "BANK-1", _credit())
    assert booking.book(other, "BANK-1", _credit()).created
    assert balances(company)[L.BANK] == balances(other)[L.BANK] == Cents(17550)


def test_an_employment_of_another_company_is_refused() -> None:
    company, _ = company_with_employments()
    company_with_employments("Ander B.V.", count=3)
    entry = L.matched_credit(Cents(100), "emp-3", P, None)
    with pytest.raises(L.InvalidAccount, match="emp-3"):
        booking.book(company, "BANK-1", entry)
    assert not models.Entry.objects.exists()


def test_a_reversal_undoes_the_booking_once() -> None:
    company, _ = company_with_employments()
    booking.book(company, "BANK-1", _credit())
    reversal = booking.book(company, "BANK-1-rvsl", L.reversal_of("BANK-1", _credit()))
    assert reversal.entry.reverses == booking.entry_of(company, "BANK-1")
    assert set(balances(company).values()) == {Cents(0)}
    with pytest.raises(L.AlreadyReversed):
        booking.book(company, "BANK-1-rvsl-2", L.reversal_of("BANK-1", _credit()))
    assert not booking.book(company, "BANK-1-rvsl", L.reversal_of("BANK-1", _credit())).created  # a repeat


def test_a_reversal_must_be_the_opposite_of_its_original() -> None:
    company, _ = company_with_employments()
    booking.book(company, "BANK-1", _credit())
    wrong = L.reversal_of("BANK-1", L.unmatched_credit(Cents(17550)))
    with pytest.raises(L.NotReversible):
        booking.book(company, "X", wrong)
    with pytest.raises(L.UnknownEntry):
        booking.book(company, "Y", L.reversal_of("NOPE", _credit()))


def test_a_crash_mid_booking_leaves_nothing_and_a_retry_books_once(monkeypatch: Any) -> None:
    company, _ = company_with_employments()

    def crash(**fields: object) -> models.Entry:
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(booking, "_insert_entry", crash)
        with pytest.raises(Crash):
            booking.book(company, "BANK-1", _credit())
    assert not models.Posting.objects.exists()
    assert not models.Entry.objects.exists()
    assert booking.book(company, "BANK-1", _credit()).created
    assert models.Posting.objects.count() == 3


@pytest.mark.parametrize("request_id", ["", "   ", "x" * 201])
def test_a_request_id_must_be_text_of_1_to_200_characters(request_id: str) -> None:
    company, _ = company_with_employments()
    with pytest.raises(L.LedgerError, match="request_id"):
        booking.book(company, request_id, _credit())
