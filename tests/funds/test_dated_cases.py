"""Our own cases for dated links, fund versions and herrekening (tests/funds/cases), worked out by hand.

The expected files beside each case hold the figures below; the comments give the arithmetic. Calendar
2024 (month payroll): SV-days (weekdays) per month Jan 23, Feb 21, Mar 21, Apr 22, May 23, Jun 20, Jul 23,
Aug 22, Sep 21, Oct 23, Nov 21, Dec 22; SV_YEAR = 262. Calendar days 31, 29, 31, 30, 31, 30, 31, 31, 30,
31, 30, 31.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inleg.funds import calculate_case, parse_case, recalculate_json

CASES = Path(__file__).parent / "cases"
SV = [23, 21, 21, 22, 23, 20, 23, 22, 21, 23, 21, 22]
CAL = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _side(franchise: str, base: str, percentage: str, amount: str) -> dict[str, str]:
    return {"max": "0.00", "franchise": franchise, "min": "0.00", "base": base, "percentage": percentage,
            "amount": amount}  # fmt: skip


def _row(employment: str, fund: int, k: int, **values: Any) -> dict[str, Any]:
    """A result row; a row without values does not participate and shows 0 everywhere."""
    if not values:
        nothing = _side("0.00", "0.00", "0.0000", "0.00")
        return {"employment": employment, "fund": fund, "period": k, "participates": False, "sv_days": 0,
                "calendar_days": 0, "pension_days": 0, "hours": "0.00", "raw_base": "0.00", "premium": nothing,
                "total": nothing, "employer": "0.00"}  # fmt: skip
    return {"employment": employment, "fund": fund, "period": k, "participates": True, "hours": "0.00", **values}


# dated-link.json, E1, fund 1 (per period, franchise 12,000.00 a year = 1,000.00 a period, 10 % / 30 %).
# Links: one up to 2024-03-15 with the fund's percentages, one from 2024-05-01 with a deviation of 8 % / 24 %
# (listed in the other order: the case's order is free). Fund version from 2024-09-01: franchise 18,000.00
# a year = 1,500.00 a period. Salary 3,000.00 every month.
#  Jan, Feb: b3 = 3000 - 1000 = 2000.00; premium 10 % = 200.00, total 30 % = 600.00, employer 400.00.
#  Mar: the first link applies 1..15 March: SV-days Fri 1, 4-8, 11-15 = 11, calendar days 15; with
#       recalculation unit "period" a participating period counts whole: the same 200.00 / 600.00.
#  Apr: no link applies: nothing.
#  May..Aug: the second link: 2000.00 at 8 % = 160.00, 24 % = 480.00, employer 320.00.
#  Sep..Dec: version 2: b3 = 3000 - 1500 = 1500.00; 8 % = 120.00, 24 % = 360.00, employer 240.00.
def _e1() -> list[dict[str, Any]]:
    rows = []
    for k in range(1, 13):
        if k == 4:
            rows.append(_row("E1", 1, k))
            continue
        sv, cal = (11, 15) if k == 3 else (SV[k - 1], CAL[k - 1])
        franchise, b3 = ("1500.00", "1500.00") if k >= 9 else ("1000.00", "2000.00")
        pct = ("10.0000", "30.0000") if k <= 3 else ("8.0000", "24.0000")
        amounts = {
            1: ("200.00", "600.00", "400.00"),
            5: ("160.00", "480.00", "320.00"),
            9: ("120.00", "360.00", "240.00"),
        }
        premium, total, employer = amounts[1 if k <= 3 else 5 if k <= 8 else 9]
        rows.append(
            _row(
                "E1",
                1,
                k,
                sv_days=sv,
                calendar_days=cal,
                pension_days=sv,
                raw_base="3000.00",
                premium=_side(franchise, b3, pct[0], premium),
                total=_side(franchise, b3, pct[1], total),
                employer=employer,
            )
        )
    return rows


# dated-link.json, E2, fund 2: cumulative, per pension day, franchise 26,200.00 a year = 100.00 per pension
# day (26200 * d_pen / 262); 5 % / 15 %, from 2024-04-01 6 % / 18 %. Part-time factor 0.5, salary 2,000.00,
# the employment ends 2024-05-31.
#  Pension days: cumulative SV-days 23, 44, 65, 87, 110; ceil(0.5 * ...) = 12, 22, 33, 44, 55;
#  per period 12, 10, 11, 11, 11; franchise per period 1200.00, 1000.00, 1100.00, 1100.00, 1100.00.
#  Year to date B 2000, 4000, 6000, 8000, 10000; franchise 1200, 2200, 3300, 4400, 5500;
#  b3 800, 1800, 2700, 3600, 4500 (base shares 800, 1000, 900, 900, 900).
#  Jan: 5 % of 800 = 40.00; 15 % = 120.00.
#  Feb: 5 % of 1800 = 90.00 - 40 = 50.00; 15 % = 270.00 - 120 = 150.00.
#  Mar: 5 % of 2700 = 135.00 - 90 = 45.00; 15 % = 405.00 - 270 = 135.00.
#  Apr (version 2, this period's percentage on the year to date): 6 % of 3600 = 216.00 - 135 = 81.00;
#       18 % = 648.00 - 405 = 243.00; employer 162.00.
#  May: 6 % of 4500 = 270.00 - 216 = 54.00; 18 % = 810.00 - 648 = 162.00; employer 108.00.
#  Jun..Dec: employment ended: nothing.
def _e2() -> list[dict[str, Any]]:
    pension = [12, 10, 11, 11, 11]
    share = ["800.00", "1000.00", "900.00", "900.00", "900.00"]
    amounts = [("40.00", "120.00"), ("50.00", "150.00"), ("45.00", "135.00"), ("81.00", "243.00"), ("54.00", "162.00")]
    employer = ["80.00", "100.00", "90.00", "162.00", "108.00"]
    rows = []
    for k in range(1, 13):
        if k > 5:
            rows.append(_row("E2", 2, k))
            continue
        pct = ("5.0000", "15.0000") if k <= 3 else ("6.0000", "18.0000")
        franchise = f"{pension[k - 1] * 100}.00"
        rows.append(
            _row(
                "E2",
                2,
                k,
                sv_days=SV[k - 1],
                calendar_days=CAL[k - 1],
                pension_days=pension[k - 1],
                raw_base="2000.00",
                premium=_side(franchise, share[k - 1], pct[0], amounts[k - 1][0]),
                total=_side(franchise, share[k - 1], pct[1], amounts[k - 1][1]),
                employer=employer[k - 1],
            )
        )
    return rows


def _correction(employment: str, fund: int, corrects: int, **values: Any) -> dict[str, Any]:
    row = {"employment": employment, "fund": fund, "period": 4, "corrects": corrects, "sv_days": 0,
           "calendar_days": 0, "pension_days": 0, "hours": "0.00", "raw_base": "0.00",
           "premium": {"base": "0.00", "amount": "0.00"}, "total": {"base": "0.00", "amount": "0.00"},
           "employer": "0.00"}  # fmt: skip
    row.update(values)
    return row


# recalculation.json: periods 1..3 were run with "before" (E1 on fund 1 at 10 % / 30 %, E2 on fund 2 as in
# dated-link.json but without the version); the current period is 4. "after" changes three things:
#  1. fund 1 gets a version from 2024-02-01 with a premium of 11 % (the total side carries over): Feb and
#     Mar premium 11 % of 2000.00 = 220.00 instead of 200.00: +20.00 each, total unchanged, employer -20.00;
#     January is untouched.
#  2. E2's salary of period 2 becomes 2,500.00 (a base component): cumulative fund 2 recomputed:
#     Feb: B 4500, franchise 2200, b3 2300.00: premium 5 % = 115.00 - 40 = 75.00 (was 50.00: +25.00),
#          total 15 % = 345.00 - 120 = 225.00 (was 150.00: +75.00), base share 1500.00 (was 1000.00: +500.00),
#          raw base +500.00, employer +50.00.
#     Mar: B 6500, franchise 3300, b3 3200.00: 5 % = 160.00 - 115 = 45.00, 15 % = 480.00 - 345 = 135.00:
#          the same as before, so no correction line.
#     The current period 4 (after): B 8500, franchise 4400, b3 4100.00: 5 % = 205.00 - 160 = 45.00. Booked
#     40 + 50 + 45 = 135.00, corrections +25.00, period 4 45.00: 205.00 = 5 % of the year to date. Exact.
#  3. E1's link now starts 2023-11-01: before the year, so not recalculated (reported, named).
RECALCULATION = {
    "corrections": [
        _correction("E1", 1, 2, premium={"base": "0.00", "amount": "20.00"}, employer="-20.00"),
        _correction("E1", 1, 3, premium={"base": "0.00", "amount": "20.00"}, employer="-20.00"),
        _correction(
            "E2",
            2,
            2,
            raw_base="500.00",
            premium={"base": "500.00", "amount": "25.00"},
            total={"base": "500.00", "amount": "75.00"},
            employer="50.00",
        ),
    ],
    "not_recalculated": [
        {
            "field": "employments[E1].funds[1][0].start_date",
            "value": "2023-11-01",
            "reason": "lies before the payroll year (2024-01-01): Loket kan fondsen niet met terugwerkende kracht "
            "toepassen voor een voorgaand jaar; only the periods of this year are recalculated",
        }
    ],
}


def _expected(name: str) -> Any:
    return json.loads((CASES / f"{name}.expected.json").read_text())


def test_the_expected_files_hold_the_hand_worked_figures() -> None:
    assert _expected("dated-link") == {"results": _e1() + _e2()}
    assert _expected("recalculation") == RECALCULATION


@pytest.mark.parametrize("engine", ["scalar", "batch"])
def test_dated_link_and_fund_versions(engine: str) -> None:
    data = json.loads((CASES / "dated-link.json").read_text())
    got = calculate_case(data, engine=engine)["results"]
    for mine, want in zip(got, _expected("dated-link")["results"], strict=True):
        assert mine == want


@pytest.mark.parametrize("engine", ["scalar", "batch"])
def test_recalculation(engine: str) -> None:
    data = json.loads((CASES / "recalculation.json").read_text())
    assert recalculate_json(data, engine=engine) == _expected("recalculation")


def test_after_a_recalculation_the_current_period_settles_the_cumulative_year() -> None:
    data = json.loads((CASES / "recalculation.json").read_text())
    current = calculate_case(data["after"], periods={4})["results"]
    e2 = next(row for row in current if row["employment"] == "E2")
    # 5 % of 4100.00 = 205.00 less the 160.00 booked and corrected: 45.00; 15 %: 615.00 - 480.00 = 135.00.
    assert (e2["premium"]["amount"], e2["total"]["amount"], e2["premium"]["base"]) == ("45.00", "135.00", "900.00")


def test_old_cases_parse_to_funds_without_versions() -> None:
    data = json.loads((CASES / "recalculation.json").read_text())["before"]
    assert all(not fund.versions for fund in parse_case(data).funds.values())
