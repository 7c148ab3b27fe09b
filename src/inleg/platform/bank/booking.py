"""Booking the bank's credits into the ledger, and the two decisions a person takes on money not recognised.

``book_pending(company)`` books every stored credit and reversal of the company that has no entry yet, under
the bank's own reference (the credit's ``key``) as request id: a statement read twice or two that overlap store
each credit once (the import), and each stored credit books once (the ledger's unique request id), also when two
workers book at once. Called after each import, it also books what an earlier import left unbooked (a crash
between import and booking).

- A credit *te boeken* is split with ``rules.matched_credit`` by what the payroll paid for its employment and
  period (``PaidAmount``: gross = employer money, net = own money) less what is already booked for them; when
  the payroll's results are not read yet, the whole credit waits in suspense (never a split by guess).
- A credit *niet herkend* goes to suspense with its reason.
- A reversal with its credit undoes that credit's entry; a reversal without one books nothing and waits for a
  person (the Bank page shows it with its reason).

``place`` and ``send_back`` move a credit's money out of suspense by hand, with a reason, under request ids
derived from the credit's key (``plaatsing:`` / ``terug:``): a form sent twice books once. The ledger keeps who
and when (``booked_by``, ``booked_at``) and why (``reason``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum

from inleg.platform.accounts.models import Company, User
from inleg.platform.bank.models import Credit
from inleg.platform.contributions.models import PaidAmount
from inleg.platform.domain import ledger as domain
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.contributions.preview import euro
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.ledger import booking
from inleg.platform.ledger import models as ledger

PLACEMENT_PREFIX = "plaatsing:"
RETURN_PREFIX = "terug:"


class CannotDecide(DomainError):
    """A placement or return the ledger cannot take (wrong credit, already decided, amounts not known)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    booked: int = 0  # entries made now
    waiting: int = 0  # reversals without their credit: nothing booked, a person decides


def _paid(company: Company, keys: set[tuple[int, int, int]]) -> dict[tuple[int, int, int], domain.Split]:
    """What the payroll paid per (employment pk, year, number), for the keys asked."""
    employments = {k[0] for k in keys}
    rows = PaidAmount.objects.filter(company=company, employment_id__in=employments).values_list(
        "employment_id", "year", "number", "gross_cents", "net_cents"
    )
    return {(e, y, n): domain.Split(Cents(gross), Cents(net)) for e, y, n, gross, net in rows if (e, y, n) in keys}


def booked_split(company: Company, employment: Employment, period: PeriodKey, leave_out: str = "") -> domain.Split:
    """What the ledger holds for ``employment`` from entries for ``period`` (reversals included); ``leave_out``: a
    request id not to count (the credit being booked: its entry is then the same whether or not a concurrent
    worker booked it first, so the repeat matches)."""
    rows = (
        ledger.Posting.objects.exclude(entry__request_id=leave_out)
        .filter(
            entry__company=company,
            entry__employment=employment,
            entry__year=period.year,
            entry__number=period.number,
            account__kind__in=(ledger.Account.Kind.EMPLOYER, ledger.Account.Kind.OWN),
        )
        .values("account__kind")
        .annotate(total=Sum("amount_cents"))
    )
    held = {r["account__kind"]: -int(r["total"]) for r in rows}
    return domain.Split(Cents(max(held.get("employer", 0), 0)), Cents(max(held.get("own", 0), 0)))


def book_pending(company: Company) -> Outcome:
    """Book every credit and reversal of ``company`` not yet in the ledger (credits first, then reversals)."""
    done = set(ledger.Entry.objects.filter(company=company).values_list("request_id", flat=True))
    rows = [
        c
        for c in Credit.objects.filter(company=company)
        .select_related("employment", "reverses")
        .order_by("kind", "booking_date", "pk")
        if c.key not in done
    ]
    return book_credits(company, rows)


def _booked_splits(
    company: Company, keys: set[tuple[int, int, int]], leave_out: set[str]
) -> dict[tuple[int, int, int], list[int]]:
    """What the ledger holds per (employment pk, year, number) on the pension accounts, [employer, own], for the
    keys asked, not counting the entries of ``leave_out`` (the credits being booked)."""
    employments = {k[0] for k in keys}
    rows = (
        ledger.Posting.objects.filter(
            entry__company=company,
            entry__employment__in=employments,
            account__kind__in=(ledger.Account.Kind.EMPLOYER, ledger.Account.Kind.OWN),
        )
        .exclude(entry__request_id__in=leave_out)
        .values("entry__employment", "entry__year", "entry__number", "account__kind")
        .annotate(total=Sum("amount_cents"))
    )
    found: dict[tuple[int, int, int], list[int]] = {}
    for r in rows:
        key = (r["entry__employment"], r["entry__year"], r["entry__number"])
        if key in keys:
            found.setdefault(key, [0, 0])[0 if r["account__kind"] == "employer" else 1] -= int(r["total"])
    return found


def book_credits(company: Company, rows: Iterable[Credit]) -> Outcome:
    """Book ``rows`` (credits before the reversals that take them back); those booked already are left alone."""
    rows = list(rows)
    done: set[str] = set()
    keys = [c.key for c in rows]
    for start in range(0, len(keys), 5000):
        done.update(
            ledger.Entry.objects.filter(company=company, request_id__in=keys[start : start + 5000]).values_list(
                "request_id", flat=True
            )
        )
    rows = [c for c in rows if c.key not in done]
    wanted: set[tuple[int, int, int]] = {
        (c.employment_id, c.year, c.period)
        for c in rows
        if c.kind == Credit.Kind.CREDIT and c.employment_id is not None and c.year is not None and c.period is not None
    }
    paid = _paid(company, wanted)
    booked = _booked_splits(company, wanted, {c.key for c in rows})
    entries: list[tuple[str, domain.Entry]] = []
    reversals: list[Credit] = []
    for credit in rows:
        if credit.kind == Credit.Kind.REVERSAL:
            reversals.append(credit)
            continue
        entries.append((credit.key, _credit_entry(credit, paid, booked)))
    made = booking.book_many(company, entries)
    waiting = 0
    for credit in reversals:  # after the credits they may take back
        if credit.reverses is None:
            waiting += 1
            continue
        original = booking.entry_of(company, credit.reverses.key)
        entry = domain.reversal_of(credit.reverses.key, booking.to_domain(original), "terugboeking van de bank")
        made += booking.book(company, credit.key, entry).created
    return Outcome(made, waiting)


