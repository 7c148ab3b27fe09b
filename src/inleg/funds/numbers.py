"""Exact numbers of the fund engine: parsing fixed-point strings and rounding half away from zero.

Money is held as integer cents, percentages as integer ten-thousandths of a percent (``7.5000`` ->
75000), part-time factors as ten-thousandths (``0.3947`` -> 3947), hours as hundredths and the norm
hours per week as ten-thousandths. Intermediate values are ``Fraction``: no float ever touches money.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from inleg.funds.errors import BadNumber, OutOfRange, TooManyDecimals, WrongType

MONEY_PLACES = 2
PERCENT_PLACES = 4
FACTOR_PLACES = 4
HOURS_PLACES = 2
NORM_PLACES = 4

PERCENT_SCALE = 10**PERCENT_PLACES
FACTOR_SCALE = 10**FACTOR_PLACES
HOURS_SCALE = 10**HOURS_PLACES
NORM_SCALE = 10**NORM_PLACES


def parse_fixed(field: str, value: Any, places: int, *, negative: bool = False) -> int:
    """Parse a decimal string with at most ``places`` decimals into an integer of that scale.

    JSON integers are accepted too (``40`` for a norm); floats are refused, since ``0.1`` in binary
    is not the number the payroll administrator typed.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise WrongType(field, value, 'expected a decimal number written as a string, such as "12.50"')
    text = str(value)
    sign = text.startswith("-")
    whole, dot, frac = (text[1:] if sign else text).partition(".")
    if not (whole.isascii() and whole.isdigit()) or (dot and not (frac.isascii() and frac.isdigit())):
        raise BadNumber(field, value, "not a decimal number")
    if len(frac) > places:  # "written with more than N decimals" (funds.md 8), trailing zeros too
        raise TooManyDecimals(field, value, f"at most {places} decimals allowed")
    scale: int = 10**places
    number = int(whole) * scale + (int(frac) * 10 ** (places - len(frac)) if frac else 0)
    if sign:
        number = -number
    if number < 0 and not negative:
        raise OutOfRange(field, value, "must not be negative")
    return number


def round_half_up(value: Fraction) -> int:
    """Round to the nearest integer, halves away from zero (ROUND_HALF_UP): 2.5 -> 3, -0.5 -> -1."""
    if value >= 0:
        return math.floor(value + Fraction(1, 2))
    return -math.floor(-value + Fraction(1, 2))


def div_half_up(numerator: int, denominator: int) -> int:
    """``round_half_up(numerator / denominator)`` on integers, for a positive denominator."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((2 * -numerator + denominator) // (2 * denominator))


def ceil_div(numerator: int, denominator: int) -> int:
    """Ceiling of a non-negative quotient."""
    return -(-numerator // denominator)


def format_fixed(number: int, places: int) -> str:
    """Format an integer of scale ``10**places`` as a decimal string: 123456, 2 -> ``"1234.56"``."""
    digits = str(abs(number)).rjust(places + 1, "0")
    sign = "-" if number < 0 else ""
    if places == 0:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def format_money(cents: int) -> str:
    return format_fixed(cents, MONEY_PLACES)


def format_percent(value: int) -> str:
    return format_fixed(value, PERCENT_PLACES)


def format_hours(value: int) -> str:
    return format_fixed(value, HOURS_PLACES)
