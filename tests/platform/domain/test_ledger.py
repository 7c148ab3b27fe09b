"""The ledger's core by hand: entries that must sum to zero, each booking rule, the split of a credit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inleg.platform.domain import ledger as L
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents

P = PeriodKey(2025, 3)
E = "emp-17"


def c(value: int) -> Cents:
    return Cents(value)


def test_an_entry_must_sum_to_zero() -> None:
    with pytest.raises(L.UnbalancedEntry, match="1 cents is their sum"):
        L.Entry(L.EntryKind.UNMATCHED_CREDIT, (L.Posting(L.BANK, c(100)), L.Posting(L.SUSPENSE, c(-99))))


@pytest.mark.parametrize(
    ("postings", "error"),
    [
        ((), L.TooFewPostings),
        ((L.Posting(L.BANK, c(5)),), L.TooFewPostings),
        ((L.Posting(L.BANK, c(5)), L.Posting(L.BANK, c(-5))), L.DuplicateAccount),
    ],
)
def test_an_entry_refuses_too_few_postings_and_an_account_twice(postings: tuple[L.Posting, ...], error: type) -> None:
    with pytest.raises(error):
        L.Entry(L.EntryKind.UNMATCHED_CREDIT, postings)


def test_every_failure_is_a_domain_error_with_the_field() -> None:
    with pytest.raises(DomainError) as caught:
        L.Posting(L.BANK, c(0))
    assert isinstance(caught.value, L.ZeroPosting)
    assert caught.value.field == "posting bank"


def test_account_shapes() -> None:
    with pytest.raises(L.InvalidAccount):
        L.AccountId(L.AccountKind.OWN)
    with pytest.raises(L.InvalidAccount):
        L.AccountId(L.AccountKind.BANK, E)


def test_matched_credit_of_exactly_what_was_paid_splits_as_paid() -> None:
    # Paid: employer 150.00, own 25.50; received 175.50.
    entry = L.matched_credit(c(17550), E, P, L.Split(c(15000), c(2550)), reference="BANK-1")
    assert entry.amount_on(L.BANK) == c(17550)
    assert entry.amount_on(L.employer_account(E)) == c(-15000)
    assert entry.amount_on(L.own_account(E)) == c(-2550)
    assert entry.amount_on(L.SUSPENSE) == c(0)
    assert len(entry.postings) == 3  # no posting of 0 on suspense


def test_a_short_credit_fills_own_money_first() -> None:
    # Paid 150.00 + 25.50, received 100.00: own 25.50, employer 74.50, nothing to suspense.
    entry = L.matched_credit(c(10000), E, P, L.Split(c(15000), c(2550)))
    assert entry.amount_on(L.own_account(E)) == c(-2550)
    assert entry.amount_on(L.employer_account(E)) == c(-7450)


def test_a_credit_smaller_than_the_own_part_is_all_own_money() -> None:
    entry = L.matched_credit(c(1000), E, P, L.Split(c(15000), c(2550)))
    assert entry.amount_on(L.own_account(E)) == c(-1000)
    assert entry.amount_on(L.employer_account(E)) == c(0)


def test_an_overpayment_leaves_the_surplus_in_suspense() -> None:
    entry = L.matched_credit(c(20000), E, P, L.Split(c(15000), c(2550)))
    assert entry.amount_on(L.own_account(E)) == c(-2550)
    assert entry.amount_on(L.employer_account(E)) == c(-15000)
    assert entry.amount_on(L.SUSPENSE) == c(-2450)


def test_a_second_credit_counts_what_was_booked_and_a_duplicate_goes_to_suspense() -> None:
    paid = L.Split(c(15000), c(2550))
    top_up = L.matched_credit(c(7550), E, P, paid, booked=L.Split(c(7450), c(2550)))
    assert top_up.amount_on(L.employer_account(E)) == c(-7550)
    assert top_up.amount_on(L.own_account(E)) == c(0)
    twice = L.matched_credit(c(17550), E, P, paid, booked=paid)
    assert twice.amount_on(L.SUSPENSE) == c(-17550)


def test_a_credit_without_known_paid_amounts_waits_in_suspense_with_its_employment() -> None:
    entry = L.matched_credit(c(17550), E, P, None)
    assert entry.amount_on(L.SUSPENSE) == c(-17550)
    assert (entry.employment, entry.period) == (E, P)


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.lists(st.integers(1, 10**7), min_size=1, max_size=5))
def test_the_split_does_not_depend_on_how_the_money_was_cut(employer: int, own: int, credits: list[int]) -> None:
    paid = L.Split(c(employer), c(own))
    booked, surplus = L.Split.nothing(), 0
    for amount in credits:
        split, rest = L.split_credit(c(amount), paid, booked)
        booked = L.Split(booked.employer + split.employer, booked.own + split.own)
        surplus += rest.value
    at_once, at_once_surplus = L.split_credit(c(sum(credits)), paid, L.Split.nothing())
    assert (booked, surplus) == (at_once, at_once_surplus.value)
    assert booked.total.value + surplus == sum(credits)


def test_unmatched_credit_goes_to_suspense() -> None:
    entry = L.unmatched_credit(c(4200), reference="BANK-9")
    assert entry.amount_on(L.BANK) == c(4200)
    assert entry.amount_on(L.SUSPENSE) == c(-4200)


def test_placement_needs_a_reason_and_moves_suspense_onto_the_accounts() -> None:
    with pytest.raises(L.MissingReason):
        L.placement(E, P, L.Split(c(100), c(0)), "  ")
    entry = L.placement(E, P, L.Split(c(3000), c(1200)), "naam in omschrijving")
    assert entry.amount_on(L.SUSPENSE) == c(4200)
    assert entry.amount_on(L.employer_account(E)) == c(-3000)
    assert entry.amount_on(L.own_account(E)) == c(-1200)
    assert entry.reason == "naam in omschrijving"


def test_a_return_is_decided_then_paid() -> None:
    decided = L.return_credit(c(4200), "onbekende betaler")
    assert decided.amount_on(L.SUSPENSE) == c(4200)
    assert decided.amount_on(L.RETURNED) == c(-4200)
    paid = L.return_paid(c(4200), reference="BANK-10")
    assert L.balances([L.unmatched_credit(c(4200)), decided, paid]) == {
        L.BANK: c(0),
        L.SUSPENSE: c(0),
        L.RETURNED: c(0),
    }


@pytest.mark.parametrize("amount", [0, -100])
def test_credits_of_nothing_or_less_are_refused(amount: int) -> None:
    with pytest.raises(L.InvalidCredit):
        L.unmatched_credit(c(amount))
    with pytest.raises(L.InvalidCredit):
        L.matched_credit(c(amount), E, P, L.Split(c(1), c(1)))


def test_a_reversal_turns_every_posting_round_and_names_the_original() -> None:
    original = L.matched_credit(c(17550), E, P, L.Split(c(15000), c(2550)))
    reversal = L.reversal_of("BANK-1", original)
    assert reversal.reverses == "BANK-1"
    assert reversal.amount_on(L.BANK) == c(-17550)
    assert reversal.amount_on(L.own_account(E)) == c(2550)
    assert all(b == c(0) for b in L.balances([original, reversal]).values())
    with pytest.raises(L.NotReversible):
        L.reversal_of("REV-1", reversal)


def test_the_fingerprint_follows_the_content_not_the_order_of_postings() -> None:
    a = L.Entry(L.EntryKind.UNMATCHED_CREDIT, (L.Posting(L.BANK, c(1)), L.Posting(L.SUSPENSE, c(-1))))
    b = L.Entry(L.EntryKind.UNMATCHED_CREDIT, (L.Posting(L.SUSPENSE, c(-1)), L.Posting(L.BANK, c(1))))
    assert a.fingerprint() == b.fingerprint()
    assert a.fingerprint() != L.unmatched_credit(c(2)).fingerprint()
    assert a.fingerprint() != L.unmatched_credit(c(1), reason="x").fingerprint()
