"""Cents and the one rounding rule (half away from zero, to the cent), checked against hand arithmetic."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents, InvalidAmount, InvalidPercentage, div_half_away, percentage_of


def test_cents_hold_an_int() -> None:
    assert Cents(1234).value == 1234
    assert Cents(-5).value == -5


@pytest.mark.parametrize("bad", [True, False, 12.5, 12.0, "12", Decimal("12"), None])
def test_cents_refuse_what_is_not_an_int(bad: object) -> None:
    with pytest.raises(InvalidAmount) as error:
        Cents(bad)  # type: ignore[arg-type]
    assert error.value.field == "cents"
    assert repr(bad) in str(error.value)
    assert isinstance(error.value, DomainError)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12.34", 1234),
        ("12.3", 1230),  # 12.30 euro
        ("12", 1200),
        ("0.01", 1),
        ("-0.01", -1),
        (" 7.50 ", 750),
        ("1e2", 10000),  # 100 euro
        (Decimal("0.10"), 10),
        (Decimal("100000000.00"), 10_000_000_000),
    ],
)
def test_parse_euros(text: str | Decimal, cents: int) -> None:
    assert Cents.parse(text) == Cents(cents)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("12.345", "more than 2 decimals"),
        ("0.001", "more than 2 decimals"),
        ("12,34", "not an amount in euros"),
        ("twaalf", "not an amount in euros"),
        ("", "not an amount in euros"),
        ("NaN", "not a finite amount"),
        ("Infinity", "not a finite amount"),
        (12.34, "as text or Decimal"),
        (True, "as text or Decimal"),
        (1234, "as text or Decimal"),  # 1234 what: euros or cents? refused rather than guessed
    ],
)
def test_parse_refuses_naming_field_and_value(raw: object, says: str) -> None:
    with pytest.raises(InvalidAmount) as error:
        Cents.parse(raw, field="bedrag")  # type: ignore[arg-type]
    assert error.value.field == "bedrag"
    assert error.value.value == raw
    assert str(error.value).startswith(f"bedrag: {raw!r} ")
    assert says in str(error.value)


def test_decimal_and_text_forms() -> None:
    assert Cents(1230).to_decimal() == Decimal("12.30")
    assert str(Cents(1230)) == "12.30"
    assert str(Cents(-5)) == "-0.05"
    assert Cents(100) + Cents(-30) == Cents(70)
    assert Cents(100) - Cents(130) == Cents(-30)
    assert -Cents(5) == Cents(-5)
    assert not Cents(0)
    assert Cents(1)
    assert Cents(-1) < Cents(0) < Cents(1)


@pytest.mark.parametrize(
    ("salary", "percent", "expected"),
    [
        # 3000.00 x 5 % = 150.00 exactly: 300000 x 5 / 100 = 15000 cents
        (300000, "5", 15000),
        # 2345.67 x 3 % = 70.3701: 234567 x 3 / 100 = 7037.01 cents -> 7037
        (234567, "3", 7037),
        # 1234.50 x 1 % = 12.345: 123450 / 100 = 1234.5 cents, a half -> away from zero: 1235 (banker's: 1234)
        (123450, "1", 1235),
        (-123450, "1", -1235),
        # 0.05 x 50 % = 0.025: 5 x 50 / 100 = 2.5 cents -> 3 (banker's: 2); negative -> -3
        (5, "50", 3),
        (-5, "50", -3),
        # 0.01 x 50 % = 0.005: 0.5 cent -> 1 cent
        (1, "50", 1),
        # 100.01 x 2.5 % = 2.50025: 10001 x 2.5 / 100 = 250.025 cents -> 250
        (10001, "2.5", 250),
        # 2000.00 x 3.3333 % = 66.666: 200000 x 3.3333 / 100 = 6666.6 cents -> 6667
        (200000, "3.3333", 6667),
        # 0.01 x 49.9999 % = 0.499999 cent -> 0 (just under a half)
        (1, "49.9999", 0),
        (-1, "49.9999", 0),
        # 1999.99 x 0 % = 0
        (199999, "0", 0),
        # 4321.09 x 100 % = 4321.09
        (432109, "100", 432109),
    ],
)
def test_percentage_of_by_hand(salary: int, percent: str, expected: int) -> None:
    assert percentage_of(Cents(salary), Decimal(percent)) == Cents(expected)


@pytest.mark.parametrize("bad", [3.5, True, Decimal("NaN"), Decimal("Infinity"), "3.5"])
def test_percentage_of_refuses_a_percent_that_is_no_finite_decimal(bad: object) -> None:
    with pytest.raises(InvalidPercentage) as error:
        percentage_of(Cents(100), bad)  # type: ignore[arg-type]
    assert error.value.field == "percent"


def test_percentage_of_refuses_a_salary_that_is_no_cents() -> None:
    with pytest.raises(InvalidAmount) as error:
        percentage_of(300000, Decimal(5))  # type: ignore[arg-type]
    assert error.value.field == "salary"


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(5, 2, 3), (-5, 2, -3), (5, -2, -3), (-5, -2, 3), (4, 3, 1), (-4, 3, -1), (7, 2, 4), (0, 7, 0), (6, 3, 2)],
)
def test_div_half_away(numerator: int, denominator: int, expected: int) -> None:
    assert div_half_away(numerator, denominator) == expected


@given(
    salary=st.integers(-(10**12), 10**12),
    percent=st.decimals(min_value=-200, max_value=200, places=4, allow_nan=False, allow_infinity=False),
)
def test_percentage_of_equals_decimal_half_up_at_ample_precision(salary: int, percent: Decimal) -> None:
    """Another way to the same number: Decimal's ROUND_HALF_UP (which rounds halves away from zero) with enough
    digits that the product is exact."""
    with localcontext(prec=60):
        exact = Decimal(salary) * percent / 100
        expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert percentage_of(Cents(salary), percent) == Cents(expected)
