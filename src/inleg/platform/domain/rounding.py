"""Rounding: half away from zero (funds.md section 1), the one rule for the platform, for plus and minus alike.

Python's ``round`` and a bare ``Decimal.quantize`` round half to even (0.125 -> 0.12); every rounding of the
platform goes through here instead. ``ROUND_HALF_UP`` is Decimal's name for half away from zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def half_away_from_zero(value: Decimal, places: int) -> Decimal:
    """``value`` with ``places`` decimals, a tie going away from zero: (0.125, 2) -> 0.13, (-0.125, 2) -> -0.13.

    Refuses what is not a finite Decimal (a float is not the number that was typed) with a ValueError.
    """
    if not isinstance(value, Decimal):
        raise TypeError(f"expected a Decimal, got {value!r}")
    if not value.is_finite():
        raise ValueError(f"not a number: {value}")
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than Decimal's context holds
        raise ValueError(f"too large: {value}") from None


def round_cents(amount: Decimal) -> Decimal:
    """An amount of money to whole cents, half away from zero: 0.125 -> 0.13, -0.125 -> -0.13, 0.135 -> 0.14."""
    return half_away_from_zero(amount, 2)
