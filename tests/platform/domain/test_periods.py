"""Payroll periods, Dutch public holidays and the first period a change may apply to (the cut-off)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from inleg.platform.domain.contributions import PayrollPeriod, PeriodKey, first_period_for_change
from inleg.platform.domain.contributions.errors import (
    InvalidCutoff,
    InvalidMoment,
    InvalidPeriod,
    NoOpenPeriod,
    UnsupportedYear,
)
from inleg.platform.domain.contributions.holidays import (
    easter_sunday,
    is_working_day,
    kings_day,
    public_holidays,
    working_days_after,
)
from inleg.platform.domain.contributions.periods import ordered
from tests.platform.domain.helpers import four_weeks, key, months

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def nl(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    "easter",
    [date(2008, 3, 23), date(2019, 4, 21), date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2038, 4, 25),
     date(2285, 3, 22)],
)  # fmt: skip
def test_easter_sunday_on_known_dates(easter: date) -> None:
    assert easter_sunday(easter.year) == easter


def test_the_holidays_of_2026_by_hand() -> None:
    # Easter 5 April 2026: Good Friday 3 April, Easter Monday 6 April, Ascension +39 = 14 May, Whit Monday +50 =
    # 25 May. 27 April 2026 is a Monday, so Koningsdag stays on the 27th.
    assert public_holidays(2026) == {
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 4, 27), date(2026, 5, 5),
        date(2026, 5, 14), date(2026, 5, 25), date(2026, 12, 25), date(2026, 12, 26),
    }  # fmt: skip


def test_koningsdag_moves_to_saturday_when_the_27th_is_a_sunday() -> None:
    assert kings_day(2025) == date(2025, 4, 26)  # 27 April 2025 is a Sunday
    assert kings_day(2026) == date(2026, 4, 27)


def test_years_before_2014_are_refused_not_guessed() -> None:
    with pytest.raises(UnsupportedYear) as error:
        public_holidays(2013)
    assert error.value.field == "year"
    assert error.value.value == 2013


def test_working_days() -> None:
    assert is_working_day(date(2025, 1, 2))  # Thursday
    assert not is_working_day(date(2025, 1, 1))  # New Year's Day
    assert not is_working_day(date(2025, 1, 4))  # Saturday
    # after Tuesday 28 January 2025 through Friday the 31st: 29, 30, 31
    assert working_days_after(date(2025, 1, 28), date(2025, 1, 31)) == 3
    assert working_days_after(date(2025, 1, 31), date(2025, 1, 31)) == 0
    assert working_days_after(date(2025, 2, 1), date(2025, 1, 31)) == 0
    # after Friday 24 April 2026 through Thursday the 30th: Mon 27 is Koningsdag, so 28, 29, 30
    assert working_days_after(date(2026, 4, 24), date(2026, 4, 30)) == 3


def test_the_cutoff_example_of_the_docstring() -> None:
    periods = months(2025)
    # January 2025 ends on Friday the 31st; cut-off 3 working days.
    assert first_period_for_change(periods, set(), nl(date(2025, 1, 28)), 3).key == key(2025, 1)
    assert first_period_for_change(periods, set(), nl(date(2025, 1, 29)), 3).key == key(2025, 2)


def test_the_day_is_the_day_in_the_netherlands() -> None:
    periods = months(2025)
    # 23:30 UTC on the 28th is 00:30 on the 29th in Amsterdam (CET, UTC+1): after the cut-off.
    late = datetime(2025, 1, 28, 23, 30, tzinfo=UTC)
    assert first_period_for_change(periods, set(), late, 3).key == key(2025, 2)
    earlier = datetime(2025, 1, 28, 22, 59, tzinfo=UTC)  # 23:59 in Amsterdam
    assert first_period_for_change(periods, set(), earlier, 3).key == key(2025, 1)


def test_a_moment_without_a_time_zone_is_refused() -> None:
    with pytest.raises(InvalidMoment) as error:
        first_period_for_change(months(2025), set(), datetime(2025, 1, 10, 12), 3)  # noqa: DTZ001
    assert error.value.field == "moment"


def test_a_cutoff_of_zero_allows_the_last_day() -> None:
    periods = months(2025)
    assert first_period_for_change(periods, set(), nl(date(2025, 1, 31)), 0).key == key(2025, 1)
    assert first_period_for_change(periods, set(), nl(date(2025, 2, 1)), 0).key == key(2025, 2)


def test_a_holiday_makes_the_cutoff_earlier() -> None:
    periods = months(2026)
    # April 2026 ends Thursday the 30th. Cut-off 4. From Thursday the 23rd: 24, 28, 29, 30 (27 is Koningsdag) = 4.
    assert first_period_for_change(periods, set(), nl(date(2026, 4, 23)), 4).key == key(2026, 4)
    # From Friday the 24th: 28, 29, 30 = 3 < 4 (it would be 4 if Koningsdag were a working day).
    assert first_period_for_change(periods, set(), nl(date(2026, 4, 24)), 4).key == key(2026, 5)


def test_a_period_that_has_run_is_never_chosen() -> None:
    periods = months(2025)
    # The payroll ran January early; a change on 10 January applies to February.
    assert first_period_for_change(periods, {key(2025, 1)}, nl(date(2025, 1, 10)), 3).key == key(2025, 2)


def test_a_period_before_a_run_one_counts_as_closed() -> None:
    periods = months(2025)
    # February ran (January is not marked): the payroll runs in order, so January is closed too.
    assert first_period_for_change(periods, {key(2025, 2)}, nl(date(2025, 1, 5)), 3).key == key(2025, 3)


def test_a_late_payroll_period_still_open_but_past_its_cutoff_is_skipped() -> None:
    periods = months(2025)
    # March has not run on 10 April; its end has passed, so the change applies to April.
    ran = {key(2025, 1), key(2025, 2)}
    assert first_period_for_change(periods, ran, nl(date(2025, 4, 10)), 3).key == key(2025, 4)


def test_four_weekly_periods() -> None:
    periods = four_weeks(2025)
    # Period 1 of 2025: ISO weeks 1-4, Monday 30 December 2024 to Sunday 26 January 2025.
    assert (periods[0].start, periods[0].end) == (date(2024, 12, 30), date(2025, 1, 26))
    # After Tuesday the 21st: 22, 23, 24 = 3 working days -> period 1; after Wednesday the 22nd: 2 -> period 2.
    assert first_period_for_change(periods, set(), nl(date(2025, 1, 21)), 3).key == key(2025, 1)
    assert first_period_for_change(periods, set(), nl(date(2025, 1, 22)), 3).key == key(2025, 2)


def test_no_open_period_left_is_a_clear_error() -> None:
    # December 2025 ends Wednesday the 31st: after the 30th only 1 working day remains, and 2026 is not listed.
    with pytest.raises(NoOpenPeriod) as error:
        first_period_for_change(months(2025), set(), nl(date(2025, 12, 30)), 3)
    assert error.value.field == "moment"
    assert error.value.value == "2025-12-30"


@pytest.mark.parametrize("bad", [-1, 21, True, 2.0, "3", None])
def test_a_cutoff_outside_0_to_20_working_days_is_refused(bad: object) -> None:
    with pytest.raises(InvalidCutoff) as error:
        first_period_for_change(months(2025), set(), nl(date(2025, 1, 10)), bad)  # type: ignore[arg-type]
    assert error.value.field == "cutoff_working_days"
    assert error.value.value == bad


def test_periods_are_checked() -> None:
    with pytest.raises(InvalidPeriod) as error:
        PeriodKey(2025, 14)
    assert error.value.field == "period.number"
    with pytest.raises(InvalidPeriod):
        PeriodKey(2025, True)  # type: ignore[arg-type]
    with pytest.raises(InvalidPeriod) as error:
        PayrollPeriod(2025, 1, date(2025, 1, 31), date(2025, 1, 1))
    assert error.value.field == "period 2025-01.end"
    jan = PayrollPeriod(2025, 1, date(2025, 1, 1), date(2025, 1, 31))
    with pytest.raises(InvalidPeriod, match="listed twice"):
        ordered([jan, jan])
    with pytest.raises(InvalidPeriod, match="on or before the end"):
        ordered([jan, PayrollPeriod(2025, 2, date(2025, 1, 31), date(2025, 2, 28))])
    assert PeriodKey(2025, 3).loket_id == 202503
    assert str(PeriodKey(2025, 3)) == "2025-03"
    assert date(2025, 1, 15) in jan
