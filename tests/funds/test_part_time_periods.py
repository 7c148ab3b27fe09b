"""A part-time factor and norm hours per period (our extension of the case format, ADR 0008 addendum).

Figures worked out by hand in the comments; ``rows`` (builders) checks that the batch engine gives the same
rows as the scalar oracle. Calendar 2024 (month payroll): SV-days per month Jan 23, Feb 21, Mar 21, Apr 22,
May 23, Jun 20, Jul 23, Aug 22, Sep 21, Oct 23, Nov 21, Dec 22; SV_YEAR = 262.
"""

from __future__ import annotations

from typing import Any

from inleg.funds import parse_case, recalculate
from tests.funds.builders import case, employment, fund, rows, threshold

NOTHING = threshold("0.00")


def _side(percentage: str, **thresholds: dict[str, Any]) -> dict[str, Any]:
    return {"percentage": percentage, "min_base": NOTHING, "max_base": NOTHING, "franchise": NOTHING, **thresholds}


# The seed's fund 1 (PT-herrekening on franchise and max): 7.5 % / 22 % of salary less the franchise.
PT_FUND = fund(
    number=1,
    premium=_side(
        "7.5000", max_base=threshold("137800.00", part_time=True), franchise=threshold("17545.00", part_time=True)
    ),
    total=_side(
        "22.0000", max_base=threshold("137800.00", part_time=True), franchise=threshold("17545.00", part_time=True)
    ),
)
# A franchise per hour with PT-herrekening: 10.00 * 52 * the period's norm hours a year.
HOUR_FUND = fund(
    number=2,
    premium=_side("10.0000", franchise=threshold("10.00", "hour", part_time=True)),
    total=_side("30.0000", franchise=threshold("10.00", "hour", part_time=True)),
)
# Recalculated by hours: 20,800.00 a year * the period's hours / (52 * the period's norm hours).
HOURS_FUND = fund(
    number=3,
    recalc_unit="hours",
    premium=_side("10.0000", franchise=threshold("20800.00")),
    total=_side("30.0000", franchise=threshold("20800.00")),
)


def _half_time_from_july(**top: Any) -> dict[str, Any]:
    """Full time (40 hours) January to June, half time on a shift of 36 full-time hours from July.

    As the sandbox writes it: the employment holds the current factor and norm, the earlier periods their own.
    """
    periods = [
        {"period": k, "components": {"10": "4000.00"}, "hours": "160.00", "part_time_factor": "1.0000",
         "norm_hours_per_week": "40"}
        if k <= 6
        else {"period": k, "components": {"10": "2000.00"}, "hours": "80.00"}
        for k in range(1, 13)
    ]  # fmt: skip
    return case(
        [PT_FUND, HOUR_FUND, HOURS_FUND],
        [
            employment(
                **{
                    "part_time_factor": "0.5000",
                    "norm_hours_per_week": "36",
                    "funds": [{"number": 1}, {"number": 2}, {"number": 3}],
                    "periods": periods,
                    **top,
                }
            )
        ],
    )


