"""Booking an entry, once: ``book(company, request_id, entry)``.

The request id is the caller's idempotency key (the bank's entry reference, a form's token): unique per company in
the database. A repeat with the same content returns the entry booked first; the same id with other content is
refused (``ConflictingRepeat``). Two workers booking the same id at once: one insert wins, the other meets the
unique constraint, finds the winner's entry and answers as a repeat. Accounts are made first, each in its own
short transaction (in a fixed order), so two bookings never wait on each other's new accounts; the entry and its
postings are then written in one transaction: all or nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from inleg.platform.accounts.models import Company, User
from inleg.platform.domain import ledger as domain
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.ledger import models

MAX_REQUEST_ID = 200


@dataclass(frozen=True, slots=True)
class Booked:
    entry: models.Entry
    created: bool  # False: a repeat, answered with the entry booked first


def to_domain(row: models.Entry) -> domain.Entry:
    """The domain's entry for a stored one (its postings read with their accounts)."""
    postings = tuple(
        domain.Posting(
            domain.AccountId(
                domain.AccountKind(p.account.kind), p.account.employment.loket_id if p.account.employment else None
            ),
            Cents(p.amount_cents),
        )
        for p in row.postings.select_related("account__employment")
    )
    return domain.Entry(
        domain.EntryKind(row.kind),
        postings,
        employment=row.employment.loket_id if row.employment else None,
        period=PeriodKey(row.year, row.number) if row.year is not None and row.number is not None else None,
        reference=row.reference,
        reason=row.reason,
        reverses=row.reverses.request_id if row.reverses else None,
    )


def entry_of(company: Company, request_id: str) -> models.Entry:
    row = (
        models.Entry.objects.filter(company=company, request_id=request_id)
        .select_related("employment", "reverses")
        .first()
    )
    if row is None:
        raise domain.UnknownEntry("request_id", request_id, "names no entry of this company")
    return row


def _employment(company: Company, loket_id: str) -> Employment:
    employment = Employment.objects.filter(company=company, loket_id=loket_id).first()
    if employment is None:
        raise domain.InvalidAccount("employment", loket_id, "is no employment of this company")
    return employment


def _accounts(company: Company, entry: domain.Entry) -> dict[domain.AccountId, models.Account]:
    employments = {
        loket_id: _employment(company, loket_id)
        for loket_id in sorted({p.account.employment for p in entry.postings if p.account.employment})
    }
    accounts = {}
    for account in sorted(p.account for p in entry.postings):
        employment = employments[account.employment] if account.employment else None
        accounts[account], _ = models.Account.objects.get_or_create(
            company=company, kind=account.kind.value, employment=employment
        )
    return accounts


def _repeat(row: models.Entry, entry: domain.Entry, request_id: str) -> Booked:
    if row.fingerprint != entry.fingerprint():
        raise domain.ConflictingRepeat(
            "request_id", request_id, "was booked before with other content; a repeat must carry the same booking"
        )
    return Booked(row, created=False)


def _original(company: Company, entry: domain.Entry) -> models.Entry | None:
    if entry.reverses is None:
        return None
    original = entry_of(company, entry.reverses)
    if models.Entry.objects.filter(reverses=original).exists():
        raise domain.AlreadyReversed("reverses", entry.reverses, "has been reversed already")
    expected = domain.reversal_of(entry.reverses, to_domain(original), entry.reason)
    if expected.postings != entry.postings:
        raise domain.NotReversible("reverses", entry.reverses, "is not undone by these postings (not its opposite)")
    return original


def _insert_entry(**fields: object) -> models.Entry:
    """The entry's own row, after its postings (a seam the crash tests break)."""
    return models.Entry.objects.create(**fields)


def book(
    company: Company,
    request_id: str,
    entry: domain.Entry,
    *,
    by: User | None = None,
    at: datetime | None = None,
) -> Booked:
    """Book ``entry`` under ``request_id`` once; a repeat returns the first booking (see the module's text)."""
    if not isinstance(request_id, str) or not request_id.strip() or len(request_id) > MAX_REQUEST_ID:
        raise domain.LedgerError("request_id", request_id, f"is not a text of 1 to {MAX_REQUEST_ID} characters")
    existing = models.Entry.objects.filter(company=company, request_id=request_id).first()
    if existing is not None:
        return _repeat(existing, entry, request_id)
    original = _original(company, entry)
    employment = _employment(company, entry.employment) if entry.employment else None
    accounts = _accounts(company, entry)
    entry_id = uuid.uuid4()
    try:
        with transaction.atomic():
            models.Posting.objects.bulk_create(
                models.Posting(entry_id=entry_id, account=accounts[p.account], amount_cents=p.amount.value)
                for p in entry.postings
            )
            row = _insert_entry(
                id=entry_id,
                company=company,
                request_id=request_id,
                fingerprint=entry.fingerprint(),
                kind=entry.kind.value,
                employment=employment,
                year=entry.period.year if entry.period else None,
                number=entry.period.number if entry.period else None,
                reference=entry.reference,
                reason=entry.reason,
                reverses=original,
                booked_by=by,
                booked_at=at or timezone.now(),
            )
    except IntegrityError:
        # Another worker booked the same request id (or reversed the same entry) first.
        existing = models.Entry.objects.filter(company=company, request_id=request_id).first()
        if existing is not None:
            return _repeat(existing, entry, request_id)
        if original is not None and models.Entry.objects.filter(reverses=original).exists():
            raise domain.AlreadyReversed("reverses", entry.reverses, "has been reversed already") from None
        raise
    return Booked(row, created=True)


