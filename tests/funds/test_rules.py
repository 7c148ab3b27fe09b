"""One test (or a few) per rule of funds.md, each checked by hand; every one runs both engines.

Figures in comments are the hand calculation. Calendar facts (SV-days per month) are those of
fund-figures.md section 3, verified there against a published table.
"""

from __future__ import annotations

from datetime import date

import pytest

from inleg.funds.calendar import Frequency, add_months, age_on, payroll_year
from tests.funds.builders import case, employment, fund, period, rows, threshold

# --- section 2: the payroll calendar -----------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "per_month"),
    [
        (2022, [21, 20, 23, 21, 22, 22, 21, 23, 22, 21, 22, 22]),
        (2024, [23, 21, 21, 22, 23, 20, 23, 22, 21, 23, 21, 22]),
        (2025, [23, 20, 21, 22, 22, 21, 23, 21, 22, 23, 20, 23]),
    ],
)
def test_month_sv_days_match_the_published_table(year: int, per_month: list[int]) -> None:
    calendar = payroll_year(year, Frequency.MONTH)
    assert [p.sv_days for p in calendar.periods] == per_month
    assert calendar.sv_year == sum(per_month)
    assert calendar.cal_year == (366 if year == 2024 else 365)


def test_four_weeks_in_a_53_week_year_puts_week_53_in_period_13() -> None:
    calendar = payroll_year(2026, Frequency.FOUR_WEEKS)  # 1 January 2026 is a Thursday: 53 ISO weeks
    assert calendar.n == 13
    assert (calendar.periods[0].start, calendar.periods[0].end) == (date(2025, 12, 29), date(2026, 1, 25))
    assert (calendar.periods[12].start, calendar.periods[12].end) == (date(2026, 11, 30), date(2027, 1, 3))
    assert calendar.periods[12].sv_days == 25
    assert (calendar.sv_year, calendar.cal_year) == (12 * 20 + 25, 12 * 28 + 35)


def test_four_weeks_in_a_52_week_year() -> None:
    calendar = payroll_year(2025, Frequency.FOUR_WEEKS)
    assert calendar.periods[0].start == date(2024, 12, 30)
    assert calendar.periods[12].end == date(2025, 12, 28)
    assert (calendar.sv_year, calendar.cal_year) == (260, 364)


def test_dates_of_29_february_and_short_months() -> None:
    assert age_on(date(2004, 2, 29), date(2025, 2, 28)) == 20
    assert age_on(date(2004, 2, 29), date(2025, 3, 1)) == 21
    assert age_on(date(2004, 2, 29), date(2024, 2, 29)) == 20
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


# --- section 3: participation --------------------------------------------------------------------


def _entry(moment: str, age: int = 21, extra: int = 0) -> dict[str, object]:
    return {"age": age, "moment": moment, "extra_months": extra}


def _days(row: dict[str, object]) -> tuple[object, ...]:
    return row["participates"], row["calendar_days"], row["sv_days"]


@pytest.mark.parametrize(
    ("entry", "june", "july", "august", "september"),
    [
        # born 2003-07-18: 21 on Thursday 2024-07-18; 18..31 July holds 14 days, 10 weekdays
        (_entry("birthday"), (False, 0, 0), (True, 14, 10), (True, 31, 22), (True, 30, 21)),
        (_entry("month_start"), (False, 0, 0), (True, 31, 23), (True, 31, 22), (True, 30, 21)),
        (_entry("next_month_start"), (False, 0, 0), (False, 0, 0), (True, 31, 22), (True, 30, 21)),
        # two extra months: Wednesday 2024-09-18, 13 days, 9 weekdays
        (_entry("birthday", extra=2), (False, 0, 0), (False, 0, 0), (False, 0, 0), (True, 13, 9)),
    ],
)
def test_entry_moment(entry: dict[str, object], june: tuple, july: tuple, august: tuple, september: tuple) -> None:
    data = case([fund(entry=entry)], [employment(birth_date="2003-07-18", hire_date="2020-01-01")])
    assert [_days(period(data, k)) for k in (6, 7, 8, 9)] == [june, july, august, september]


