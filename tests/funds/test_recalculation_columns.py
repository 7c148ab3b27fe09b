"""The batch herrekening compares the two computations as arrays; it books what the scalar oracle books."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from inleg.funds import batch, parse_case, recalculate
from inleg.funds.recalculation import corrections
from tests.funds.strategies import cases


@st.composite
def two_states(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], int]:
    """Two states of one payroll year: employments kept, changed, gone and new (ids E0.. on both sides)."""
    before = draw(cases())
    after = draw(cases(year=before["year"], frequency=before["frequency"]))
    if draw(st.booleans()):  # the same funds: only the employments differ
        after = {**after, "funds": before["funds"]}
        kept = [e for e in before["employments"] if draw(st.booleans())]
        numbers = {f["number"] for f in before["funds"]}
        mine = [e for e in after["employments"] if all(link["number"] in numbers for link in e["funds"])]
        after = {**after, "employments": kept + [e for e in mine if e["id"] not in {k["id"] for k in kept}]}
    n = 12 if before["frequency"] == "month" else 13
    return before, after, draw(st.integers(1, n))


@given(two_states())
def test_the_batch_corrections_are_the_scalar_ones(states: tuple[dict[str, Any], dict[str, Any], int]) -> None:
    before, after, current = states
    b, a = parse_case(before), parse_case(after)
    batch_found = recalculate(b, a, current, engine="batch")
    assert batch_found == recalculate(b, a, current, engine="scalar")
    # and the rows compared one by one give the same list, in the same order
    kept = type(b)(
        b.year,
        b.frequency,
        b.components,
        b.funds,
        tuple(e for e in b.employments if e.id in {x.id for x in a.employments}),
    )
    assert list(batch_found.corrections) == corrections(batch.calculate(kept), batch.calculate(a), current)
