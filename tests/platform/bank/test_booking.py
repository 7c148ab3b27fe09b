"""Booking imported credits into the ledger: split by what the payroll paid, suspense, reversals, idempotency (twice,
and two workers at once on PostgreSQL), and placement and return by hand with their history."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from inleg.platform.accounts.models import Company, User
from inleg.platform.bank import booking
from inleg.platform.bank.models import Credit
from inleg.platform.bank.services import import_file
from inleg.platform.contributions.models import PaidAmount
from inleg.platform.domain import ledger as L
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.models import LoketConnection, State
from inleg.platform.ledger import booking as ledger_booking
from inleg.platform.ledger import models as ledger
from inleg.platform.ledger.balances import balances, check_balanced
from tests.platform.bank.test_import import data, employ
from tests.platform.conftest import logged_in, make_company


def paid(employment: Employment, gross: int, net: int, year: int = 2026, number: int = 1) -> PaidAmount:
    return PaidAmount.objects.create(
        company=employment.company,
        employment=employment,
        year=year,
        number=number,
        gross_cents=gross,
        withheld_cents=gross,
        net_cents=net,
        excasso_cents=gross + net,
        read_at=datetime(2026, 1, 28, tzinfo=UTC),
    )


def setup(company: Company) -> None:
    LoketConnection.objects.create(company=company, state=State.ACTIVE, employer_id="x", employer_number=20001)
    employ(company, 1)
    employ(company, 2)
    employ(company, 3, employments=2)


@pytest.fixture
def company(admin: User) -> Company:
    setup(admin.company)
    return admin.company


def held(company: Company) -> dict[str, int]:
    return {str(a): -b.value for a, b in balances(company).items() if b}


def test_a_matched_credit_is_split_by_what_the_payroll_paid_and_the_rest_waits(company: Company) -> None:
    # batch.xml: 30.00 for employee 1 (m1-0), 20.00 for employee 2 (m2-0), both 2026-01.
    paid(Employment.objects.get(loket_id="m1-0"), gross=2000, net=1000)  # exactly the credit
    paid(Employment.objects.get(loket_id="m2-0"), gross=1500, net=300)  # 18.00 paid; 2.00 too much arrived
    record = import_file(company, "batch.xml", data("batch.xml"))
    assert booking.book_pending(company) == booking.Outcome(booked=2)
    assert held(company) == {
        "bank": -5000,
        "employer:m1-0": 2000,
        "own:m1-0": 1000,
        "employer:m2-0": 1500,
        "own:m2-0": 300,
        "suspense": 200,
    }
    assert check_balanced(company) == Cents(5000)
    assert record.credits == 2


def test_a_credit_whose_payroll_results_are_not_read_waits_whole_in_suspense(company: Company) -> None:
    import_file(company, "batch.xml", data("batch.xml"))
    booking.book_pending(company)
    assert held(company) == {"bank": -5000, "suspense": 5000}
    entry = ledger.Entry.objects.get(request_id__endswith="TX-B1-1")
    assert (entry.kind, entry.employment.loket_id, entry.year, entry.number) == ("matched", "m1-0", 2026, 1)


def test_the_same_statement_twice_and_booking_twice_book_nothing_twice(company: Company) -> None:
    paid(Employment.objects.get(loket_id="m1-0"), gross=2000, net=1000)
    import_file(company, "batch.xml", data("batch.xml"))
    booking.book_pending(company)
    before = held(company)
    import_file(company, "batch.xml", data("batch.xml"))
    assert booking.book_pending(company) == booking.Outcome()
    rows = list(Credit.objects.filter(company=company))
    assert booking.book_credits(company, rows) == booking.Outcome()  # booking the same credits again: repeats
    assert held(company) == before
    assert ledger.Entry.objects.filter(company=company).count() == 2


def test_an_unrecognised_credit_goes_to_suspense_with_its_reason(company: Company) -> None:
    import_file(company, "overlapping.xml", data("overlapping.xml"))  # employee 3 has two employments
    booking.book_pending(company)
    entry = ledger.Entry.objects.get(company=company, kind="unmatched", reason__contains="2 dienstverbanden")
    assert entry.employment is None
    assert held(company)["suspense"] > 0


def test_a_reversal_undoes_its_credits_entry(company: Company) -> None:
    paid(Employment.objects.get(loket_id="m1-0"), gross=1500, net=500)
    import_file(company, "reversal.xml", data("reversal.xml"))
    assert booking.book_pending(company).booked == 2
    assert held(company) == {}  # 20.00 in, 20.00 taken back: every account at 0
    reversal = ledger.Entry.objects.get(kind="reversal")
    assert reversal.reverses is not None
    assert reversal.reverses.request_id.endswith("CR-1")


def test_a_reversal_without_its_credit_books_nothing_and_waits(company: Company) -> None:
    other = data("reversal.xml").replace(b'<Amt Ccy="EUR">20.00</Amt>', b'<Amt Ccy="EUR">19.99</Amt>', 1)
    import_file(company, "reversal.xml", other)
    assert booking.book_pending(company) == booking.Outcome(booked=1, waiting=1)
    assert booking.book_pending(company) == booking.Outcome(booked=0, waiting=1)
    assert held(company) == {"bank": -1999, "suspense": 1999}


def _unrecognised(company: Company) -> Credit:
    import_file(company, "overlapping.xml", data("overlapping.xml"))
    booking.book_pending(company)
    return Credit.objects.get(company=company, reason__contains="2 dienstverbanden")


def test_placing_by_hand_books_own_money_first_with_who_when_and_why(company: Company, admin: User) -> None:
    credit = _unrecognised(company)
    employment = Employment.objects.get(loket_id="m3-1")
    paid(employment, gross=credit.amount_cents - 400, net=400)
    with pytest.raises(L.MissingReason):
        booking.place(company, credit, employment, PeriodKey(2026, 1), "  ", admin)
    entry = booking.place(company, credit, employment, PeriodKey(2026, 1), "loonnummer 2 volgens de werkgever", admin)
    assert (entry.kind, entry.booked_by, entry.reason) == ("placement", admin, "loonnummer 2 volgens de werkgever")
    assert held(company)["own:m3-1"] == 400
    assert held(company)["employer:m3-1"] == credit.amount_cents - 400
    other = Credit.objects.exclude(pk=credit.pk).get(company=company)  # overlapping.xml's other credit waits still
    assert held(company)["suspense"] == other.amount_cents
    with pytest.raises(booking.CannotDecide, match="al met de hand geplaatst"):
        booking.send_back(company, credit, "toch terug", admin)


def test_placing_more_than_is_open_or_without_paid_amounts_is_refused(company: Company, admin: User) -> None:
    credit = _unrecognised(company)
    employment = Employment.objects.get(loket_id="m3-1")
    with pytest.raises(booking.CannotDecide, match="nog geen gelezen uitbetaling"):
        booking.place(company, credit, employment, PeriodKey(2026, 1), "reden", admin)
    paid(employment, gross=100, net=0)
    with pytest.raises(booking.CannotDecide, match="meer dan voor deze periode nog openstaat"):
        booking.place(company, credit, employment, PeriodKey(2026, 1), "reden", admin)
    assert not ledger.Entry.objects.filter(kind="placement").exists()


def test_sending_back_moves_the_money_to_be_paid_back(company: Company, admin: User) -> None:
    credit = _unrecognised(company)
    booking.send_back(company, credit, "onbekende betaler", admin)
    assert held(company)["returned"] == credit.amount_cents
    assert booking.decision(company, credit).reason == "onbekende betaler"  # type: ignore[union-attr]


def test_the_bank_page_places_and_returns_for_its_own_company_only(company: Company, admin: User) -> None:
    credit = _unrecognised(company)
    paid(Employment.objects.get(loket_id="m3-1"), gross=credit.amount_cents, net=0)
    other_company, other_user = make_company("Ander B.V.", "ander@ander.example")
    assert logged_in(other_user).get(f"/bank/credits/{credit.pk}/").status_code == 404
    client = logged_in(admin)
    page = client.get(f"/bank/credits/{credit.pk}/")
    assert page.status_code == 200
    assert "Plaats op een dienstverband" in page.content.decode()
    employment = Employment.objects.get(loket_id="m3-1")
    refused = client.post(
        f"/bank/credits/{credit.pk}/place/", {"employment": employment.pk, "period": "2026-01", "reason": ""}
    )
    assert "reden" in refused.content.decode()
    answer = client.post(
        f"/bank/credits/{credit.pk}/place/",
        {"employment": employment.pk, "period": "2026-01", "reason": "afgestemd met de werkgever"},
        follow=True,
    )
    assert "afgestemd met de werkgever" in answer.content.decode()
    assert held(company)["employer:m3-1"] == credit.amount_cents
    assert other_company.pk != company.pk


@pytest.mark.django_db(transaction=True)
def test_two_workers_booking_the_same_statement_at_once_book_each_credit_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL: SQLite serialises every write transaction")
    company, _ = make_company()
    setup(company)
    paid(Employment.objects.get(loket_id="m1-0"), gross=2000, net=1000)
    paid(Employment.objects.get(loket_id="m2-0"), gross=1500, net=500)
    import_file(company, "batch.xml", data("batch.xml"))
    import_file(company, "two_statements.xml", data("two_statements.xml"))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            booking.book_credits(company, Credit.objects.filter(company=company).order_by("kind", "pk"))
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    keys = sorted(Credit.objects.filter(company=company).values_list("key", flat=True))
    assert sorted(ledger.Entry.objects.filter(company=company).values_list("request_id", flat=True)) == keys
    total = sum(Credit.objects.filter(company=company).values_list("amount_cents", flat=True))
    assert check_balanced(company) == Cents(total)
    assert held(company)["employer:m1-0"] + held(company)["own:m1-0"] == 3000


def test_booking_many_books_each_request_id_once_and_refuses_reversals(company: Company) -> None:
    entries = [(f"B-{n}", L.unmatched_credit(Cents(100 + n), reference=f"B-{n}")) for n in range(5)]
    ledger_booking.book(company, "B-2", entries[2][1])  # one booked before, one at a time
    assert ledger_booking.book_many(company, entries) == 4
    assert ledger_booking.book_many(company, entries) == 0
    assert held(company) == {"bank": -510, "suspense": 510}
    first = ledger_booking.entry_of(company, "B-0")
    with pytest.raises(L.NotReversible):
        ledger_booking.book_many(company, [("R-0", L.reversal_of("B-0", ledger_booking.to_domain(first)))])