def test_extra_months_landing_on_a_missing_day_give_the_last_day() -> None:
    # born 2003-08-31: 21 on 2024-08-31, plus one month: 30 September (a Monday)
    data = case([fund(entry=_entry("birthday", extra=1))], [employment(birth_date="2003-08-31")])
    assert _days(period(data, 9)) == (True, 1, 1)
    assert _days(period(data, 8)) == (False, 0, 0)


def test_born_on_29_february_reaches_the_age_on_1_march() -> None:
    data = case([fund(entry=_entry("birthday"))], [employment(birth_date="2004-02-29")], year=2025)
    assert _days(period(data, 2)) == (False, 0, 0)
    assert _days(period(data, 3)) == (True, 31, 21)
    leap = case([fund(entry=_entry("birthday", age=20))], [employment(birth_date="2004-02-29")])
    assert _days(period(leap, 2)) == (True, 1, 1)  # Thursday 29 February 2024


def test_exit_moment_ends_the_day_before() -> None:
    # born 1958-05-20, exit at 67: month_start gives 2025-05-01, so the last day is 30 April
    data = case([fund(exit=_entry("month_start", age=67))], [employment(birth_date="1958-05-20")], year=2025)
    assert _days(period(data, 4)) == (True, 30, 22)
    assert _days(period(data, 5)) == (False, 0, 0)
    # birthday: exit 2025-05-20, last day Monday 19 May: 1-2, 5-9, 12-16, 19 May = 13 weekdays
    data = case([fund(exit=_entry("birthday", age=67))], [employment(birth_date="1958-05-20")], year=2025)
    assert _days(period(data, 5)) == (True, 19, 13)


def test_hire_before_the_year_counts_from_the_first_day_of_the_payroll_year() -> None:
    # four-week payroll 2026 starts Monday 2025-12-29
    early = case([fund()], [employment(hire_date="2025-06-01")], year=2026, frequency="four_weeks")
    assert _days(period(early, 1)) == (True, 28, 20)
    late = case([fund()], [employment(hire_date="2025-12-30")], year=2026, frequency="four_weeks")
    assert _days(period(late, 1)) == (True, 27, 19)


def test_employment_end_date_is_the_last_day() -> None:
    # Friday 2024-03-15: 1, 4-8, 11-15 March = 11 weekdays
    data = case([fund()], [employment(end_date="2024-03-15")])
    assert _days(period(data, 3)) == (True, 15, 11)
    assert _days(period(data, 4)) == (False, 0, 0)


def test_employment_fund_dates_narrow_participation() -> None:
    link = {"number": 1, "start_date": "2024-05-10", "end_date": "2024-08-20"}
    data = case([fund()], [employment(funds=[link])])
    assert _days(period(data, 4)) == (False, 0, 0)
    assert _days(period(data, 5)) == (True, 22, 16)  # Friday 10 May .. 31 May
    assert _days(period(data, 8)) == (True, 20, 14)  # 1 .. Tuesday 20 August
    assert _days(period(data, 9)) == (False, 0, 0)


def test_unpaid_days_reduce_sv_days_never_below_zero() -> None:
    periods = [
        {"period": 1, "components": {"10": "3000.00"}, "unpaid_days": 5},
        {"period": 2, "components": {"10": "3000.00"}, "unpaid_days": 30},
    ]
    data = case([fund()], [employment(periods=periods)])
    assert _days(period(data, 1)) == (True, 31, 18)
    assert _days(period(data, 2)) == (True, 29, 0)


def test_pension_days_of_the_seed_example() -> None:
    data = case([fund(recalc_unit="pension_days")], [employment(part_time_factor="0.3947")], year=2022)
    assert [period(data, k)["pension_days"] for k in (1, 2, 3)] == [9, 8, 9]


@pytest.mark.parametrize(("kind", "hours"), [("none", "160.00"), ("hours_incl_overtime", "172.50")])
def test_hours_include_overtime_only_for_that_kind(kind: str, hours: str) -> None:
    periods = [{"period": 1, "components": {"10": "3000.00"}, "hours": "160.00", "overtime_hours": "12.50"}]
    data = case([fund(kind=kind)], [employment(periods=periods, end_date="2024-01-31")])
    assert period(data, 1)["hours"] == hours
    assert period(data, 2)["hours"] == "0.00"


# --- section 4: the base -------------------------------------------------------------------------

BONUS_PERIOD = [{"period": 1, "components": {"10": "3000.00", "20": "500.00", "50": "25.00"}}]


