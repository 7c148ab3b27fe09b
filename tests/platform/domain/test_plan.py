"""The plan: segments per component, merged, ended by a stop or a leaver, clipped to the employment."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from inleg.platform.domain.contributions import (
    Components,
    Employment,
    FixedAmount,
    History,
    NetContribution,
    PercentOfSalary,
    SchemeChange,
    SchemeStop,
    Segment,
    plan_employment,
)
from inleg.platform.domain.contributions.errors import InvalidScheme, UnknownPeriod
from inleg.platform.domain.contributions.plan import BlockReason, ComponentPlan
from inleg.platform.domain.money import Cents
from tests.platform.domain.helpers import T0, key, months

GROSS, NET = 751, 831  # the sandbox seed's Pensify Inleg and Netto inleg
COMPONENTS = Components(GROSS, NET)
PERIODS = months(2025)
EMPLOYMENT = Employment("emp-1", date(2024, 1, 1))


def fixed(period: int, euros: str, minute: int = 0) -> SchemeChange:
    return SchemeChange(
        from_period=key(2025, period),
        author="w",
        made_at=T0 + timedelta(minutes=minute),
        rule=FixedAmount(Cents.parse(euros)),
    )


def net(period: int, euros: str, minute: int = 0) -> NetContribution:
    return NetContribution(
        employment_id=EMPLOYMENT.id,
        from_period=key(2025, period),
        author="e",
        made_at=T0 + timedelta(minutes=minute),
        amount=Cents.parse(euros),
    )


def plan(
    *versions: object, employment: Employment = EMPLOYMENT, first: int = 3, salaries: dict | None = None
) -> tuple[ComponentPlan, ComponentPlan]:
    result = plan_employment(
        employment,
        PERIODS,
        History(tuple(versions)),  # type: ignore[arg-type]
        salaries or {},
        first_open=key(2025, first),
        components=COMPONENTS,
    )
    return result.gross, result.net


def seg(start: date, end: date | None, cents: int) -> Segment:
    return Segment(start, end, Cents(cents))


def test_one_value_from_before_the_window_is_one_open_segment_from_the_window() -> None:
    gross, net_plan = plan(fixed(1, "50"))
    assert gross.window_start == date(2025, 3, 1)
    assert gross.component_key == GROSS
    assert gross.segments == (seg(date(2025, 3, 1), None, 5000),)
    assert net_plan.segments == ()  # 0 is no record
    assert net_plan.component_key == NET


def test_a_change_splits_and_equal_periods_merge() -> None:
    gross, _ = plan(fixed(1, "50"), fixed(6, "60", 1), fixed(8, "60", 2))
    # 60 from June and again 60 from August: one segment from June
    assert gross.segments == (seg(date(2025, 3, 1), date(2025, 5, 31), 5000), seg(date(2025, 6, 1), None, 6000))


def test_a_stop_ends_the_day_before_its_period() -> None:
    stop = SchemeStop(from_period=key(2025, 9), author="w", made_at=T0)
    gross, net_plan = plan(fixed(1, "50"), net(4, "25"), stop)
    assert gross.segments == (seg(date(2025, 3, 1), date(2025, 8, 31), 5000),)
    assert net_plan.segments == (seg(date(2025, 4, 1), date(2025, 8, 31), 2500),)


def test_a_leaver_ends_on_the_employment_end() -> None:
    leaver = Employment("emp-1", date(2024, 1, 1), date(2025, 7, 15))
    gross, _ = plan(fixed(1, "50"), fixed(6, "60", 1), employment=leaver)
    assert gross.segments == (
        seg(date(2025, 3, 1), date(2025, 5, 31), 5000),
        seg(date(2025, 6, 1), date(2025, 7, 15), 6000),
    )


def test_a_leaver_on_the_last_listed_day_is_not_open_ended() -> None:
    leaver = Employment("emp-1", date(2024, 1, 1), date(2025, 12, 31))
    gross, _ = plan(fixed(1, "50"), employment=leaver)
    assert gross.segments == (seg(date(2025, 3, 1), date(2025, 12, 31), 5000),)


def test_a_leaver_after_the_last_listed_period_ends_there() -> None:
    leaver = Employment("emp-1", date(2024, 1, 1), date(2026, 2, 28))
    gross, _ = plan(fixed(1, "50"), employment=leaver)
    assert gross.segments == (seg(date(2025, 3, 1), date(2026, 2, 28), 5000),)


def test_an_employment_that_ended_before_the_window_gets_nothing() -> None:
    gone = Employment("emp-1", date(2024, 1, 1), date(2025, 2, 10))
    gross, _ = plan(fixed(1, "50"), employment=gone)
    assert gross.segments == ()


def test_a_new_employment_starts_on_its_own_day() -> None:
    new = Employment("emp-1", date(2025, 4, 15))
    gross, _ = plan(fixed(1, "50"), employment=new)
    assert gross.segments == (seg(date(2025, 4, 15), None, 5000),)


def test_zero_in_between_is_a_gap() -> None:
    _, net_plan = plan(net(3, "25"), net(5, "0", 1), net(7, "25", 2))
    assert net_plan.segments == (seg(date(2025, 3, 1), date(2025, 4, 30), 2500), seg(date(2025, 7, 1), None, 2500))


def test_a_percentage_follows_the_salary() -> None:
    scheme = SchemeChange(from_period=key(2025, 1), author="w", made_at=T0, rule=PercentOfSalary(Decimal(3)))
    salaries = {key(2025, p): Cents(300000) for p in (3, 4)} | {key(2025, p): Cents(310000) for p in range(5, 13)}
    gross, _ = plan(scheme, salaries=salaries)
    # 3 % of 3000.00 = 90.00 for March and April; 3 % of 3100.00 = 93.00 from May
    assert gross.segments == (seg(date(2025, 3, 1), date(2025, 4, 30), 9000), seg(date(2025, 5, 1), None, 9300))
    assert gross.blocked is None


def test_a_missing_salary_blocks_the_gross_plan_not_the_net_one() -> None:
    scheme = SchemeChange(from_period=key(2025, 1), author="w", made_at=T0, rule=PercentOfSalary(Decimal(3)))
    salaries = {key(2025, p): Cents(300000) for p in range(3, 13) if p != 7}
    gross, net_plan = plan(scheme, net(3, "25"), salaries=salaries)
    assert gross.segments == ()
    assert gross.blocked is not None
    assert gross.blocked.reason is BlockReason.SALARY_UNKNOWN
    assert gross.blocked.periods == (key(2025, 7),)
    assert net_plan.segments == (seg(date(2025, 3, 1), None, 2500),)


def test_a_version_after_the_listed_periods_is_refused() -> None:
    late = SchemeChange(from_period=key(2026, 1), author="w", made_at=T0, rule=FixedAmount(Cents(100)))
    with pytest.raises(UnknownPeriod) as error:
        plan(late)
    assert error.value.field == "from_period"
    assert error.value.value == "2026-01"


def test_the_window_must_be_a_listed_period() -> None:
    with pytest.raises(UnknownPeriod):
        plan_employment(EMPLOYMENT, PERIODS, History(), {}, first_open=key(2026, 1), components=COMPONENTS)


def test_the_two_components_differ() -> None:
    with pytest.raises(InvalidScheme) as error:
        Components(751, 751)
    assert error.value.field == "components.net"
    with pytest.raises(InvalidScheme):
        Components(0, 751)


def test_value_on() -> None:
    gross, _ = plan(fixed(1, "50"), fixed(6, "60", 1))
    assert gross.value_on(date(2025, 5, 31)) == Cents(5000)
    assert gross.value_on(date(2025, 6, 1)) == Cents(6000)
    assert gross.value_on(date(2099, 1, 1)) == Cents(6000)
