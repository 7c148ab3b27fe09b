"""Properties of the calendar rules over many dates, against brute-force counting."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from inleg.funds.calendar import Frequency, age_on, payroll_year, sv_days_between
from inleg.funds.numbers import ceil_div
from tests.funds.builders import case, employment, fund, rows

dates = st.dates(date(1990, 1, 1), date(2040, 12, 31))


@given(dates, st.integers(0, 800))
def test_sv_days_are_the_weekdays_of_the_range(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    brute = sum(1 for i in range(length + 1) if (start + timedelta(days=i)).weekday() < 5)
    assert sv_days_between(start, end) == brute


@given(st.integers(1990, 2040), st.sampled_from(list(Frequency)))
def test_periods_tile_the_payroll_year(year: int, frequency: Frequency) -> None:
    calendar = payroll_year(year, frequency)
    for before, after in zip(calendar.periods, calendar.periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    if frequency is Frequency.MONTH:
        assert (calendar.first_day, calendar.last_day) == (date(year, 1, 1), date(year, 12, 31))
    else:
        assert calendar.first_day.weekday() == 0
        assert calendar.last_day.weekday() == 6
        assert calendar.cal_year in (364, 371)


@given(dates, dates)
def test_age_counts_completed_birthdays(born: date, on: date) -> None:
    assume(on >= born)
    age = age_on(born, on)
    # brute force: the number of birthdays (29 February -> 1 March) after birth up to and including `on`
    birthdays = 0
    for year in range(born.year + 1, on.year + 1):
        try:
            birthday = born.replace(year=year)
        except ValueError:
            birthday = date(year, 3, 1)
        birthdays += birthday <= on
    assert age == birthdays


@given(st.integers(1, 15000), st.lists(st.integers(0, 8), min_size=12, max_size=12), st.integers(2019, 2030))
def test_pension_days_add_up_to_the_rounded_total(ptf: int, unpaid: list[int], year: int) -> None:
    periods = [{"period": k + 1, "components": {"10": "100.00"}, "unpaid_days": u} for k, u in enumerate(unpaid)]
    data = case(
        [fund(recalc_unit="pension_days")],
        [employment(part_time_factor=f"{ptf // 10000}.{ptf % 10000:04d}", periods=periods)],
    )
    data["year"] = year
    result = rows(data)
    sv_total = sum(r["sv_days"] for r in result)
    assert sum(r["pension_days"] for r in result) == ceil_div(ptf * sv_total, 10000)
    for r in result:  # each period gets its share, rounded up or down by at most one day
        share = ptf * r["sv_days"]
        assert share // 10000 - 1 <= r["pension_days"] <= ceil_div(share, 10000) + 1