@pytest.mark.parametrize(
    ("base", "raw"),
    [
        ([(10, "calculated"), (50, "calculated")], "2975.00"),  # a deduction counts by its sign
        ([(257, "calculated"), (20, "calculated")], "3000.00"),  # bruto 3500 less the bonus (tegengesteld)
        ([(257, "excluded"), (20, "calculated")], "-500.00"),  # an excluded total is still present
        ([(257, "calculated"), (265, "calculated"), (20, "calculated")], "6000.00"),  # 3500 + 3500 - 2 x 500
        ([(10, "excluded")], "0.00"),
    ],
)
def test_base_composition(base: list[tuple[int, str]], raw: str) -> None:
    entries = [{"component": c, "origin": o} for c, o in base]
    data = case([fund(base=entries)], [employment(periods=BONUS_PERIOD)])
    assert period(data, 1)["raw_base"] == raw


@pytest.mark.parametrize(
    ("unit", "origin", "raw"),
    [
        ("period", "fixed", "3500.00"),  # 42,000 / 12
        ("period", "calculated", "3500.00"),  # annual bases always come from fixed data
        ("period", "excluded", "0.00"),
        ("calendar_days", "fixed", "3557.38"),  # 42,000 x 31 / 366 = 3557.377
        ("sv_days", "fixed", "3687.02"),  # 42,000 x 23 / 262 = 3687.023
        ("hours", "fixed", "3687.02"),  # by SV-days: hours would scale part-time twice
        ("pension_days", "fixed", "3687.02"),
    ],
)
def test_jaar_grsl_is_converted_to_the_period_without_part_time(unit: str, origin: str, raw: str) -> None:
    data = case(
        [fund(recalc_unit=unit, base=[{"component": 543, "origin": origin}])],
        [employment(fixed={"543": "42000.00"}, part_time_factor="0.5000")],
    )
    assert period(data, 1)["raw_base"] == raw


def test_a_negative_correction_without_franchise_gives_a_negative_amount() -> None:
    periods = [{"period": 1, "components": {"10": "-120.00"}}]
    row = period(case([fund()], [employment(periods=periods)]), 1)
    assert (row["raw_base"], row["premium"]["amount"], row["total"]["amount"], row["employer"]) == (
        "-120.00",
        "-12.00",
        "-36.00",
        "-24.00",
    )


# --- section 5: thresholds to the period -------------------------------------------------------


@pytest.mark.parametrize(
    ("recalc", "franchise", "expected"),
    [
        ("period", threshold("17545.00", part_time=True), "438.63"),  # 17,545 / 12 x 0.3 = 438.625
        ("period", threshold("500.00", "period"), "500.00"),
        ("period", threshold("250.00", "sv_day"), "5458.33"),  # 250 x 262 / 12
        ("period", threshold("9.24", "hour"), "1601.60"),  # 9.24 x 52 x 40 / 12
        ("sv_days", threshold("9.24", "hour"), "1687.18"),  # 19,219.20 x 23 / 262 = 1687.1817
        ("calendar_days", threshold("10.00", "calendar_day", part_time=True), "93.00"),  # 10 x 31 x 0.3
        # pension days ceil(0.3 x 23) = 7; 17,545 x 7 / 262 = 468.7595; the flag does not scale again
        ("pension_days", threshold("17545.00", part_time=True), "468.76"),
    ],
)
def test_threshold_to_the_period(recalc: str, franchise: dict[str, object], expected: str) -> None:
    side = {"percentage": "10.0000", "franchise": franchise}
    data = case(
        [fund(recalc_unit=recalc, premium=side, total=side)],
        [employment(part_time_factor="0.3000")],
    )
    assert period(data, 1)["premium"]["franchise"] == expected


def test_hourly_franchise_of_the_stipp_example() -> None:
    # fund-figures 6.4: salary 2,300, 80 pension hours, uurfranchise 8.45: franchise 676, base 1,624, 8 %
    side = {"percentage": "8.0000", "franchise": threshold("8.45", "hour")}
    periods = [{"period": 1, "components": {"10": "2300.00"}, "hours": "80.00"}]
    data = case([fund(recalc_unit="hours", premium=side, total=side)], [employment(periods=periods)])
    row = period(data, 1)["premium"]
    assert (row["franchise"], row["base"], row["amount"]) == ("676.00", "1624.00", "129.92")


