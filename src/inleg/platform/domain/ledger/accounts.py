"""The ledger's accounts: the provider's bank account, each employment's pension account in two parts, and the
accounts where money waits for a person (suspense) or to go back (returned).

Amounts are signed the way double entry signs them: a debit is positive, a credit negative. Money arriving in
the bank is a debit on the bank account (its balance grows) and a credit on the account it is owed to, so a
pension account's balance is negative while it holds money; ``held`` turns it round for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inleg.platform.domain.ledger.errors import InvalidAccount
from inleg.platform.domain.money import Cents


class AccountKind(StrEnum):
    BANK = "bank"  # the pension provider's bank account (one per company's ledger)
    EMPLOYER = "employer"  # werkgeversinleg: the employer's gross contribution, per employment
    OWN = "own"  # eigen inleg: the employee's own net contribution, per employment
    SUSPENSE = "suspense"  # niet herkend: received, not (yet) placed on a pension account
    RETURNED = "returned"  # to be paid back to the payer; cleared when the transfer leaves the bank

    @property
    def per_employment(self) -> bool:
        return self in (AccountKind.EMPLOYER, AccountKind.OWN)


@dataclass(frozen=True, order=True, slots=True)
class AccountId:
    """An account of one company's ledger; ``employment`` is the employment's Loket id for pension accounts."""

    kind: AccountKind
    employment: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, AccountKind):
            raise InvalidAccount("account.kind", self.kind, "is not an account kind")
        if self.kind.per_employment and not self.employment:
            raise InvalidAccount("account.employment", self.employment, f"is needed for a {self.kind} account")
        if not self.kind.per_employment and self.employment is not None:
            raise InvalidAccount("account.employment", self.employment, f"is not allowed on the {self.kind} account")

    def __str__(self) -> str:
        return f"{self.kind}:{self.employment}" if self.employment else str(self.kind)


BANK = AccountId(AccountKind.BANK)
SUSPENSE = AccountId(AccountKind.SUSPENSE)
RETURNED = AccountId(AccountKind.RETURNED)


def employer_account(employment: str) -> AccountId:
    return AccountId(AccountKind.EMPLOYER, employment)


def own_account(employment: str) -> AccountId:
    return AccountId(AccountKind.OWN, employment)


def held(balance: Cents) -> Cents:
    """What an account that owes money (pension, suspense, returned) holds: its balance turned round."""
    return -balance
