"""The compiled kernel hands a fund to the numpy path when a product could leave int64 (ADR 0001, 0009)."""

from __future__ import annotations

import pytest

from inleg.funds import batch, kernel, numbers, parse_case, scalar
from inleg.funds.population import from_case
from tests.funds.builders import NOTHING, case, employment, fund, threshold

HUGE = threshold("999999999999.99", "hour", part_time=True)  # a franchise of almost a trillion euros an hour


def _numpy_funds(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """Records the funds that the numpy path computes."""
    seen: set[int] = set()
    run = batch._FundPass.run

    def recording(self: batch._FundPass, out: batch.Columns) -> None:
        seen.update(int(number) for number in self.pop.link_fund[self.links])
        run(self, out)

    monkeypatch.setattr(batch._FundPass, "run", recording)
    return seen


def test_a_fund_whose_products_leave_int64_is_computed_exactly_on_the_numpy_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sides = {"percentage": "10.0000", "min_base": NOTHING, "max_base": NOTHING, "franchise": HUGE}
    data = case(
        funds=[fund(number=1, premium=sides, total=sides), fund(number=2)],
        employments=[employment(part_time_factor="0.8000", funds=[{"number": 1}, {"number": 2}])],
    )
    numpy_funds = _numpy_funds(monkeypatch)
    parsed = parse_case(data)
    rows = batch.compute(from_case(parsed)).to_rows()
    assert numpy_funds == {1}  # fund 2 stays in the kernel
    assert rows == scalar.calculate(parsed)
    # By hand: 99,999,999,999,999 cents * 52 weeks * 40 hours / 12 periods * 0.8 part-time. The product on
    # the way (about 1.7e20) leaves int64; the period's franchise (about 1.4e16) does not.
    assert rows[0].premium.franchise == 99_999_999_999_999 * 52 * 40 * 8 // (12 * 10) == 13_866_666_666_666_528


def test_realistic_funds_never_leave_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    pension = threshold("137800.00", part_time=True)
    sides = {"percentage": "8.1000", "min_base": NOTHING, "max_base": pension, "franchise": threshold("18475.00")}
    data = case(funds=[fund(premium=sides, total=sides)])
    numpy_funds = _numpy_funds(monkeypatch)
    parsed = parse_case(data)
    assert batch.compute(from_case(parsed)).to_rows() == scalar.calculate(parsed)
    assert numpy_funds == set()


def test_the_kernel_uses_the_scales_of_the_numbers_module() -> None:
    # numba's cache checks kernel.py only: the scales are copied there, and must stay the same.
    assert (kernel.FACTOR_SCALE, kernel.PERCENT_SCALE) == (numbers.FACTOR_SCALE, numbers.PERCENT_SCALE)
