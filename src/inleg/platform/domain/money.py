"""Money as whole cents, and the one rounding rule: half away from zero, to the cent.

``Cents`` holds an ``int`` and nothing else: a float is refused (``0.1`` in binary is not the amount that was
typed) and so is a bool (an ``int`` to Python, never an amount). Amounts typed as text or ``Decimal`` come in
through ``Cents.parse``, which refuses more than two decimals instead of rounding them away.

Rounding happens only where a rule asks for it: ``percentage_of`` (a contribution as a percentage of salary)
rounds the exact product half away from zero to the cent: 12.345 becomes 12.35 and -12.345 becomes -12.35
(not 12.34 as banker's rounding, Python's default for ``round`` and ``Decimal``, would give). The product is
computed on integers, so no precision setting of a ``decimal`` context can change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from inleg.platform.domain.errors import DomainError

EURO = 100  # cents


class InvalidAmount(DomainError):
    """An amount that is not a whole number of cents (a float, a bool, text that is no number, or too many
    decimals)."""


class InvalidPercentage(DomainError):
    """A percentage that is not a finite ``Decimal`` (a float, a bool, infinity)."""


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: checked by the callers
    return exponent


def div_half_away(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to a whole number, half away from zero. Exact for any ints."""
    if denominator == 0:
        raise ZeroDivisionError("div_half_away: the denominator is 0")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


@dataclass(frozen=True, order=True, slots=True)
class Cents:
    """A whole number of euro cents; negative amounts are allowed (a correction, a difference)."""

    value: int

    def __post_init__(self) -> None:
        if type(self.value) is not int:
            raise InvalidAmount("cents", self.value, "is not a whole number of cents (an int)")

    @classmethod
    def parse(cls, raw: str | Decimal, field: str = "amount") -> Cents:
        """Euros as text (``"12.34"``) or a ``Decimal``, with at most two decimals; refused otherwise.

        The decimal separator is a point: a page that accepts ``12,34`` converts before it calls this.
        """
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, str):
            try:
                value = Decimal(raw.strip())
            except InvalidOperation:
                raise InvalidAmount(field, raw, "is not an amount in euros (such as 12.34)") from None
        else:
            raise InvalidAmount(field, raw, "is not an amount in euros as text or Decimal")
        if not value.is_finite():
            raise InvalidAmount(field, raw, "is not a finite amount")
        if _exponent(value) < -2:
            raise InvalidAmount(field, raw, "has more than 2 decimals; amounts are whole cents")
        return cls(int(value * EURO))

    @classmethod
    def zero(cls) -> Cents:
        return cls(0)

    def to_decimal(self) -> Decimal:
        """Euros with two decimals, as Loket's API takes them (``Decimal("12.30")``)."""
        return Decimal(self.value).scaleb(-2)

    def __str__(self) -> str:
        return str(self.to_decimal())

    def __add__(self, other: Cents) -> Cents:
        return Cents(self.value + other.value)

    def __sub__(self, other: Cents) -> Cents:
        return Cents(self.value - other.value)

    def __neg__(self) -> Cents:
        return Cents(-self.value)

    def __bool__(self) -> bool:
        return self.value != 0


def percentage_of(salary: Cents, percent: Decimal) -> Cents:
    """``percent`` % of ``salary``, rounded half away from zero to the cent.

    ``percent`` is a ``Decimal`` (3.5 means 3.5 %), never a float. The exact product is
    ``salary.value * percent / 100`` cents; only that result is rounded, once.
    """
    if not isinstance(salary, Cents):
        raise InvalidAmount("salary", salary, "is not an amount in Cents")
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise InvalidPercentage("percent", percent, "is not a finite Decimal percentage")
    numerator, denominator = percent.as_integer_ratio()
    return Cents(div_half_away(salary.value * numerator, 100 * denominator))