def test_a_threshold_is_used_even_when_its_period_value_rounds_to_zero() -> None:
    side = {"percentage": "10.0000", "max_base": threshold("0.01")}
    row = period(case([fund(premium=side, total=side)]), 1)["premium"]
    assert (row["max"], row["base"], row["amount"]) == ("0.00", "0.00", "0.00")


# --- section 6: franchise and percentage kinds ------------------------------------------------

AGE_TABLE = [
    {"from": 21, "to": 33, "premium": "4.0000", "total": "12.0000"},
    {"from": 34, "to": 66, "premium": "6.0000", "total": "18.0000"},
]


@pytest.mark.parametrize(
    ("test", "may", "june", "july"),
    [
        ("jan1", "4.0000", "4.0000", "4.0000"),  # 33 on 1 January 2024 (born 1990-06-15)
        ("dec31", "6.0000", "6.0000", "6.0000"),  # 34 on 31 December
        ("period_start", "4.0000", "4.0000", "6.0000"),  # 1 June: 33, 1 July: 34
        ("period_end", "4.0000", "6.0000", "6.0000"),  # 31 May: 33, 30 June: 34
    ],
)
def test_age_test_moments(test: str, may: str, june: str, july: str) -> None:
    data = case(
        [fund(percentage_kind="age", percentage_age_test=test, percentage_table=AGE_TABLE)],
        [employment(birth_date="1990-06-15")],
    )
    assert [period(data, k)["premium"]["percentage"] for k in (5, 6, 7)] == [may, june, july]


def test_percentage_by_birth_year_and_outside_every_row() -> None:
    table = [{"from": 1980, "to": 1989, "premium": "5.0000", "total": "15.0000"}]
    inside = case([fund(percentage_kind="birth_year", percentage_table=table)], [employment(birth_date="1985-03-01")])
    outside = case([fund(percentage_kind="birth_year", percentage_table=table)], [employment(birth_date="1990-03-01")])
    assert period(inside, 1)["premium"]["amount"] == "150.00"
    assert (period(outside, 1)["premium"]["percentage"], period(outside, 1)["premium"]["amount"]) == ("0.0000", "0.00")


def test_franchise_by_age_in_the_unit_of_the_fund_franchise() -> None:
    table = [{"from": 21, "to": 40, "premium": "10000.00", "total": "12000.00"}]
    data = case(
        [fund(franchise_kind="age", franchise_table=table)],
        [employment(birth_date="1990-06-15"), employment(id="E2", birth_date="1960-06-15")],
    )
    young = period(data, 1)
    assert (young["premium"]["franchise"], young["total"]["franchise"]) == ("833.33", "1000.00")
    assert young["premium"]["base"] == "2166.67"
    old = period(data, 1, employment="E2")  # 63: outside every row, no franchise
    assert (old["premium"]["franchise"], old["premium"]["base"]) == ("0.00", "3000.00")


def test_deviation_overrides_both_percentages() -> None:
    link = {"number": 1, "deviation": {"premium": "8.0000", "total": "20.0000"}}
    row = period(case([fund()], [employment(funds=[link])]), 1)
    assert (row["premium"]["amount"], row["total"]["amount"], row["employer"]) == ("240.00", "600.00", "360.00")


def test_fixed_contribution_skips_the_calculation() -> None:
    link = {"number": 1, "fixed_contribution": {"premium": "50.00", "total": "150.00"}}
    data = case([fund()], [employment(funds=[link], end_date="2024-06-30")])
    row = period(data, 1)
    assert row["raw_base"] == "3000.00"
    assert row["premium"] == {
        "max": "0.00",
        "franchise": "0.00",
        "min": "0.00",
        "base": "0.00",
        "percentage": "0.0000",
        "amount": "50.00",
    }
    assert (row["total"]["amount"], row["employer"]) == ("150.00", "100.00")
    assert (period(data, 7)["premium"]["amount"], period(data, 7)["participates"]) == ("0.00", False)