def _amounts(row: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (
        row["premium"]["max"],
        row["premium"]["franchise"],
        row["premium"]["base"],
        row["premium"]["amount"],
        row["total"]["amount"],
    )


def test_each_period_takes_its_own_factor_for_pt_herrekening() -> None:
    got = {(r["fund"], r["period"]): r for r in rows(_half_time_from_july())}
    for k in range(1, 13):
        # Fund 1. Jan-Jun, factor 1: max 137800 / 12 = 11483.33; franchise 17545 / 12 = 1462.0833 -> 1462.08;
        #   b3 = 4000.00 - 1462.08 = 2537.92; 7.5 % = 190.344 -> 190.34; 22 % = 558.3424 -> 558.34.
        # Jul-Dec, factor 0.5: max 5741.666 -> 5741.67; franchise 731.041 -> 731.04; b3 = 2000.00 - 731.04
        #   = 1268.96; 7.5 % = 95.172 -> 95.17; 22 % = 279.1712 -> 279.17.
        want = (
            ("11483.33", "1462.08", "2537.92", "190.34", "558.34")
            if k <= 6
            else ("5741.67", "731.04", "1268.96", "95.17", "279.17")
        )
        assert _amounts(got[(1, k)]) == want, k
        # Fund 2, per hour with PT-herrekening, the period's norm. Jan-Jun: 10.00 * 52 * 40 = 20800.00 a year,
        #   / 12 = 1733.333 -> 1733.33; b3 = 2266.67; 10 % = 226.667 -> 226.67; 30 % = 680.001 -> 680.00.
        # Jul-Dec: 10.00 * 52 * 36 = 18720.00, / 12 * 0.5 = 780.00; b3 = 1220.00; 10 % = 122.00; 30 % = 366.00.
        want = (
            ("0.00", "1733.33", "2266.67", "226.67", "680.00")
            if k <= 6
            else ("0.00", "780.00", "1220.00", "122.00", "366.00")
        )
        assert _amounts(got[(2, k)]) == want, k
        # Fund 3, by hours over the period's norm. Jan-Jun: 20800 * 160 / (52 * 40) = 1600.00; b3 = 2400.00;
        #   240.00 / 720.00. Jul-Dec: 20800 * 80 / (52 * 36) = 1664000 / 1872 = 888.888 -> 888.89;
        #   b3 = 2000.00 - 888.89 = 1111.11; 10 % = 111.111 -> 111.11; 30 % = 333.333 -> 333.33.
        want = (
            ("0.00", "1600.00", "2400.00", "240.00", "720.00")
            if k <= 6
            else ("0.00", "888.89", "1111.11", "111.11", "333.33")
        )
        assert _amounts(got[(3, k)]) == want, k


def test_going_part_time_in_july_recalculates_nothing_before_july() -> None:
    # The June run knew only full time: the employment's factor 1.0000 and norm 40, no period of its own.
    june = _half_time_from_july(part_time_factor="1.0000", norm_hours_per_week="40")
    for period in june["employments"][0]["periods"]:
        period.pop("part_time_factor", None)
        period.pop("norm_hours_per_week", None)
    july = _half_time_from_july()
    found = recalculate(parse_case(june), parse_case(july), 7)
    assert list(found.corrections) == []
    found = recalculate(parse_case(june), parse_case(july), 7, engine="batch")
    assert list(found.corrections) == []


def test_the_employments_factor_is_the_default_of_periods_without_their_own() -> None:
    # The same year written the other way round: the employment full time, July to December their own 0.5
    # and 36 hours: the same rows.
    other = _half_time_from_july(part_time_factor="1.0000", norm_hours_per_week="40")
    for period in other["employments"][0]["periods"]:
        if period["period"] <= 6:
            del period["part_time_factor"], period["norm_hours_per_week"]
        else:
            period.update(part_time_factor="0.5000", norm_hours_per_week="36")
    assert rows(other) == rows(_half_time_from_july())


# Pension days with a factor that changes: full time January to March, 0.5 from April. The running sum of
# factor * SV-days: 23, 44, 65, then + 0.5 * 22 = 76, + 11.5 = 87.5, + 10 = 97.5, + 11.5 = 109, + 11 = 120,
# + 10.5 = 130.5, + 11.5 = 142, + 10.5 = 152.5, + 11 = 163.5; P_k its ceiling: 23, 44, 65, 76, 88, 98, 109,
# 120, 131, 142, 153, 164, so per period 23, 21, 21, 11, 12, 10, 11, 11, 11, 11, 11, 11 (164 in all).
# (One factor 0.5 for the year would give ceil(0.5 * 23) = 12 in January.)
PENSION_DAYS = [23, 21, 21, 11, 12, 10, 11, 11, 11, 11, 11, 11]
# Cumulative fund by pension days, franchise 26,200.00 a year = 100.00 per pension day (26200 * d / 262),
# 5 % / 15 %; salary 3,000.00 full time, 1,500.00 from April.
#  Year to date B: 3000, 6000, 9000, 10500, 12000, 13500, 15000, 16500, 18000, 19500, 21000, 22500;
#  franchise 100 * P_k: 2300, 4400, 6500, 7600, 8800, 9800, 10900, 12000, 13100, 14200, 15300, 16400;
#  b3: 700, 1600, 2500, 2900, 3200, 3700, 4100, 4500, 4900, 5300, 5700, 6100,
#  shares: 700, 900, 900, 400, 300, 500, 400, 400, 400, 400, 400, 400.
#  5 % of b3: 35, 80, 125, 145, 160, 185, 205, 225, 245, 265, 285, 305 -> per period 35, 45, 45, 20, 15, 25,
#  then 20 each; 15 %: 105, 240, 375, 435, 480, 555, 615, ... -> 105, 135, 135, 60, 45, 75, then 60 each.
SHARES = [700, 900, 900, 400, 300, 500, 400, 400, 400, 400, 400, 400]
PREMIUMS = [35, 45, 45, 20, 15, 25, 20, 20, 20, 20, 20, 20]
TOTALS = [105, 135, 135, 60, 45, 75, 60, 60, 60, 60, 60, 60]


def test_pension_days_sum_each_periods_factor_and_a_cumulative_fund_follows() -> None:
    data = case(
        [
            fund(
                recalc_unit="pension_days",
                cumulative=True,
                premium=_side("5.0000", franchise=threshold("26200.00")),
                total=_side("15.0000", franchise=threshold("26200.00")),
            )
        ],
        [
            employment(
                part_time_factor="0.5000",
                periods=[
                    {"period": k, "components": {"10": "3000.00"}, "part_time_factor": "1.0000"}
                    if k <= 3
                    else {"period": k, "components": {"10": "1500.00"}}
                    for k in range(1, 13)
                ],
            )
        ],
    )
    got = rows(data)
    assert [r["pension_days"] for r in got] == PENSION_DAYS
    assert [r["premium"]["franchise"] for r in got] == [f"{100 * d}.00" for d in PENSION_DAYS]
    assert [r["premium"]["base"] for r in got] == [f"{s}.00" for s in SHARES]
    assert [r["premium"]["amount"] for r in got] == [f"{p}.00" for p in PREMIUMS]
    assert [r["total"]["amount"] for r in got] == [f"{t}.00" for t in TOTALS]
    assert [r["employer"] for r in got] == [f"{t - p}.00" for t, p in zip(TOTALS, PREMIUMS, strict=True)]


def test_one_factor_for_the_year_gives_the_old_pension_days() -> None:
    # The seed's example (funds.md section 3): ptf 0.3947 over SV-days 23, 21, 21 of 2024: cumulative
    # 0.3947 * 23 = 9.078 -> 10, * 44 = 17.37 -> 18, * 65 = 25.66 -> 26: 10, 8, 8 days. Written once on the
    # employment or on every period, the same.
    on_employment = case([fund(recalc_unit="pension_days")], [employment(part_time_factor="0.3947")])
    on_periods = case(
        [fund(recalc_unit="pension_days")],
        [
            employment(
                part_time_factor="1.0000",
                periods=[
                    {"period": k, "components": {"10": "3000.00"}, "part_time_factor": "0.3947"} for k in range(1, 13)
                ],
            )
        ],
    )
    assert [r["pension_days"] for r in rows(on_employment)][:3] == [10, 8, 8]
    assert rows(on_periods) == rows(on_employment)


def test_a_norm_of_0_on_the_employment_is_no_fault_where_every_period_gives_its_own() -> None:
    # Fund 2's franchise per hour needs the norm; no period is computed with the employment's 0 hours. January:
    # 10.00 * 52 * 38 / 12 = 1646.666 -> 1646.67 (factor 1).
    periods = [{"period": k, "components": {"10": "3000.00"}, "norm_hours_per_week": "38"} for k in range(1, 13)]
    data = case([HOUR_FUND], [employment(norm_hours_per_week="0", funds=[{"number": 2}], periods=periods)])
    assert rows(data)[0]["premium"]["franchise"] == "1646.67"