CHUNK = 2000


def _accounts_for(company: Company, entries: list[domain.Entry]) -> dict[domain.AccountId, models.Account]:
    """Every account the entries post on, made where missing (each in its own short transaction, as ``book``)."""
    wanted = {p.account for e in entries for p in e.postings}
    loket_ids = {a.employment for a in wanted if a.employment}
    employments = {e.loket_id: e for e in Employment.objects.filter(company=company, loket_id__in=loket_ids)}
    missing_employment = sorted(loket_ids - employments.keys())
    if missing_employment:
        raise domain.InvalidAccount("employment", missing_employment[0], "is no employment of this company")

    def existing() -> dict[domain.AccountId, models.Account]:
        rows = models.Account.objects.filter(company=company).select_related("employment")
        return {
            domain.AccountId(domain.AccountKind(r.kind), r.employment.loket_id if r.employment else None): r
            for r in rows
        }

    found = existing()
    new = [
        models.Account(
            company=company, kind=a.kind.value, employment=employments[a.employment] if a.employment else None
        )
        for a in sorted(wanted - found.keys())
    ]
    if new:
        models.Account.objects.bulk_create(new, ignore_conflicts=True)  # another worker may make the same
        found = existing()
    return found


def book_many(company: Company, items: list[tuple[str, domain.Entry]], *, by: User | None = None) -> int:
    """Book many entries that reverse nothing, each once per request id, in chunks: the fast path of ``book`` for a
    whole statement. Request ids booked already are left alone (their repeats are not compared: the caller books
    the same content, and ``book`` is the one to ask when a repeat must be checked). A chunk that meets a request id
    another worker booked meanwhile is rolled back whole and booked entry by entry with ``book``. Returns how many
    entries were made."""
    if any(entry.reverses is not None for _id, entry in items):
        raise domain.NotReversible("entries", "", "hold a reversal; book reversals one by one with book()")
    made = 0
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        for request_id, _entry in chunk:
            if not isinstance(request_id, str) or not request_id.strip() or len(request_id) > MAX_REQUEST_ID:
                raise domain.LedgerError("request_id", request_id, f"is not a text of 1 to {MAX_REQUEST_ID} characters")
        done = set(
            models.Entry.objects.filter(company=company, request_id__in=[r for r, _e in chunk]).values_list(
                "request_id", flat=True
            )
        )
        todo = [(r, e) for r, e in chunk if r not in done]
        if not todo:
            continue
        accounts = _accounts_for(company, [e for _r, e in todo])
        employments = {
            e.loket_id: e
            for e in Employment.objects.filter(company=company, loket_id__in={e.employment for _r, e in todo})
        }
        unknown = sorted({e.employment for _r, e in todo if e.employment and e.employment not in employments})
        if unknown:
            raise domain.InvalidAccount("employment", unknown[0], "is no employment of this company")
        now = timezone.now()
        postings, rows = [], []
        for request_id, entry in todo:
            entry_id = uuid.uuid4()
            postings += [
                models.Posting(entry_id=entry_id, account=accounts[p.account], amount_cents=p.amount.value)
                for p in entry.postings
            ]
            rows.append(
                models.Entry(
                    id=entry_id,
                    company=company,
                    request_id=request_id,
                    fingerprint=entry.fingerprint(),
                    kind=entry.kind.value,
                    employment=employments.get(entry.employment) if entry.employment else None,
                    year=entry.period.year if entry.period else None,
                    number=entry.period.number if entry.period else None,
                    reference=entry.reference,
                    reason=entry.reason,
                    booked_by=by,
                    booked_at=now,
                )
            )
        try:
            with transaction.atomic():
                models.Posting.objects.bulk_create(postings, batch_size=500)  # before their entries (see models)
                models.Entry.objects.bulk_create(rows, batch_size=500)
            made += len(rows)
        except IntegrityError:
            made += sum(book(company, r, e, by=by).created for r, e in todo)
    return made
