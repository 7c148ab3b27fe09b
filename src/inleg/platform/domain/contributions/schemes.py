"""What the employer and the employee set, as a history of dated versions, and what applies in a period.

The employer has one scheme: a fixed amount per period or a percentage of the gross salary, for all
employments or a chosen group of them, from the first day of a payroll period. Per employment the employer may
make an exception (an own amount, an own percentage, or excluded), and may stop the whole scheme from a period
on. The employee sets an own net amount per period per employment.

Nothing is ever overwritten: each change is an immutable version saying who made it, when, and from which
period it applies. Of the versions of one kind, the one that applies in period P is the one with the latest
``from_period`` not after P; versions from the same period are ordered by ``made_at`` (and then by their place
in the history): the later one wins. A later version from an earlier period therefore does not cancel a change
already planned for a later period; to cancel that, make a version from that same period.

A stop ends everything from its period: the employer's amount, exceptions and the employee's net amount (the
net amount is withheld and paid on through the same arrangement). A scheme version after a stop starts it
again, and the employee's latest net amount applies again with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from inleg.platform.domain.contributions.errors import InvalidSalary, InvalidScheme, UnknownPeriod
from inleg.platform.domain.contributions.periods import PayrollPeriod, PeriodKey
from inleg.platform.domain.money import Cents, percentage_of

# Loket's bound on a fixed value (benefits and deductions): 100,000,000.00.
MAX_AMOUNT = Cents(100_000_000_00)
MAX_PERCENT_DECIMALS = 4


def _check_amount(field: str, amount: Cents) -> None:
    if not isinstance(amount, Cents):
        raise InvalidScheme(field, amount, "is not an amount in Cents")
    if not Cents(0) <= amount <= MAX_AMOUNT:
        raise InvalidScheme(field, str(amount), f"lies outside 0.00..{MAX_AMOUNT}")


@dataclass(frozen=True, slots=True)
class FixedAmount:
    """The same gross amount every period."""

    amount: Cents

    def __post_init__(self) -> None:
        _check_amount("amount", self.amount)


@dataclass(frozen=True, slots=True)
class PercentOfSalary:
    """A percentage (3.5 = 3.5 %) of the period's gross salary, rounded half away from zero to the cent."""

    percent: Decimal

    def __post_init__(self) -> None:
        p = self.percent
        if not isinstance(p, Decimal) or not p.is_finite():
            raise InvalidScheme("percent", p, "is not a finite Decimal percentage")
        exponent = p.as_tuple().exponent
        if not Decimal(0) <= p <= Decimal(100) or (isinstance(exponent, int) and exponent < -MAX_PERCENT_DECIMALS):
            raise InvalidScheme(
                "percent", str(p), f"lies outside 0..100 or has more than {MAX_PERCENT_DECIMALS} decimals"
            )


@dataclass(frozen=True, slots=True)
class Excluded:
    """No employer contribution for this employment, whatever the scheme says."""


Rule = FixedAmount | PercentOfSalary


@dataclass(frozen=True, slots=True, kw_only=True)
class _Version:
    from_period: PeriodKey
    author: str
    made_at: datetime

    def __post_init__(self) -> None:
        if not isinstance(self.from_period, PeriodKey):
            raise InvalidScheme("from_period", self.from_period, "is not a payroll period (PeriodKey)")
        if not isinstance(self.author, str) or not self.author.strip():
            raise InvalidScheme("author", self.author, "does not say who made the change")
        if not isinstance(self.made_at, datetime) or self.made_at.utcoffset() is None:
            raise InvalidScheme("made_at", self.made_at, "is not a moment with a time zone")


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemeChange(_Version):
    """The employer's scheme from ``from_period`` on; ``group`` None means every employment."""

    rule: Rule
    group: frozenset[str] | None = None

    def __post_init__(self) -> None:
        super(SchemeChange, self).__post_init__()
        if not isinstance(self.rule, FixedAmount | PercentOfSalary):
            raise InvalidScheme("rule", self.rule, "is neither a fixed amount nor a percentage of salary")
        if self.group is not None and (not isinstance(self.group, frozenset) or not self.group):
            raise InvalidScheme("group", self.group, "is not a non-empty set of employment ids (None: everyone)")


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemeStop(_Version):
    """Nothing from ``from_period`` on: no employer amount, no exception, no net amount."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EmployeeException(_Version):
    """The employer's exception for one employment; ``rule`` None lifts it (the scheme applies again)."""

    employment_id: str
    rule: FixedAmount | PercentOfSalary | Excluded | None

    def __post_init__(self) -> None:
        super(EmployeeException, self).__post_init__()
        if not isinstance(self.employment_id, str) or not self.employment_id:
            raise InvalidScheme("employment_id", self.employment_id, "is not an employment id")
        if self.rule is not None and not isinstance(self.rule, FixedAmount | PercentOfSalary | Excluded):
            raise InvalidScheme("rule", self.rule, "is not an own amount, an own percentage or excluded")


