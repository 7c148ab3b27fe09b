"""The batch engine agrees with the scalar oracle to the cent, on random funds, employments and periods.

Both of its paths: the compiled kernel (every fund without versions in the year, the default) and the numpy
path (funds with versions, products beyond int64, and every fund with ``compiled=False``).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from inleg.funds import batch, parse_case, scalar
from inleg.funds.population import from_case
from tests.funds.strategies import cases


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled kernel", "numpy path"])
@given(data=cases())
def test_batch_agrees_with_scalar(compiled: bool, data: dict[str, Any]) -> None:
    case = parse_case(data)
    expected = scalar.calculate(case)
    got = batch.compute(from_case(case), compiled=compiled).to_rows()
    assert len(got) == len(expected)
    for mine, oracle in zip(got, expected, strict=True):
        assert mine == oracle
