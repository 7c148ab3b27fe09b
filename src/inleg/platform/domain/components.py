"""Choosing the wage components (looncomponenten) the platform writes to, one per purpose.

The employer's gross contribution goes on a payment that Loket pays gross (and withholds net again, to
pay it on to the pension provider by excasso); the employee's own amount on a net deduction. A component
named `Pensify Inleg` (or `Netto inleg`) of the right kind is recognised; otherwise the employer picks,
and a pick that would write contributions onto something else (the salary, a deduction, values the
payroll already holds) is refused. Nothing is ever chosen on the employer's behalf by elimination.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Protocol


class Component(Protocol):
    @property
    def key(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def category_key(self) -> int | None: ...
    @property
    def deduction_or_payment_key(self) -> int | None: ...


class Category(IntEnum):
    """The categories of the official description (PayrollComponent.category.key) that matter here."""

    HOURS = 1  # Uren
    WAGE = 2  # Loon: the salary itself
    GROSS_ALLOWANCE = 7  # Bruto vergoeding volgens tabel
    NET_ALLOWANCE = 9  # Netto vergoeding
    TAXABLE_ADDITION = 11  # Fiscale bijtelling
    GROSS_DEDUCTION = 12  # Bruto inhouding
    NET_DEDUCTION = 13  # Netto inhouding
    TAX_REDUCTION = 17  # Afdrachtvermindering
    PER_UNIT = 30  # Bedrag per eenheid
    FUNDS = 40  # Fondsen
    TOTALS = 50  # Totalen


# The categories Loket accepts as a fixed value on an employment (benefits and deductions).
BENEFIT_CATEGORIES = frozenset(
    {
        Category.GROSS_ALLOWANCE,
        Category.NET_ALLOWANCE,
        Category.TAXABLE_ADDITION,
        Category.GROSS_DEDUCTION,
        Category.NET_DEDUCTION,
        Category.TAX_REDUCTION,
        Category.PER_UNIT,
    }
)


class Direction(IntEnum):
    """deductionOrPayment.key: whether the amount is taken from the wage or added to it."""

    DEDUCTION = 1  # Inhouding
    PAYMENT = 2  # Betaling


class Purpose(StrEnum):
    """What a component holds; the values name the connection's fields (``component_key``, ...)."""

    EMPLOYER_GROSS = "component"  # the employer's gross contribution: paid gross, withheld net, excasso
    EMPLOYEE_NET = "net_component"  # the employee's own amount: a net deduction, excasso


# Per purpose: the one category that suits it and the direction its amount must go.
_SUITS: dict[Purpose, tuple[Category, Direction]] = {
    Purpose.EMPLOYER_GROSS: (Category.GROSS_ALLOWANCE, Direction.PAYMENT),
    Purpose.EMPLOYEE_NET: (Category.NET_DEDUCTION, Direction.DEDUCTION),
}


class Fit(StrEnum):
    SUITABLE = "suitable"  # offered in the choice
    UNUSUAL = "unusual"  # only under "toon alle componenten", and only when the employer confirms it
    WRONG = "wrong"  # never: writing contributions there would pay or withhold the wrong money


class Reason(StrEnum):
    FITS = "fits"
    NO_FIXED_VALUE = "no_fixed_value"  # hours, totals, funds: no fixed amount can be set on it
    NOT_A_BENEFIT = "not_a_benefit"  # the salary or another category Loket keeps no fixed values for
    WRONG_DIRECTION = "wrong_direction"  # a deduction for the payment, or the other way round
    OTHER_CATEGORY = "other_category"  # the right direction in another category (net allowance, per unit, ...)
    IN_USE = "in_use"  # the payroll already holds other values on it
    OTHER_PURPOSE = "other_purpose"  # already chosen for the other purpose
    UNCONFIRMED = "unconfirmed"  # unusual, and the employer did not confirm it is set up for this


@dataclass(frozen=True)
class Verdict:
    fit: Fit
    reason: Reason


