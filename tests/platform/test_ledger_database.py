"""The database keeps the ledger's invariants by itself: raw SQL that bypasses the code is refused (SQLite and
PostgreSQL: run this file with and without the pgtemp prefix)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from inleg.platform.domain import ledger as L
from inleg.platform.domain.money import Cents
from inleg.platform.ledger import models
from inleg.platform.ledger.booking import book
from tests.platform.ledger_fixtures import check_deferred_now, company_with_employments

pytestmark = pytest.mark.django_db


def _account(company: Any, kind: str) -> models.Account:
    return models.Account.objects.get_or_create(company=company, kind=kind, employment=None)[0]


def _raw_entry(company: Any, postings: list[tuple[models.Account, int]], *, entry_first: bool = False) -> None:
    """An entry and its postings by raw SQL, as a careless script would write them."""
    entry_id = models.Entry._meta.pk.get_db_prep_value(uuid.uuid4(), connection)  # type: ignore[union-attr]
    entry_sql = (
        "INSERT INTO ledger_entry (id, company_id, request_id, fingerprint, kind, reference, reason, booked_at)"
        " VALUES (%s, %s, %s, '', 'unmatched', '', '', %s)"
    )
    entry_params = [entry_id, company.pk, f"raw-{uuid.uuid4()}", timezone.now()]
    with transaction.atomic(), connection.cursor() as cursor:
        if entry_first:
            cursor.execute(entry_sql, entry_params)
        for account, amount in postings:
            cursor.execute(
                "INSERT INTO ledger_posting (entry_id, account_id, amount_cents) VALUES (%s, %s, %s)",
                [entry_id, account.pk, amount],
            )
        if not entry_first:
            cursor.execute(entry_sql, entry_params)
        check_deferred_now()


def _add_postings(entry_pk: uuid.UUID, postings: list[tuple[models.Account, int]]) -> None:
    entry_id = models.Entry._meta.pk.get_db_prep_value(entry_pk, connection)  # type: ignore[union-attr]
    with transaction.atomic(), connection.cursor() as cursor:
        for account, amount in postings:
            cursor.execute(
                "INSERT INTO ledger_posting (entry_id, account_id, amount_cents) VALUES (%s, %s, %s)",
                [entry_id, account.pk, amount],
            )


def _reversal_by_hand(company: Any, original: models.Entry, postings: list[tuple[models.Account, int]]) -> None:
    """A second reversal of ``original``, balanced, written past the code's checks."""
    entry_id = uuid.uuid4()
    with transaction.atomic():
        models.Posting.objects.bulk_create(
            models.Posting(entry_id=entry_id, account=account, amount_cents=amount) for account, amount in postings
        )
        models.Entry.objects.create(
            id=entry_id,
            company=company,
            request_id="rev-2",
            kind="reversal",
            reverses=original,
            booked_at=timezone.now(),
        )
        check_deferred_now()


def test_a_balanced_entry_by_raw_sql_is_accepted() -> None:
    company, _ = company_with_employments(count=0)
    bank, suspense = _account(company, "bank"), _account(company, "suspense")
    _raw_entry(company, [(bank, 500), (suspense, -500)])
    assert models.Entry.objects.filter(company=company).count() == 1


@pytest.mark.parametrize(
    "amounts",
    [[500, -499], [500], []],
    ids=["off-by-a-cent", "one-posting", "no-postings"],
)
def test_an_unbalanced_entry_by_raw_sql_is_refused(amounts: list[int]) -> None:
    company, _ = company_with_employments(count=0)
    accounts = [_account(company, "bank"), _account(company, "suspense")]
    with pytest.raises(IntegrityError, match="unbalanced"):
        _raw_entry(company, list(zip(accounts, amounts, strict=False)))
    assert not models.Entry.objects.filter(company=company).exists()
    assert not models.Posting.objects.filter(account__company=company).exists()


def test_a_posting_added_to_an_existing_entry_is_refused() -> None:
    company, _ = company_with_employments(count=0)
    bank, suspense = _account(company, "bank"), _account(company, "suspense")
    booked = book(company, "r-1", L.unmatched_credit(Cents(500))).entry
    with pytest.raises(IntegrityError, match="complete"):
        _add_postings(booked.pk, [(bank, 100), (suspense, -100)])


def test_an_entry_on_another_companys_account_is_refused() -> None:
    company, _ = company_with_employments(count=0)
    other, _ = company_with_employments("Ander B.V.", count=0)
    with pytest.raises(IntegrityError, match="another company"):
        _raw_entry(company, [(_account(company, "bank"), 500), (_account(other, "suspense"), -500)])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_posting SET amount_cents = amount_cents * 2",
        "DELETE FROM ledger_posting",
        "UPDATE ledger_entry SET reason = 'anders'",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_account SET kind = 'suspense' WHERE kind = 'bank'",
    ],
)
def test_entries_and_postings_are_never_updated_or_deleted(sql: str) -> None:
    company, _ = company_with_employments(count=0)
    book(company, "r-1", L.unmatched_credit(Cents(500)))
    with pytest.raises(IntegrityError, match="refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert sorted(models.Posting.objects.values_list("amount_cents", flat=True)) == [-500, 500]


def test_an_entry_is_reversed_at_most_once_by_the_database() -> None:
    company, _ = company_with_employments(count=0)
    original = book(company, "r-1", L.unmatched_credit(Cents(500))).entry
    book(company, "rev-1", L.reversal_of("r-1", L.unmatched_credit(Cents(500))))
    bank, suspense = _account(company, "bank"), _account(company, "suspense")
    with pytest.raises(IntegrityError, match=r"(?i)unique"):
        _reversal_by_hand(company, original, [(bank, -500), (suspense, 500)])
