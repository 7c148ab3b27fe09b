"""The ledger's failures: one root (``LedgerError``) under the domain's, one subclass per broken rule."""

from __future__ import annotations

from inleg.platform.domain.errors import DomainError


class LedgerError(DomainError):
    """A booking the ledger refuses; nothing of it is booked."""


class UnbalancedEntry(LedgerError):
    """The postings of an entry do not sum to zero."""


class TooFewPostings(LedgerError):
    """An entry needs at least two postings (money comes from one account and goes to another)."""


class ZeroPosting(LedgerError):
    """A posting of 0 cents moves nothing and is refused."""


class DuplicateAccount(LedgerError):
    """An account appears twice in one entry (the two postings would have to be merged: which was meant?)."""


class InvalidAccount(LedgerError):
    """An account id of the wrong shape: a pension account without an employment, or the bank with one."""


class InvalidCredit(LedgerError):
    """A credit of 0 or less, or a split with a negative part."""


class MissingReason(LedgerError):
    """A booking by hand (placement, return) needs a reason, kept in the history."""


class NotReversible(LedgerError):
    """A reversal of a reversal: book the original again under a new request id instead."""


class AlreadyReversed(LedgerError):
    """The entry has been reversed already; an entry is reversed at most once."""


class ConflictingRepeat(LedgerError):
    """The request id was booked before with other content: a repeat must carry the same booking."""


class UnknownEntry(LedgerError):
    """No entry was booked under this request id."""