@dataclass(frozen=True, slots=True, kw_only=True)
class NetContribution(_Version):
    """The employee's own net amount per period for one employment; 0 means none."""

    employment_id: str
    amount: Cents

    def __post_init__(self) -> None:
        super(NetContribution, self).__post_init__()
        if not isinstance(self.employment_id, str) or not self.employment_id:
            raise InvalidScheme("employment_id", self.employment_id, "is not an employment id")
        _check_amount("amount", self.amount)


Version = SchemeChange | SchemeStop | EmployeeException | NetContribution


@dataclass(frozen=True, slots=True)
class History:
    """Every version ever made, in the order they were recorded."""

    versions: tuple[Version, ...] = ()

    def with_version(self, version: Version) -> History:
        return History((*self.versions, version))

    def periods(self) -> set[PeriodKey]:
        return {v.from_period for v in self.versions}


def _latest[V: _Version](versions: Iterable[V], period: PeriodKey) -> V | None:
    """The version in effect in ``period``: latest ``from_period``, then latest ``made_at``, then latest recorded."""
    best: tuple[PeriodKey, datetime, int] | None = None
    found: V | None = None
    for index, version in enumerate(versions):
        if version.from_period > period:
            continue
        rank = (version.from_period, version.made_at, index)
        if best is None or rank > best:
            best, found = rank, version
    return found


class Gross(StrEnum):
    """Why the employer's amount is what it is (for the page and the reconciliation)."""

    NO_SCHEME = "geen regeling"
    STOPPED = "gestopt"
    NOT_IN_GROUP = "niet in de groep"
    EXCLUDED = "uitgezonderd"
    SCHEME_AMOUNT = "vast bedrag"
    SCHEME_PERCENT = "percentage van het salaris"
    OWN_AMOUNT = "eigen bedrag"
    OWN_PERCENT = "eigen percentage"


SALARY_UNKNOWN = "salaris onbekend"


@dataclass(frozen=True, slots=True)
class Amounts:
    """What applies to one employment in one period.

    ``gross`` is None when a percentage applies and the period's salary is not known: ``state`` then says
    "salaris onbekend" and nothing may be written for it (0 would silently stop the contribution).
    """

    gross: Cents | None
    net: Cents
    why: Gross

    @property
    def state(self) -> str | None:
        return SALARY_UNKNOWN if self.gross is None else None

    def __iter__(self) -> Iterator[Cents | None]:
        """``gross, net = amounts_for(...)``."""
        return iter((self.gross, self.net))


def _versions_of[V](history: History, kind: type[V]) -> list[V]:
    return [v for v in history.versions if isinstance(v, kind)]


def amounts_for(
    employment_id: str, period: PeriodKey | PayrollPeriod, history: History, salary: Cents | None
) -> Amounts:
    """The employer's gross amount and the employee's net amount for ``employment_id`` in ``period``.

    ``salary``: the gross salary of that period (from Loket's wages), None when Loket has none; it is only used
    when a percentage applies.
    """
    key = period.key if isinstance(period, PayrollPeriod) else period
    if salary is not None and (not isinstance(salary, Cents) or salary < Cents(0)):
        raise InvalidSalary("salary", salary, "is not an amount of at least 0.00")
    employer = _latest((v for v in history.versions if isinstance(v, SchemeChange | SchemeStop)), key)
    if isinstance(employer, SchemeStop):
        return Amounts(Cents(0), Cents(0), Gross.STOPPED)
    net_version = _latest((v for v in _versions_of(history, NetContribution) if v.employment_id == employment_id), key)
    net = net_version.amount if net_version is not None else Cents(0)
    exception = _latest((v for v in _versions_of(history, EmployeeException) if v.employment_id == employment_id), key)
    rule: Rule | Excluded | None = exception.rule if exception is not None else None
    own = rule is not None
    if rule is None:
        if employer is None:
            return Amounts(Cents(0), net, Gross.NO_SCHEME)
        if employer.group is not None and employment_id not in employer.group:
            return Amounts(Cents(0), net, Gross.NOT_IN_GROUP)
        rule = employer.rule
    if isinstance(rule, Excluded):
        return Amounts(Cents(0), net, Gross.EXCLUDED)
    if isinstance(rule, FixedAmount):
        return Amounts(rule.amount, net, Gross.OWN_AMOUNT if own else Gross.SCHEME_AMOUNT)
    why = Gross.OWN_PERCENT if own else Gross.SCHEME_PERCENT
    if salary is None:
        return Amounts(None, net, why)
    return Amounts(percentage_of(salary, rule.percent), net, why)


def check_known(history: History | Sequence[Version], periods: Iterable[PayrollPeriod]) -> None:
    """Refuse versions from a period Loket does not list (after the last listed one): their start date is
    unknown, so no plan could place them."""
    versions = history.versions if isinstance(history, History) else tuple(history)
    known = {p.key for p in periods}
    last = max(known, default=None)
    for version in versions:
        if version.from_period not in known and (last is None or version.from_period > last):
            raise UnknownPeriod("from_period", str(version.from_period), "is not among the payroll periods in Loket")
