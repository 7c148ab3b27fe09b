"""Reading a statement file into the company's credits, and the hook for the ledger (``credits_to_book``).

``import_file`` reads a file whole or refuses it whole (the refusal is kept, with its Dutch message). A readable
file is stored in one transaction: its statements, ignored lines and every credit and reversal whose bank
reference the company has not stored yet; the others count as duplicates. Two imports of overlapping files at
once: the unique constraint on (company, key) stops the second, which then reads the stored keys again and
stores only what is still new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q

from inleg.platform.accounts.models import Company, User
from inleg.platform.bank.match import Matcher
from inleg.platform.bank.models import Credit, IgnoredLine, Statement, StatementFile
from inleg.platform.domain.bank import statement as domain
from inleg.platform.domain.bank.camt import read_statement
from inleg.platform.domain.bank.statement import UnreadableStatement
from inleg.platform.domain.excasso import ExcassoReference, parse_reference
from inleg.platform.domain.money import Cents

KEYS_PER_QUERY = 5000
ATTEMPTS = 3


def import_file(company: Company, name: str, data: bytes, user: User | None = None) -> StatementFile:
    """Read ``data`` (a camt.053 file) for ``company``: the file's record with its outcome and counts."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        parsed = read_statement(data)
    except UnreadableStatement as error:
        return StatementFile.objects.create(
            company=company,
            name=name[:255],
            sha256=digest,
            outcome=StatementFile.Outcome.REFUSED,
            message=str(error),
            imported_by=user,
        )
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _store(company, name, digest, parsed, user)
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _stored_keys(company: Company, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        found.update(Credit.objects.filter(company=company, key__in=chunk).values_list("key", flat=True))
    return found


def _reference_fields(reference: ExcassoReference | None) -> dict[str, object]:
    if reference is None:
        return {"reference": ""}
    return {
        "reference": reference.format(),
        "employer_number": reference.employer_number,
        "employee_number": reference.employee_number,
        "payroll_id": reference.payroll_id,
        "year": reference.year,
        "period": reference.period,
    }


def _store(company: Company, name: str, digest: str, parsed: domain.StatementFile, user: User | None) -> StatementFile:
    record = StatementFile.objects.create(
        company=company,
        name=name[:255],
        sha256=digest,
        outcome=StatementFile.Outcome.READ,
        version=parsed.version,
        message_id=parsed.message_id,
        imported_by=user,
    )
    seen = _stored_keys(company, [c.key for c in parsed.credits] + [r.key for r in parsed.reversals])
    matcher = Matcher(company)
    # References already paid and booked: a second credit for one is a possible double payment, never booked
    # automatically (docs/excasso-reference.md).
    booked = set(
        Credit.objects.filter(company=company, kind=Credit.Kind.CREDIT, status=Credit.Status.TO_BOOK)
        .filter(reversed_by__isnull=True)
        .values_list("reference", flat=True)
    )
    pending_reversals: list[tuple[Statement, domain.Reversal]] = []
    for part in parsed.statements:
        statement = Statement.objects.create(
            file=record,
            company=company,
            statement_id=part.statement_id,
            account=part.account.value,
            created=part.created,
        )
        IgnoredLine.objects.bulk_create(
            IgnoredLine(statement=statement, entry=i.entry[:35], amount=i.amount[:40], reason=i.reason, line=i.line)
            for i in part.ignored
        )
        record.ignored += len(part.ignored)
        new: list[Credit] = []
        for credit in part.credits:
            if credit.key in seen:
                record.duplicates += 1
                continue
            seen.add(credit.key)
            new.append(_credit(company, statement, credit, matcher, booked))
        Credit.objects.bulk_create(new)
        record.credits += len(new)
        record.matched += sum(1 for c in new if c.status == Credit.Status.TO_BOOK)
        record.unrecognised += sum(1 for c in new if c.status == Credit.Status.UNRECOGNISED)
        for reversal in part.reversals:
            if reversal.key in seen:
                record.duplicates += 1
                continue
            seen.add(reversal.key)
            pending_reversals.append((statement, reversal))
    for statement, reversal in pending_reversals:  # after every credit of the file, which one may reverse
        _reverse(company, statement, reversal)
        record.reversals += 1
    record.save()
    return record


def _credit(
    company: Company, statement: Statement, credit: domain.Credit, matcher: Matcher, booked: set[str]
) -> Credit:
    status, reason, employee, employment = Credit.Status.UNRECOGNISED, credit.problem, None, None
    if credit.reference is not None:
        token = credit.reference.format()
        found = matcher.match(credit.reference)
        employee, employment = found.employee, found.employment
        if not found.matched:
            reason = found.reason
        elif token in booked:
            reason = f"mogelijk dubbel betaald: voor {token} is al een bijschrijving ontvangen; beslis met de hand."
            employment = None
        else:
            status = Credit.Status.TO_BOOK
            booked.add(token)
    return Credit(
        company=company,
        statement=statement,
        key=credit.key,
        kind=Credit.Kind.CREDIT,
        status=status,
        reason=reason,
        amount_cents=credit.amount.value,
        booking_date=credit.booking_date,
        value_date=credit.value_date,
        end_to_end_id=credit.end_to_end_id[:35],
        remittance=credit.remittance,
        debtor_name=credit.debtor_name[:140],
        debtor_iban=credit.debtor_iban.value if credit.debtor_iban else "",
        employee=employee,
        employment=employment,
        **_reference_fields(credit.reference),
    )


def _reverse(company: Company, statement: Statement, reversal: domain.Reversal) -> Credit:
    """Store a reversal, pointing at the one unreversed credit with its reference (or EndToEndId) and amount."""
    target, reason = None, reversal.problem
    if reversal.reference is not None or reversal.end_to_end_id:
        same = (
            Q(reference=reversal.reference.format())
            if reversal.reference is not None
            else Q(end_to_end_id=reversal.end_to_end_id)
        )
        candidates = list(
            Credit.objects.filter(same, company=company, kind=Credit.Kind.CREDIT, amount_cents=reversal.amount.value)
            .filter(reversed_by__isnull=True)
            .order_by("pk")[:2]
        )
        if len(candidates) == 1:
            target, reason = candidates[0], ""
        elif candidates:
            reason = "terugboeking past op meer dan één bijschrijving (zelfde referentie en bedrag); kies met de hand."
        else:
            reason = (
                "terugboeking zonder bijschrijving: geen niet-teruggeboekte bijschrijving met deze referentie en "
                "dit bedrag."
            )
    return Credit.objects.create(
        company=company,
        statement=statement,
        key=reversal.key,
        kind=Credit.Kind.REVERSAL,
        status=Credit.Status.TO_BOOK if target is not None else Credit.Status.UNRECOGNISED,
        reason=reason,
        amount_cents=reversal.amount.value,
        booking_date=reversal.booking_date,
        end_to_end_id=reversal.end_to_end_id[:35],
        remittance=reversal.remittance,
        reverses=target,
        **_reference_fields(reversal.reference),
    )


@dataclass(frozen=True, slots=True)
class CreditToBook:
    """What the ledger books for one stored credit or reversal (no Django types: the ledger's input).

    ``employment_id`` is set for a recognised credit (book it on that pension account for ``reference``'s
    period); ``suspense`` is true for one not recognised (book it on the suspense account until a person places
    it); a reversal names the ``reverses_key`` of the credit whose booking it undoes.
    """

    key: str
    kind: str  # "credit" or "reversal"
    amount: Cents
    booking_date: date
    employment_id: int | None
    reference: ExcassoReference | None
    suspense: bool
    reason: str
    reverses_key: str | None


def credits_to_book(file: StatementFile) -> list[CreditToBook]:
    """The credits and reversals this file stored (not its duplicates), in the order the ledger should book them."""
    rows: Iterable[Credit] = (
        Credit.objects.filter(statement__file=file).select_related("reverses").order_by("kind", "booking_date", "pk")
    )
    return [
        CreditToBook(
            key=row.key,
            kind=row.kind,
            amount=Cents(row.amount_cents),
            booking_date=row.booking_date,
            employment_id=row.employment_id,
            reference=parse_reference(row.reference) if row.reference else None,
            suspense=row.status == Credit.Status.UNRECOGNISED,
            reason=row.reason,
            reverses_key=row.reverses.key if row.reverses is not None else None,
        )
        for row in rows
    ]