def _credit_entry(
    credit: Credit,
    paid: dict[tuple[int, int, int], domain.Split],
    booked: dict[tuple[int, int, int], list[int]],
) -> domain.Entry:
    amount = Cents(credit.amount_cents)
    if credit.status == Credit.Status.UNRECOGNISED or credit.employment is None:
        return domain.unmatched_credit(amount, reference=credit.key, reason=credit.reason)
    if credit.year is None or credit.period is None:  # a constraint of the import keeps this from happening
        return domain.unmatched_credit(amount, reference=credit.key, reason="periode onbekend")
    key = (credit.employment.pk, credit.year, credit.period)
    so_far = booked.setdefault(key, [0, 0])
    entry = domain.matched_credit(
        amount,
        credit.employment.loket_id,
        PeriodKey(credit.year, credit.period),
        paid.get(key),
        domain.Split(Cents(max(so_far[0], 0)), Cents(max(so_far[1], 0))),
        reference=credit.key,
    )
    # A second credit for the same employment and period in this batch sees what the first booked.
    so_far[0] += entry.amount_on(domain.employer_account(credit.employment.loket_id)).value * -1
    so_far[1] += entry.amount_on(domain.own_account(credit.employment.loket_id)).value * -1
    return entry


# ---- decisions by hand ------------------------------------------------------------------------------------


def _open_credit(company: Company, credit: Credit) -> ledger.Entry:
    if credit.company_id != company.pk or credit.kind != Credit.Kind.CREDIT:
        raise CannotDecide("credit", credit.pk, "Dit is geen bijschrijving van dit bedrijf.")
    if credit.status != Credit.Status.UNRECOGNISED:
        raise CannotDecide(
            "credit",
            credit.pk,
            "Deze bijschrijving is herkend en geboekt; alleen een niet herkende plaatst u met de hand.",
        )
    entry = ledger.Entry.objects.filter(company=company, request_id=credit.key).first()
    if entry is None or entry.kind != ledger.Entry.Kind.UNMATCHED:
        raise CannotDecide(
            "credit", credit.pk, "Deze bijschrijving staat nog niet in het grootboek; lees het afschrift opnieuw in."
        )
    if ledger.Entry.objects.filter(reverses=entry).exists():
        raise CannotDecide("credit", credit.pk, "Deze bijschrijving is door de bank teruggeboekt.")
    decided = ledger.Entry.objects.filter(
        company=company, request_id__in=(PLACEMENT_PREFIX + credit.key, RETURN_PREFIX + credit.key)
    ).first()
    if decided is not None:
        raise CannotDecide(
            "credit",
            credit.pk,
            f"Deze bijschrijving is al {decided.get_kind_display()} op {decided.booked_at:%d-%m-%Y}.",
        )
    return entry


def decision(company: Company, credit: Credit) -> ledger.Entry | None:
    """The placement or return booked for ``credit``, if any."""
    return (
        ledger.Entry.objects.filter(
            company=company, request_id__in=(PLACEMENT_PREFIX + credit.key, RETURN_PREFIX + credit.key)
        )
        .select_related("booked_by", "employment__employee")
        .first()
    )


def place(
    company: Company, credit: Credit, employment: Employment, period: PeriodKey, reason: str, user: User | None
) -> ledger.Entry:
    """Place a credit *niet herkend* on ``employment`` for ``period``: own money first against what the payroll
    paid, less what is booked; refused when the payroll's results for that period are not read, or the credit is
    more than is still open (send the rest back instead: a guess would put someone else's money on this account)."""
    _open_credit(company, credit)
    if employment.company_id != company.pk:
        raise CannotDecide("employment", employment.pk, "Dit is geen dienstverband van dit bedrijf.")
    row = PaidAmount.objects.filter(employment=employment, year=period.year, number=period.number).first()
    if row is None:
        raise CannotDecide(
            "period",
            str(period),
            f"Voor dit dienstverband is over {period} nog geen gelezen uitbetaling; plaats de bijschrijving later.",
        )
    paid = domain.Split(Cents(row.gross_cents), Cents(row.net_cents))
    split, surplus = domain.split_credit(Cents(credit.amount_cents), paid, booked_split(company, employment, period))
    if surplus.value:
        raise CannotDecide(
            "amount",
            credit.amount_cents,
            f"De bijschrijving is {euro(surplus)} meer dan voor deze periode nog openstaat; stuur haar terug.",
        )
    entry = domain.placement(employment.loket_id, period, split, reason)
    return booking.book(company, PLACEMENT_PREFIX + credit.key, entry, by=user).entry


def send_back(company: Company, credit: Credit, reason: str, user: User | None) -> ledger.Entry:
    """Mark a credit *niet herkend* as to be paid back (terug te betalen), with a reason."""
    _open_credit(company, credit)
    entry = domain.return_credit(Cents(credit.amount_cents), reason, reference=credit.key)
    return booking.book(company, RETURN_PREFIX + credit.key, entry, by=user).entry
