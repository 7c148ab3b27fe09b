"""Properties of the ledger against the real tables: any sequence of bookings, repeats, conflicting repeats,
reversals and crashes mid-booking leaves every account exactly where a plain model of the bookings says, the
ledger balances, and the bank holds what came in less what went back. Concurrency: PostgreSQL only."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from inleg.platform.domain import ledger as L
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.ledger import booking, models
from inleg.platform.ledger.balances import balances, check_balanced, pension_accounts
from tests.platform.ledger_fixtures import company_with_employments

EMPLOYMENTS = ["emp-1", "emp-2", "emp-3"]
COMPANY_NUMBERS = itertools.count(1)
REQUEST_IDS = [f"r-{n}" for n in range(8)]  # few, so that ids meet again
amounts = st.integers(1, 10**6).map(Cents)
periods = st.builds(PeriodKey, st.just(2025), st.integers(1, 12))
splits = st.builds(L.Split, st.integers(0, 10**6).map(Cents), st.integers(0, 10**6).map(Cents))


class Crash(Exception):
    pass


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.company, _ = company_with_employments(f"Bedrijf {next(COMPANY_NUMBERS)}", count=len(EMPLOYMENTS))
        self.booked: dict[str, L.Entry] = {}  # the model: what each request id booked
        self.reversed: set[str] = set()
        self.came_in = 0  # cents, counted from the rules' inputs, not from entries
        self.went_out = 0

    def _book(self, request_id: str, entry: L.Entry, bank_in: int = 0, bank_out: int = 0) -> None:
        if request_id in self.booked:
            if self.booked[request_id].fingerprint() == entry.fingerprint():
                assert not booking.book(self.company, request_id, entry).created
            else:
                with pytest.raises(L.ConflictingRepeat):
                    booking.book(self.company, request_id, entry)
            return
        assert booking.book(self.company, request_id, entry).created
        self.booked[request_id] = entry
        self.came_in += bank_in
        self.went_out += bank_out

    @rule(request_id=st.sampled_from(REQUEST_IDS), amount=amounts, employment=st.sampled_from(EMPLOYMENTS),
          period=periods, paid=st.none() | splits)  # fmt: skip
    def matched(self, request_id: str, amount: Cents, employment: str, period: PeriodKey, paid: L.Split | None) -> None:
        self._book(request_id, L.matched_credit(amount, employment, period, paid, reference=request_id), amount.value)

    @rule(request_id=st.sampled_from(REQUEST_IDS), amount=amounts)
    def unmatched(self, request_id: str, amount: Cents) -> None:
        self._book(request_id, L.unmatched_credit(amount, reference=request_id), amount.value)

    @rule(request_id=st.sampled_from(REQUEST_IDS), employment=st.sampled_from(EMPLOYMENTS), split=splits)
    def placement(self, request_id: str, employment: str, split: L.Split) -> None:
        if split.total:
            self._book(request_id, L.placement(employment, None, split, "naam in de omschrijving"))

    @rule(request_id=st.sampled_from(REQUEST_IDS), amount=amounts)
    def give_back(self, request_id: str, amount: Cents) -> None:
        self._book(request_id, L.return_credit(amount, "onbekende betaler"))
        self._book(f"{request_id}-paid", L.return_paid(amount), bank_out=amount.value)

    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        originals = sorted(r for r, e in self.booked.items() if e.kind is not L.EntryKind.REVERSAL)
        if not originals:
            return
        original = data.draw(st.sampled_from(originals))
        entry = L.reversal_of(original, self.booked[original])
        if original in self.reversed:
            with pytest.raises(L.AlreadyReversed):
                booking.book(self.company, f"{original}-rvsl-again", entry)
            return
        bank = entry.amount_on(L.BANK).value
        self._book(f"{original}-rvsl", entry, bank_in=max(bank, 0), bank_out=max(-bank, 0))
        self.reversed.add(original)

    @rule(request_id=st.sampled_from(REQUEST_IDS), amount=amounts, employment=st.sampled_from(EMPLOYMENTS))
    def crash(self, request_id: str, amount: Cents, employment: str) -> None:
        if request_id in self.booked:
            return
        entry = L.matched_credit(amount, employment, PeriodKey(2025, 1), L.Split(amount, Cents(0)))

        def broken(**fields: object) -> models.Entry:
            raise Crash

        original, booking._insert_entry = booking._insert_entry, broken  # type: ignore[assignment]
        try:
            with pytest.raises(Crash):
                booking.book(self.company, request_id, entry)
        finally:
            booking._insert_entry = original  # type: ignore[assignment]

    @invariant()
    def every_account_is_where_the_model_says(self) -> None:
        expected = {a: b for a, b in L.balances(self.booked.values()).items() if b}
        assert {a: b for a, b in balances(self.company).items() if b} == expected

    @invariant()
    def the_ledger_balances_and_the_bank_holds_what_came_in_less_what_went_out(self) -> None:
        assert check_balanced(self.company) == Cents(self.came_in - self.went_out)

    @invariant()
    def each_request_id_is_booked_once(self) -> None:
        ids = list(models.Entry.objects.filter(company=self.company).values_list("request_id", flat=True))
        assert sorted(ids) == sorted(self.booked)

    @invariant()
    def the_pension_accounts_hold_what_was_received_for_them_and_placed(self) -> None:
        on_pension = sum(
            -p.amount.value for e in self.booked.values() for p in e.postings if p.account.kind.per_employment
        )
        assert sum(a.total.value for a in pension_accounts(self.company)) == on_pension


@pytest.mark.django_db
def test_no_sequence_of_bookings_creates_loses_or_doubles_a_cent() -> None:
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def _entry_for(request_id: str, n: int) -> L.Entry:
    if n % 3 == 0:
        return L.unmatched_credit(Cents(100 + n), reference=request_id)
    return L.matched_credit(
        Cents(1000 + n), EMPLOYMENTS[n % 2], PeriodKey(2025, 1 + n % 12), L.Split(Cents(700), Cents(300))
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_booking_the_same_ids_at_once_book_each_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL: SQLite serialises every write transaction")
    company, _ = company_with_employments(count=2)
    ids = [f"BANK-{n}" for n in range(40)]
    entries = {request_id: _entry_for(request_id, n) for n, request_id in enumerate(ids)}
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(order: list[str]) -> None:
        try:
            start.wait()
            for request_id in order:
                booking.book(company, request_id, entries[request_id])
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(ids,)),
        threading.Thread(target=worker, args=(list(reversed(ids)),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(models.Entry.objects.filter(company=company).values_list("request_id", flat=True)) == sorted(ids)
    expected: Any = {a: b for a, b in L.balances(entries.values()).items() if b}
    assert {a: b for a, b in balances(company).items() if b} == expected
    assert check_balanced(company) == Cents(sum(e.amount_on(L.BANK).value for e in entries.values()))
