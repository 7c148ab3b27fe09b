"""Fixed data (vaste gegevens) per period (our extension of the case format, ADR 0008 addendum).

A raise in July changes the salary's fixed data from July; a herrekening in July must recompute January to
June with the fixed data they had. Figures worked out by hand in the comments; ``rows`` (builders) checks
that the batch engine gives the same rows as the scalar oracle, ``test_batch_parity`` runs both of its paths.
"""

from __future__ import annotations

from typing import Any

import pytest

from inleg.funds import batch, parse_case, recalculate, scalar
from inleg.funds.population import from_case
from tests.funds.builders import case, employment, fund, rows, threshold

NOTHING = threshold("0.00")


def _side(percentage: str, **thresholds: dict[str, Any]) -> dict[str, Any]:
    return {"percentage": percentage, "min_base": NOTHING, "max_base": NOTHING, "franchise": NOTHING, **thresholds}


# Fund 1: the salary (10) from the fixed data, less a franchise of 12,000.00 a year (1,000.00 a month);
# 10 % / 30 %.
FIXED_FUND = fund(
    number=1,
    base=[{"component": 10, "origin": "fixed"}],
    premium=_side("10.0000", franchise=threshold("12000.00")),
    total=_side("30.0000", franchise=threshold("12000.00")),
)
# Fund 2: JAAR GRSL1 (543), the annual base from the fixed data, its twelfth a month; 5 % / 15 %.
ANNUAL_FUND = fund(
    number=2,
    base=[{"component": 543, "origin": "fixed"}],
    premium=_side("5.0000"),
    total=_side("15.0000"),
)
BEFORE = {"10": "3000.00", "543": "36000.00"}
AFTER = {"10": "3300.00", "543": "39600.00"}


def _raise_in_july(last: int = 12, **top: Any) -> dict[str, Any]:
    """3,000.00 a month January to June, 3,300.00 from July.

    As the sandbox writes it: the employment holds the current period's fixed data, the earlier periods that
    differ their own. The calculated salary follows the same amounts (the funds here read the fixed data).
    """
    periods = [
        {"period": k, "components": {"10": BEFORE["10"]}, "fixed": BEFORE}
        if k <= 6
        else {"period": k, "components": {"10": AFTER["10"]}}
        for k in range(1, last + 1)
    ]
    return case(
        [FIXED_FUND, ANNUAL_FUND],
        [employment(**{"fixed": AFTER, "funds": [{"number": 1}, {"number": 2}], "periods": periods, **top})],
    )


def _amounts(row: dict[str, Any]) -> tuple[str, str, str, str]:
    return row["raw_base"], row["premium"]["base"], row["premium"]["amount"], row["total"]["amount"]


def test_each_period_takes_its_own_fixed_data() -> None:
    got = {(r["fund"], r["period"]): r for r in rows(_raise_in_july())}
    for k in range(1, 13):
        # Fund 1. Jan-Jun: B = 3000.00, b3 = 3000.00 - 1000.00 = 2000.00; 10 % = 200.00, 30 % = 600.00.
        # Jul-Dec: B = 3300.00, b3 = 2300.00; 10 % = 230.00, 30 % = 690.00.
        want = ("3000.00", "2000.00", "200.00", "600.00") if k <= 6 else ("3300.00", "2300.00", "230.00", "690.00")
        assert _amounts(got[(1, k)]) == want, k
        # Fund 2. Jan-Jun: 36000.00 / 12 = 3000.00; 5 % = 150.00, 15 % = 450.00.
        # Jul-Dec: 39600.00 / 12 = 3300.00; 5 % = 165.00, 15 % = 495.00.
        want = ("3000.00", "3000.00", "150.00", "450.00") if k <= 6 else ("3300.00", "3300.00", "165.00", "495.00")
        assert _amounts(got[(2, k)]) == want, k


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled kernel", "numpy path"])
def test_both_batch_paths_agree_with_the_oracle(compiled: bool) -> None:
    parsed = parse_case(_raise_in_july())
    assert batch.compute(from_case(parsed), compiled=compiled).to_rows() == scalar.calculate(parsed)


def test_a_raise_in_july_recalculates_nothing_before_july() -> None:
    # The June run knew only 3,000.00: the employment's fixed data, no period of its own.
    june = _raise_in_july(last=6, fixed=BEFORE)
    for period in june["employments"][0]["periods"]:
        del period["fixed"]
    july = _raise_in_july(last=7)
    assert list(recalculate(parse_case(june), parse_case(july), 7).corrections) == []
    assert list(recalculate(parse_case(june), parse_case(july), 7, engine="batch").corrections) == []


def test_without_the_periods_own_fixed_data_july_s_salary_would_be_booked_back() -> None:
    # The fault this extension mends: the July case with only the employment's (July's) fixed data recomputes
    # January-June at 3,300.00: fund 1 +30.00 premium (10 % of 300.00), fund 2 +15.00 (5 % of 300.00) each.
    june = _raise_in_july(last=6, fixed=BEFORE)
    july = _raise_in_july(last=7)
    for data in (june, july):
        for period in data["employments"][0]["periods"]:
            period.pop("fixed", None)
    found = recalculate(parse_case(june), parse_case(july), 7).corrections
    assert sorted((c.fund, c.corrects, c.premium_amount) for c in found) == [
        (fund, k, 3000 if fund == 1 else 1500) for fund in (1, 2) for k in range(1, 7)
    ]


def test_the_employments_fixed_data_is_the_default_of_periods_without_their_own() -> None:
    # The same year written the other way round: the employment at 3,000.00, July to December their own.
    other = _raise_in_july(fixed=BEFORE)
    for period in other["employments"][0]["periods"]:
        if period["period"] <= 6:
            del period["fixed"]
        else:
            period["fixed"] = AFTER
    assert rows(other) == rows(_raise_in_july())


def test_a_periods_own_fixed_data_replaces_the_employments_whole() -> None:
    # Not merged: a period with its own map {543: 36000.00} has no salary (10) in its fixed data, so fund 1's
    # base is 0 and b3 = 0 - 1000.00 < 0 -> 0 (funds.md section 7: a negative base gives nothing).
    data = _raise_in_july()
    data["employments"][0]["periods"][0]["fixed"] = {"543": "36000.00"}
    got = {(r["fund"], r["period"]): r for r in rows(data)}
    assert _amounts(got[(1, 1)]) == ("0.00", "0.00", "0.00", "0.00")
    assert _amounts(got[(2, 1)]) == ("3000.00", "3000.00", "150.00", "450.00")
