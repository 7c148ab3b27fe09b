"""What a camt.053 file holds for the pension provider: credits, reversals and ignored lines, each with its reason.

A file is read whole or refused whole (``UnreadableStatement``); nothing is half-read. Inside a readable file
every entry gets one of three outcomes:

- a **credit** (``Credit``): money in, in euros, booked by the bank. With a readable excasso reference it names
  the employment and period (docs/excasso-reference.md); without one ``problem`` says why, in Dutch, and it
  waits as *niet herkend* until a person places it.
- a **reversal** (``Reversal``): the bank takes back a credit (a debit with ``RvslInd`` true).
- an **ignored** line (``Ignored``): a debit, another currency, an entry not yet booked, the reversal of a debit;
  ``reason`` says which. It books nothing.

The idempotency key (``key``) of a credit or reversal is the bank's own reference, so that a statement read
twice, or two statements that overlap, book nothing twice. Which reference, in this order:

1. the transaction's ``TxDtls/Refs/AcctSvcrRef``, when the bank gives one: its reference of that one transfer,
   also inside a batch;
2. otherwise the entry's ``AcctSvcrRef`` (else its ``NtryRef``): alone when the entry holds one transaction, and
   followed by ``/<n>`` (the transaction's place in the entry, from 1) when it is a batch. Banks send a booked
   entry with the same details in the same order each time they report it, so the place is stable.

Each key starts with the account's IBAN (``NL..../ref``): a bank's references are unique per account it
services, not across banks. The entry's ``AcctSvcrRef`` and ``NtryRef`` keys are marked (``A:``/``N:``) so the
two kinds of reference can never be taken for one another. An entry with none of these references cannot be read
idempotently: it is ignored with that reason, to be booked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from inleg.platform.domain.bank.iban import Iban
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.excasso import ExcassoReference
from inleg.platform.domain.money import Cents

SUPPORTED_VERSIONS = ("camt.053.001.02", "camt.053.001.04")


class UnreadableStatement(DomainError):
    """The file as a whole is no camt.053 statement we can read: ``problem`` says why, in Dutch."""

    def __init__(self, problem: str, *, code: str, line: int | None = None) -> None:
        super().__init__("bestand", code, problem)
        self.code = code  # not_xml, other_message, unsupported_version, schema, account
        self.line = line

    def __str__(self) -> str:
        return self.problem


@dataclass(frozen=True, slots=True)
class Credit:
    """Money in, in euros, booked by the bank: one transfer (one ``TxDtls``, or an entry without details)."""

    key: str
    amount: Cents
    booking_date: date
    value_date: date | None
    end_to_end_id: str
    remittance: str
    debtor_name: str
    debtor_iban: Iban | None
    reference: ExcassoReference | None  # None: not recognised, ``problem`` says why
    problem: str
    line: int  # where the entry starts in the file

    @property
    def recognised(self) -> bool:
        return self.reference is not None


@dataclass(frozen=True, slots=True)
class Reversal:
    """The bank takes a credit back (``CdtDbtInd`` DBIT with ``RvslInd`` true).

    It names what it reverses by what the bank repeats of the original: the EndToEndId and remittance (so the
    excasso reference) and the amount. Which stored credit that is, is decided where the credits are stored
    (``reverses`` in the bank app): exactly one unreversed credit with that reference and amount, else a person.
    """

    key: str
    amount: Cents
    booking_date: date
    end_to_end_id: str
    remittance: str
    reference: ExcassoReference | None
    problem: str
    line: int


@dataclass(frozen=True, slots=True)
class Ignored:
    """An entry that books nothing for the pension accounts, and why."""

    entry: str  # the bank's reference of the entry, or "" when it gave none
    amount: str  # as the bank wrote it, with its currency: "12.50 USD"
    reason: str
    line: int


@dataclass(frozen=True, slots=True)
class Statement:
    """One ``Stmt``: one account's statement over a period."""

    statement_id: str
    account: Iban
    created: datetime
    credits: tuple[Credit, ...]
    reversals: tuple[Reversal, ...]
    ignored: tuple[Ignored, ...]


@dataclass(frozen=True, slots=True)
class StatementFile:
    """A camt.053 message: its version (from its namespace), its id and its statements (one or more)."""

    version: str
    message_id: str
    created: datetime
    statements: tuple[Statement, ...]

    @property
    def credits(self) -> tuple[Credit, ...]:
        return tuple(credit for statement in self.statements for credit in statement.credits)

    @property
    def reversals(self) -> tuple[Reversal, ...]:
        return tuple(reversal for statement in self.statements for reversal in statement.reversals)

    @property
    def ignored(self) -> tuple[Ignored, ...]:
        return tuple(line for statement in self.statements for line in statement.ignored)
