"""Dated fund versions and dated links: refusals that name the field and value, and the rules they follow."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inleg.funds import FundError, batch, parse_case, recalculate, recalculate_json, scalar
from inleg.funds import errors as e
from inleg.funds.results import ResultRow
from tests.funds.builders import case, employment, fund, period
from tests.funds.strategies import cases

SIDE = {"percentage": "12.0000"}


def _versioned(*versions: dict[str, Any]) -> dict[str, Any]:
    return case([fund(versions=list(versions))])


REFUSALS = [
    ("a version changing the number", _versioned({"from": "2024-07-01", "number": 2}), e.UnknownField,
     "funds[0].versions[0].number", "2"),
    ("an unknown field", _versioned({"from": "2024-07-01", "percentage": "8.0000"}), e.UnknownField,
     "funds[0].versions[0].percentage", "'8.0000'"),
    ("a version without from", _versioned({"premium": SIDE}), e.MissingField, "funds[0].versions[0].from", "None"),
    ("a version before the year", _versioned({"from": "2023-12-31", "premium": SIDE}), e.OutOfRange,
     "funds[0].versions[0].from", "'2023-12-31'"),
    ("a version after the year", _versioned({"from": "2025-01-01", "premium": SIDE}), e.OutOfRange,
     "funds[0].versions[0].from", "'2025-01-01'"),
    ("two versions from one date", _versioned({"from": "2024-07-01", "premium": SIDE},
                                              {"from": "2024-07-01", "total": SIDE}),
     e.DuplicateEntry, "funds[0].versions[1].from", "'2024-07-01'"),
    ("versions out of order", _versioned({"from": "2024-07-01", "premium": SIDE},
                                         {"from": "2024-03-01", "total": SIDE}),
     e.InconsistentDates, "funds[0].versions[1].from", "'2024-03-01'"),
    ("a bad setting in a version", _versioned({"from": "2024-07-01", "premium": {"percentage": "1.00001"}}),
     e.TooManyDecimals, "funds[0].versions[0].premium.percentage", "'1.00001'"),
    ("a version that is not an object", _versioned("2024-07-01"), e.WrongType, "funds[0].versions[0]",
     "'2024-07-01'"),  # type: ignore[arg-type]
    ("overlapping links", case(employments=[employment(funds=[
        {"number": 1, "end_date": "2024-06-30"}, {"number": 1, "start_date": "2024-06-30"}])]),
     e.DuplicateEntry, "employments[0].funds[1].start_date", "'2024-06-30'"),
    ("two open links", case(employments=[employment(funds=[{"number": 1}, {"number": 1}])]),
     e.DuplicateEntry, "employments[0].funds[1].start_date", "None"),
]  # fmt: skip


@pytest.mark.parametrize(("why", "data", "error", "field", "value"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_names_field_and_value(why: str, data: dict[str, Any], error: type, field: str, value: str) -> None:
    with pytest.raises(error) as raised:
        parse_case(data)
    assert raised.value.field == field
    assert repr(raised.value.value) == value


def test_a_version_changes_only_what_it_lists_and_applies_from_the_period_holding_its_date() -> None:
    # From 15 July: premium 12 %; July's last day (31 July) lies after it, so July is computed with it.
    data = _versioned({"from": "2024-07-15", "premium": {"percentage": "12.0000"}})
    assert period(data, 6)["premium"]["amount"] == "300.00"  # 10 % of 3000.00
    assert period(data, 7)["premium"]["amount"] == "360.00"  # 12 % of 3000.00
    assert period(data, 7)["total"]["amount"] == "900.00"  # the total side carries over: 30 %


def test_a_link_changing_within_a_period_applies_the_one_valid_on_its_last_day() -> None:
    # A deviation from 16 March: March takes it (its last participating day is 31 March); days add up.
    deviation = {"premium": "5.0000", "total": "20.0000"}
    links = [{"number": 1, "end_date": "2024-03-15"}, {"number": 1, "start_date": "2024-03-16", "deviation": deviation}]
    data = case(employments=[employment(funds=links)])
    march = period(data, 3)
    assert (march["sv_days"], march["calendar_days"]) == (21, 31)
    assert (march["premium"]["amount"], march["total"]["amount"]) == ("150.00", "600.00")


def test_a_fixed_contribution_period_stays_out_of_the_cumulative_year_to_date() -> None:
    # Jan-Feb a fixed 50.00 / 150.00; from March calculated cumulatively at 10 %: March's year to date is
    # March alone (3000.00 -> 300.00), not Jan-Mar (which would give 900.00 - 0 taken).
    links = [{"number": 1, "end_date": "2024-02-29", "fixed_contribution": {"premium": "50.00", "total": "150.00"}},
             {"number": 1, "start_date": "2024-03-01"}]  # fmt: skip
    data = case([fund(cumulative=True)], [employment(funds=links)])
    assert period(data, 2)["premium"]["amount"] == "50.00"
    assert period(data, 3)["premium"]["amount"] == "300.00"
    assert period(data, 4)["premium"]["amount"] == "300.00"


def test_a_fund_turning_cumulative_settles_the_year_to_date() -> None:
    # Jan-Jun 10 % on their own (300.00 a month, 1800.00 taken). From July cumulative at 12 %: year to date
    # 7 * 3000.00 = 21000.00 * 12 % = 2520.00, less 1800.00 taken = 720.00; August 24000 * 12 % = 2880 - 2520.
    data = _versioned({"from": "2024-07-01", "cumulative": True, "premium": {"percentage": "12.0000"}})
    assert period(data, 7)["premium"]["amount"] == "720.00"
    assert period(data, 7)["premium"]["base"] == "3000.00"  # 21000.00 less the 18000.00 earlier periods had
    assert period(data, 8)["premium"]["amount"] == "360.00"


RECALC_REFUSALS = [
    ("another year", {"after": {"year": 2025}}, "after.year", 2025),
    ("period 0", {"current_period": 0}, "current_period", 0),
    ("period 13 of a month year", {"current_period": 13}, "current_period", 13),
    ("a bad after case", {"after": {"frequency": "week"}}, "after.frequency", "week"),
]


@pytest.mark.parametrize(("why", "change", "field", "value"), RECALC_REFUSALS, ids=[r[0] for r in RECALC_REFUSALS])
def test_recalculation_refusals(why: str, change: dict[str, Any], field: str, value: Any) -> None:
    data: dict[str, Any] = {"before": case(), "after": case(), "current_period": 4}
    for key, item in change.items():
        if isinstance(item, dict):
            data[key].update(item)
        else:
            data[key] = item
    with pytest.raises(FundError) as raised:
        recalculate_json(data)
    assert (raised.value.field, raised.value.value) == (field, value)


def test_no_change_books_nothing_and_period_1_has_nothing_to_correct() -> None:
    data = case()
    assert recalculate_json({"before": data, "after": data, "current_period": 7})["corrections"] == []
    changed = _versioned({"from": "2024-01-01", "premium": {"percentage": "12.0000"}})
    assert recalculate_json({"before": data, "after": changed, "current_period": 1})["corrections"] == []


@st.composite
def histories(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], int]:
    year, frequency = draw(st.integers(2019, 2030)), draw(st.sampled_from(["month", "four_weeks"]))
    before = draw(cases(year, frequency))
    after = draw(cases(year, frequency))
    return before, after, draw(st.integers(1, 12 if frequency == "month" else 13))


def _sums(rows: list[ResultRow]) -> dict[tuple[str, int], tuple[int, int, int]]:
    sums: dict[tuple[str, int], tuple[int, int, int]] = {}
    for r in rows:
        premium, total, days = sums.get((r.employment, r.fund), (0, 0, 0))
        sums[(r.employment, r.fund)] = (premium + r.premium.amount, total + r.total.amount, days + r.pension_days)
    return sums


@given(histories())
def test_booked_plus_corrections_plus_the_current_period_is_the_recomputed_year(
    history: tuple[dict[str, Any], dict[str, Any], int],
) -> None:
    before, after, current = (parse_case(history[0]), parse_case(history[1]), history[2])
    result = recalculate(before, after, current)
    assert result == recalculate(before, after, current, engine="batch")
    running = {e.id for e in after.employments}
    booked = _sums([r for r in scalar.calculate(before) if r.period < current and r.employment in running])
    now = _sums([r for r in batch.calculate(after) if r.period == current])
    recomputed = _sums([r for r in scalar.calculate(after) if r.period <= current])
    fixes: dict[tuple[str, int], tuple[int, int, int]] = {}
    for c in result.corrections:
        premium, total, days = fixes.get((c.employment, c.fund), (0, 0, 0))
        fixes[(c.employment, c.fund)] = (premium + c.premium_amount, total + c.total_amount, days + c.pension_days)
    for key in booked.keys() | recomputed.keys():
        parts = [sums.get(key, (0, 0, 0)) for sums in (booked, fixes, now)]
        assert tuple(map(sum, zip(*parts, strict=True))) == recomputed.get(key, (0, 0, 0))
