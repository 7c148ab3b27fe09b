"""The batch engine agrees with the scalar oracle to the cent, on random funds, employments and periods."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from inleg.funds import batch, parse_case, scalar
from tests.funds.strategies import cases


@given(cases())
def test_batch_agrees_with_scalar(data: dict[str, Any]) -> None:
    case = parse_case(data)
    expected = scalar.calculate(case)
    got = batch.calculate(case)
    assert len(got) == len(expected)
    for mine, oracle in zip(got, expected, strict=True):
        assert mine == oracle
