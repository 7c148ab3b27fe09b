"""The booking rules the bank side calls: what each event on a statement (or a person's decision) books.

**The split of a matched credit.** The payroll paid two amounts for an employment and period: the employer's gross
contribution (werkgeversinleg) and the employee's own net amount (eigen inleg); Loket's excasso pays their sum in
one transfer. A credit of exactly that sum is split exactly so. A credit that differs is filled **own money
first**: the employee's own part up to what the payroll withheld for it, then the employer's part up to what
was paid for it, counting what earlier credits for the same employment and period booked already; whatever is
left (a credit received twice, an overpayment) goes to suspense, where a person places or returns it.

Why own money first and not pro rata: the own part was withheld from the employee's net wage, so it is the
employee's money in a way the employer's part is not; a shortfall then stays with the employer's part, which the
employer tops up (and the top-up fills exactly the gap). It is exact without a rounding rule, and the result does
not depend on how the money was cut into transfers: two credits booked in any order end where one credit of their
sum would (tested). Pro rata would round every partial credit and let the split drift with the number of transfers.

A credit whose employment and period are known but whose paid amounts are not (the payroll's results not read yet)
is not split by guess: it goes to suspense, named with its employment and period, and is placed when they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.ledger.accounts import BANK, RETURNED, SUSPENSE, employer_account, own_account
from inleg.platform.domain.ledger.entry import Entry, EntryKind, postings
from inleg.platform.domain.ledger.errors import InvalidCredit, MissingReason
from inleg.platform.domain.money import Cents


@dataclass(frozen=True, slots=True)
class Split:
    """Employer money (werkgeversinleg) and own money (eigen inleg), each 0 or more."""

    employer: Cents
    own: Cents

    def __post_init__(self) -> None:
        for name in ("employer", "own"):
            value = getattr(self, name)
            if not isinstance(value, Cents) or value.value < 0:
                raise InvalidCredit(f"split.{name}", value, "is not an amount in Cents of 0 or more")

    @property
    def total(self) -> Cents:
        return self.employer + self.own

    @classmethod
    def nothing(cls) -> Split:
        return cls(Cents(0), Cents(0))


def _positive(field: str, amount: Cents) -> None:
    if not isinstance(amount, Cents) or amount.value <= 0:
        raise InvalidCredit(field, amount, "is not an amount of more than 0 cents")


def _reason(reason: str) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise MissingReason("reason", reason, "is empty; a booking by hand needs a reason")
    return reason


def split_credit(amount: Cents, paid: Split, booked: Split) -> tuple[Split, Cents]:
    """``amount`` over what is still open of ``paid`` after ``booked``: own money first, then employer money;
    returns the split and the surplus (for suspense)."""
    _positive("amount", amount)
    open_own = max(paid.own.value - booked.own.value, 0)
    open_employer = max(paid.employer.value - booked.employer.value, 0)
    own = min(amount.value, open_own)
    employer = min(amount.value - own, open_employer)
    return Split(Cents(employer), Cents(own)), Cents(amount.value - own - employer)


def matched_credit(
    amount: Cents,
    employment: str,
    period: PeriodKey,
    paid: Split | None,
    booked: Split | None = None,
    reference: str = "",
) -> Entry:
    """A credit whose excasso reference names ``employment`` and ``period``: the bank against the employment's
    pension accounts, split by ``paid`` (what the payroll paid) less ``booked`` (what credits for the same
    employment and period booked already); the surplus, or all of it when ``paid`` is unknown, to suspense."""
    _positive("amount", amount)
    if paid is None:
        split, surplus = Split.nothing(), amount
    else:
        split, surplus = split_credit(amount, paid, booked or Split.nothing())
    return Entry(
        EntryKind.MATCHED_CREDIT,
        postings(
            (BANK, amount),
            (employer_account(employment), -split.employer),
            (own_account(employment), -split.own),
            (SUSPENSE, -surplus),
        ),
        employment=employment,
        period=period,
        reference=reference,
    )


def unmatched_credit(amount: Cents, reference: str = "", reason: str = "") -> Entry:
    """A credit no employment could be found for: the bank against suspense ("niet herkend")."""
    _positive("amount", amount)
    return Entry(
        EntryKind.UNMATCHED_CREDIT,
        postings((BANK, amount), (SUSPENSE, -amount)),
        reference=reference,
        reason=reason,
    )


def placement(employment: str, period: PeriodKey | None, split: Split, reason: str) -> Entry:
    """Money from suspense placed by hand on an employment's pension accounts, in the split the person chose."""
    _positive("split.total", split.total)
    return Entry(
        EntryKind.PLACEMENT,
        postings(
            (SUSPENSE, split.total),
            (employer_account(employment), -split.employer),
            (own_account(employment), -split.own),
        ),
        employment=employment,
        period=period,
        reason=_reason(reason),
    )


def return_credit(amount: Cents, reason: str, reference: str = "") -> Entry:
    """Money from suspense to be paid back to the payer (decided by hand, with a reason)."""
    _positive("amount", amount)
    return Entry(
        EntryKind.RETURN,
        postings((SUSPENSE, amount), (RETURNED, -amount)),
        reference=reference,
        reason=_reason(reason),
    )


def return_paid(amount: Cents, reference: str = "") -> Entry:
    """The transfer back to the payer left the bank (a debit on the statement)."""
    _positive("amount", amount)
    return Entry(EntryKind.RETURN_PAID, postings((RETURNED, amount), (BANK, -amount)), reference=reference)
