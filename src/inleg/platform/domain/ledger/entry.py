"""An entry: postings that sum to zero, checked when it is made; never changed, only reversed.

An entry carries what a person needs to read it later (its kind, the employment and period it pays, the bank's
reference, the reason of a booking by hand) and, for a reversal, the request id of the entry it undoes. Its
``fingerprint`` is that content in one canonical string: a repeat under the same request id must have the same
fingerprint, or it is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.ledger.accounts import AccountId
from inleg.platform.domain.ledger.errors import (
    DuplicateAccount,
    InvalidCredit,
    NotReversible,
    TooFewPostings,
    UnbalancedEntry,
    ZeroPosting,
)
from inleg.platform.domain.money import Cents


class EntryKind(StrEnum):
    MATCHED_CREDIT = "matched"  # a credit the excasso reference names: on the pension accounts
    UNMATCHED_CREDIT = "unmatched"  # a credit nobody could place yet: to suspense ("niet herkend")
    PLACEMENT = "placement"  # from suspense onto a pension account, by hand, with a reason
    RETURN = "return"  # from suspense to be paid back to the payer, by hand, with a reason
    RETURN_PAID = "return_paid"  # the transfer back left the bank
    REVERSAL = "reversal"  # undoes one earlier entry (the bank's RvslInd, or a mistake)


@dataclass(frozen=True, order=True, slots=True)
class Posting:
    account: AccountId
    amount: Cents  # a debit is positive, a credit negative

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Cents):
            raise InvalidCredit("posting.amount", self.amount, "is not an amount in Cents")
        if not self.amount:
            raise ZeroPosting(f"posting {self.account}", self.amount.value, "cents moves nothing")


@dataclass(frozen=True, slots=True)
class Entry:
    kind: EntryKind
    postings: tuple[Posting, ...]
    employment: str | None = None
    period: PeriodKey | None = None
    reference: str = ""  # the bank's reference of the statement entry it books (empty for bookings by hand)
    reason: str = ""
    reverses: str | None = None  # the request id of the entry this one undoes

    def __post_init__(self) -> None:
        postings = tuple(sorted(self.postings))  # one order, so equal content has one fingerprint
        object.__setattr__(self, "postings", postings)
        if len(postings) < 2:
            raise TooFewPostings("postings", len(postings), "postings; an entry needs at least 2")
        accounts = [p.account for p in postings]
        if len(set(accounts)) != len(accounts):
            twice = sorted({str(a) for a in accounts if accounts.count(a) > 1})
            raise DuplicateAccount("postings", twice, "appear more than once in one entry")
        total = sum(p.amount.value for p in postings)
        if total != 0:
            raise UnbalancedEntry("postings", total, "cents is their sum; the postings of an entry sum to 0")
        if (self.kind is EntryKind.REVERSAL) != (self.reverses is not None):
            raise NotReversible("reverses", self.reverses, f"does not fit an entry of kind {self.kind}")

    def amount_on(self, account: AccountId) -> Cents:
        return sum((p.amount for p in self.postings if p.account == account), Cents(0))

    @property
    def moved(self) -> Cents:
        """The money the entry moves: the sum of its debits."""
        return Cents(sum(p.amount.value for p in self.postings if p.amount.value > 0))

    def fingerprint(self) -> str:
        content = {
            "kind": str(self.kind),
            "postings": [[p.account.kind, p.account.employment, p.amount.value] for p in self.postings],
            "employment": self.employment,
            "period": str(self.period) if self.period else None,
            "reference": self.reference,
            "reason": self.reason,
            "reverses": self.reverses,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def postings(*pairs: tuple[AccountId, Cents]) -> tuple[Posting, ...]:
    """The non-zero pairs as postings (a part of 0 cents is left out rather than booked)."""
    return tuple(Posting(account, amount) for account, amount in pairs if amount)


def reversal_of(request_id: str, original: Entry, reason: str = "") -> Entry:
    """The entry that undoes ``original`` (booked under ``request_id``): every posting turned round."""
    if original.kind is EntryKind.REVERSAL:
        raise NotReversible(
            "entry", request_id, "is a reversal itself; book the original again under a new request id instead"
        )
    return Entry(
        EntryKind.REVERSAL,
        tuple(Posting(p.account, -p.amount) for p in original.postings),
        employment=original.employment,
        period=original.period,
        reference=original.reference,
        reason=reason,
        reverses=request_id,
    )


def balances(entries: Iterable[Entry]) -> dict[AccountId, Cents]:
    """Each account's balance over ``entries`` (accounts without postings are left out)."""
    totals: dict[AccountId, int] = {}
    for entry in entries:
        for p in entry.postings:
            totals[p.account] = totals.get(p.account, 0) + p.amount.value
    return {account: Cents(value) for account, value in totals.items()}