def judge(component: Component, purpose: Purpose) -> Verdict:
    """How well a component of the catalogue suits a purpose, from its category and direction alone."""
    category, direction = component.category_key, component.deduction_or_payment_key
    if direction is None:
        return Verdict(Fit.WRONG, Reason.NO_FIXED_VALUE)
    if category is not None and category not in BENEFIT_CATEGORIES:
        return Verdict(Fit.WRONG, Reason.NOT_A_BENEFIT)
    suits, must_go = _SUITS[purpose]
    if direction != must_go:
        return Verdict(Fit.WRONG, Reason.WRONG_DIRECTION)
    if category != suits:
        return Verdict(Fit.UNUSUAL, Reason.OTHER_CATEGORY)
    return Verdict(Fit.SUITABLE, Reason.FITS)


def suitable[C: Component](components: Iterable[C], purpose: Purpose) -> list[C]:
    """The components offered for a purpose, by key."""
    return sorted((c for c in components if judge(c, purpose).fit == Fit.SUITABLE), key=lambda c: c.key)


class How(StrEnum):
    AUTOMATIC = "automatic"  # recognised by its name
    MANUAL = "manual"  # picked by the employer


@dataclass(frozen=True)
class Choice:
    key: int
    description: str
    how: How


class Refused(ValueError):
    """A pick the platform will not write to; ``reason`` says why, ``in_use`` how many employments hold values."""

    def __init__(self, key: int, description: str, reason: Reason, in_use: int = 0) -> None:
        self.key = key
        self.description = description
        self.reason = reason
        self.in_use = in_use
        super().__init__(f"component {key} {description}: {reason}" + (f" ({in_use} employments)" if in_use else ""))


class Unknown(ValueError):
    """A key that is not a component of the administration's catalogue."""

    def __init__(self, key: int) -> None:
        self.key = key
        super().__init__(f"component: {key} is not a component of this administration")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def recognise(components: Sequence[Component], name: str, purpose: Purpose) -> Choice | None:
    """The one suitable component whose description is ``name`` (ignoring case and spacing), if exactly one is.

    A component of that name of the wrong kind is not taken: the name alone does not make a salary a payment.
    """
    found = [c for c in suitable(components, purpose) if _norm(c.description) == _norm(name)]
    if len(found) != 1:
        return None
    return Choice(found[0].key, found[0].description, How.AUTOMATIC)


def find(components: Sequence[Component], key: int) -> Component:
    for c in components:
        if c.key == key:
            return c
    raise Unknown(key)


def pick(
    components: Sequence[Component],
    key: int,
    purpose: Purpose,
    *,
    confirmed: bool = False,
    in_use: int = 0,
    other_key: int | None = None,
) -> Choice:
    """The employer's pick for ``purpose``, or :class:`Refused` / :class:`Unknown`.

    ``in_use`` is the number of employments on which Loket holds values of this component that the
    platform did not write; ``other_key`` the component chosen for the other purpose. An unusual
    component is taken only when ``confirmed`` (the employer ticked that it is set up for this in Loket).
    """
    component = find(components, key)
    verdict = judge(component, purpose)
    if verdict.fit == Fit.WRONG:
        raise Refused(component.key, component.description, verdict.reason)
    if other_key is not None and other_key == component.key:
        raise Refused(component.key, component.description, Reason.OTHER_PURPOSE)
    if in_use:
        raise Refused(component.key, component.description, Reason.IN_USE, in_use)
    if verdict.fit == Fit.UNUSUAL and not confirmed:
        raise Refused(component.key, component.description, Reason.UNCONFIRMED)
    return Choice(component.key, component.description, How.MANUAL)


@dataclass(frozen=True)
class Listed:
    """A component as the platform keeps it between checks (the catalogue's fields it judges by)."""

    key: int
    description: str
    category: str = ""
    category_key: int | None = None
    deduction_or_payment: str = ""
    deduction_or_payment_key: int | None = None
