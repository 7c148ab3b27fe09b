"""Integer rounding of the batch engine against Fraction arithmetic, including beyond int64."""

from __future__ import annotations

from fractions import Fraction
from math import prod

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inleg.funds.batch import muldiv
from inleg.funds.errors import TooManyDecimals
from inleg.funds.numbers import div_half_up, parse_fixed, round_half_up

factors = st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=4)
denominators = st.lists(st.integers(1, 10**9), min_size=1, max_size=3)


@given(factors, denominators, st.booleans())
def test_muldiv_is_round_half_up_of_the_exact_quotient(nums: list[int], dens: list[int], as_arrays: bool) -> None:
    expected = round_half_up(Fraction(prod(nums), prod(dens)))
    assume(-(2**63) <= expected < 2**63)  # results beyond int64 are not the batch engine's to hold
    operands = [np.array([n], np.int64) if as_arrays else n for n in nums]
    assert int(muldiv(operands, list(dens)).reshape(-1)[0]) == expected


def test_round_half_up_goes_away_from_zero() -> None:
    # funds.md section 1: 332.975 -> 332.98, -0.005 -> -0.01
    assert round_half_up(Fraction(332975, 1000)) == 333
    assert round_half_up(Fraction(-5, 1000) * 100) == -1
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(-5, 2)) == -3
    assert round_half_up(Fraction(249, 100)) == 2
    assert div_half_up(-25, 10) == -3
    assert div_half_up(24, 10) == 2


def test_parse_fixed_keeps_every_digit() -> None:
    assert parse_fixed("f", "1462.08", 2) == 146208
    assert parse_fixed("f", "12.0007", 4) == 120007
    assert parse_fixed("f", "40", 4) == 400000
    assert parse_fixed("f", "-0.01", 2, negative=True) == -1
    assert parse_fixed("f", "-3.5", 1, negative=True) == -35


def test_more_decimals_than_allowed_are_refused_even_trailing_zeros() -> None:
    # funds.md 8: "a percentage written with more than 4 decimals"
    for written in ("12.00071", "12.00070"):
        with pytest.raises(TooManyDecimals):
            parse_fixed("premium.percentage", written, 4)