# --- section 7: a period's amounts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("salary", "thresholds", "base"),
    [
        ("1000.00", {"max": "800.00", "franchise": "300.00", "min": "600.00"}, "600.00"),  # 800 - 300 < 600
        ("1000.00", {"max": "800.00", "franchise": "100.00", "min": "600.00"}, "700.00"),
        ("100.00", {"min": "600.00"}, "600.00"),  # the min lifts a small positive base
        ("-100.00", {"min": "600.00"}, "-100.00"),  # but not a base of 0 or less
        ("-100.00", {"franchise": "300.00"}, "0.00"),
    ],
)
def test_max_then_franchise_then_min(salary: str, thresholds: dict[str, str], base: str) -> None:
    side = {"percentage": "10.0000"} | {
        f"{name}_base" if name != "franchise" else name: threshold(amount, "period")
        for name, amount in thresholds.items()
    }
    periods = [{"period": 1, "components": {"10": salary}}]
    row = period(case([fund(premium=side, total=side)], [employment(periods=periods)]), 1)
    assert row["premium"]["base"] == base


def test_rounding_half_away_from_zero() -> None:
    periods = [{"period": 1, "components": {"10": "3329.75"}}, {"period": 2, "components": {"10": "-3329.75"}}]
    data = case([fund()], [employment(periods=periods)])
    assert (period(data, 1)["premium"]["amount"], period(data, 1)["total"]["amount"]) == ("332.98", "998.93")
    assert (period(data, 2)["premium"]["amount"], period(data, 2)["total"]["amount"]) == ("-332.98", "-998.93")


def test_cumulative_settles_over_the_year() -> None:
    # franchise 18,000 a year = 1,500 a month. Year to date: 2,000 -> 500; 3,000 -> 0; 5,000 -> 500.
    side = {"percentage": "10.0000", "franchise": threshold("18000.00")}
    periods = [{"period": k, "components": {"10": s}} for k, s in ((1, "2000.00"), (2, "1000.00"), (3, "2000.00"))]
    people = [employment(periods=periods, end_date="2024-03-31")]
    cumulative = rows(case([fund(cumulative=True, premium=side, total=side)], people))
    assert [(r["premium"]["base"], r["premium"]["amount"]) for r in cumulative[:3]] == [
        ("500.00", "50.00"),
        ("-500.00", "-50.00"),
        ("500.00", "50.00"),
    ]
    per_period = rows(case([fund(premium=side, total=side)], people))
    assert [r["premium"]["amount"] for r in per_period[:3]] == ["50.00", "0.00", "50.00"]


def test_cumulative_rounds_the_year_to_date_amount() -> None:
    # 7.5 % of 100.10 a month: YTD 7.5075 -> 7.51, 15.015 -> 15.02, 22.5225 -> 22.52
    side = {"percentage": "7.5000"}
    periods = [{"period": k, "components": {"10": "100.10"}} for k in (1, 2, 3)]
    people = [employment(periods=periods, end_date="2024-03-31")]
    data = case([fund(cumulative=True, premium=side, total=side)], people)
    assert [period(data, k)["premium"]["amount"] for k in (1, 2, 3)] == ["7.51", "7.51", "7.50"]


def test_non_participating_period_is_zero_everywhere() -> None:
    row = period(case([fund()], [employment(hire_date="2024-05-01")]), 4)
    assert row == {
        "employment": "E1",
        "fund": 1,
        "period": 4,
        "participates": False,
        "sv_days": 0,
        "calendar_days": 0,
        "pension_days": 0,
        "hours": "0.00",
        "raw_base": "0.00",
        "premium": {
            "max": "0.00",
            "franchise": "0.00",
            "min": "0.00",
            "base": "0.00",
            "percentage": "0.0000",
            "amount": "0.00",
        },
        "total": {
            "max": "0.00",
            "franchise": "0.00",
            "min": "0.00",
            "base": "0.00",
            "percentage": "0.0000",
            "amount": "0.00",
        },
        "employer": "0.00",
    }


def test_results_come_per_employment_then_fund_ascending_then_period() -> None:
    data = case(
        [fund(number=7), fund(number=2)],
        [employment(id="B", funds=[{"number": 7}, {"number": 2}]), employment(id="A", funds=[{"number": 2}])],
    )
    order = [(r["employment"], r["fund"], r["period"]) for r in rows(data)]
    assert order[0] == ("B", 2, 1)
    assert order[12] == ("B", 7, 1)
    assert order[24] == ("A", 2, 1)
    assert len(order) == 36
