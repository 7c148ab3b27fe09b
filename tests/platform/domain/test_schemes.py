"""What applies to an employment in a period: scheme, group, exceptions, stop, net amount, versions."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from inleg.platform.domain.contributions import (
    EmployeeException,
    Excluded,
    FixedAmount,
    History,
    NetContribution,
    PercentOfSalary,
    SchemeChange,
    SchemeStop,
    amounts_for,
)
from inleg.platform.domain.contributions.errors import ContributionError, InvalidSalary, InvalidScheme
from inleg.platform.domain.contributions.schemes import Gross
from inleg.platform.domain.money import Cents
from tests.platform.domain.helpers import T0, key

E1, E2 = "emp-1", "emp-2"
STAMP: dict[str, Any] = {"from_period": key(2025, 1), "author": "w", "made_at": T0}


def when(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def scheme(
    period: int, rule: FixedAmount | PercentOfSalary, minute: int = 0, group: set[str] | None = None
) -> SchemeChange:
    return SchemeChange(
        from_period=key(2025, period),
        author="werkgever@example",
        made_at=when(minute),
        rule=rule,
        group=frozenset(group) if group is not None else None,
    )


def euros(text: str) -> FixedAmount:
    return FixedAmount(Cents.parse(text))


def test_nothing_set_is_nothing() -> None:
    result = amounts_for(E1, key(2025, 3), History(), Cents(300000))
    assert (result.gross, result.net, result.why) == (Cents(0), Cents(0), Gross.NO_SCHEME)


def test_a_fixed_amount_from_a_period_on() -> None:
    history = History((scheme(3, euros("50.00")),))
    assert amounts_for(E1, key(2025, 2), history, None).gross == Cents(0)
    assert amounts_for(E1, key(2025, 3), history, None).gross == Cents(5000)
    assert amounts_for(E1, key(2025, 12), history, None).gross == Cents(5000)
    assert amounts_for(E1, key(2025, 3), history, None).why is Gross.SCHEME_AMOUNT


def test_a_percentage_of_the_periods_salary() -> None:
    history = History((scheme(1, PercentOfSalary(Decimal(3))),))
    # 3000.00 x 3 % = 90.00
    assert amounts_for(E1, key(2025, 1), history, Cents(300000)).gross == Cents(9000)
    # 2345.67 x 3 % = 70.3701 -> 70.37
    assert amounts_for(E1, key(2025, 1), history, Cents(234567)).gross == Cents(7037)


def test_a_percentage_without_a_salary_says_salary_unknown_not_zero() -> None:
    history = History((scheme(1, PercentOfSalary(Decimal(3))), NetContribution(
        employment_id=E1, from_period=key(2025, 1), author="w", made_at=when(1), amount=Cents(2500))))  # fmt: skip
    result = amounts_for(E1, key(2025, 1), history, None)
    assert result.gross is None
    assert result.state == "salaris onbekend"
    assert result.net == Cents(2500)  # the net amount does not need a salary


def test_the_amounts_unpack_as_gross_and_net() -> None:
    history = History((scheme(1, euros("50")),))
    gross, net = amounts_for(E1, key(2025, 1), history, None)
    assert (gross, net) == (Cents(5000), Cents(0))


def test_a_fixed_amount_needs_no_salary() -> None:
    result = amounts_for(E1, key(2025, 1), History((scheme(1, euros("50")),)), None)
    assert result.gross == Cents(5000)
    assert result.state is None


def test_a_group_scheme_leaves_out_the_others() -> None:
    history = History((scheme(1, euros("50"), group={E1}),))
    assert amounts_for(E1, key(2025, 1), history, None).gross == Cents(5000)
    other = amounts_for(E2, key(2025, 1), history, None)
    assert (other.gross, other.why) == (Cents(0), Gross.NOT_IN_GROUP)


def test_exceptions_own_amount_own_percentage_excluded_and_lifted() -> None:
    def exception(
        who: str, period: int, rule: FixedAmount | PercentOfSalary | Excluded | None, minute: int
    ) -> EmployeeException:
        return EmployeeException(
            employment_id=who, from_period=key(2025, period), author="w", made_at=when(minute), rule=rule
        )

    history = History(
        (
            scheme(1, euros("50"), group={E1}),
            exception(E2, 2, euros("75.25"), 1),  # outside the group, but an exception applies anyway
            exception(E1, 3, Excluded(), 2),
            exception(E1, 5, None, 3),  # lifted: the scheme again
            exception(E2, 6, PercentOfSalary(Decimal(5)), 4),
        )
    )
    assert amounts_for(E2, key(2025, 1), history, None).gross == Cents(0)
    assert amounts_for(E2, key(2025, 2), history, None).gross == Cents(7525)
    assert amounts_for(E2, key(2025, 2), history, None).why is Gross.OWN_AMOUNT
    assert amounts_for(E1, key(2025, 3), history, None).why is Gross.EXCLUDED
    assert amounts_for(E1, key(2025, 4), history, None).gross == Cents(0)
    assert amounts_for(E1, key(2025, 5), history, None).gross == Cents(5000)
    # 2345.67 x 5 % = 117.2835 -> 117.28
    own = amounts_for(E2, key(2025, 6), history, Cents(234567))
    assert (own.gross, own.why) == (Cents(11728), Gross.OWN_PERCENT)


def test_a_stop_ends_everything_and_a_new_scheme_starts_it_again() -> None:
    history = History(
        (
            scheme(1, euros("50")),
            NetContribution(
                employment_id=E1, from_period=key(2025, 1), author="e", made_at=when(1), amount=Cents(2500)
            ),
            EmployeeException(
                employment_id=E2, from_period=key(2025, 1), author="w", made_at=when(2), rule=euros("80")
            ),
            SchemeStop(from_period=key(2025, 6), author="w", made_at=when(3)),
            scheme(9, euros("40"), minute=4),
        )
    )
    assert amounts_for(E1, key(2025, 5), history, None).net == Cents(2500)
    for who in (E1, E2):
        stopped = amounts_for(who, key(2025, 6), history, None)
        assert (stopped.gross, stopped.net, stopped.why) == (Cents(0), Cents(0), Gross.STOPPED)
    again = amounts_for(E1, key(2025, 9), history, None)
    assert (again.gross, again.net) == (Cents(4000), Cents(2500))
    assert amounts_for(E2, key(2025, 9), history, None).gross == Cents(8000)


def test_the_employees_net_amount_per_employment() -> None:
    history = History(
        (
            NetContribution(
                employment_id=E1, from_period=key(2025, 2), author="e", made_at=when(0), amount=Cents(2500)
            ),
            NetContribution(employment_id=E1, from_period=key(2025, 5), author="e", made_at=when(1), amount=Cents(0)),
        )
    )
    assert amounts_for(E1, key(2025, 1), history, None).net == Cents(0)
    assert amounts_for(E1, key(2025, 4), history, None).net == Cents(2500)
    assert amounts_for(E1, key(2025, 5), history, None).net == Cents(0)
    assert amounts_for(E2, key(2025, 4), history, None).net == Cents(0)


def test_which_version_applies() -> None:
    v1 = scheme(3, euros("50"), minute=0)
    v2 = scheme(6, euros("60"), minute=1)
    v3 = scheme(4, euros("70"), minute=2)  # later, from an earlier period: does not cancel the change of period 6
    history = History((v1, v2, v3))
    assert [amounts_for(E1, key(2025, p), history, None).gross for p in (3, 4, 5, 6)] == [
        Cents(5000), Cents(7000), Cents(7000), Cents(6000)
    ]  # fmt: skip
    cancel = scheme(6, euros("70"), minute=3)  # from the same period, made later: wins
    assert amounts_for(E1, key(2025, 6), history.with_version(cancel), None).gross == Cents(7000)
    same_moment = scheme(6, euros("80"), minute=3)  # same period, same moment: the one recorded last wins
    assert amounts_for(E1, key(2025, 6), History((v1, v2, cancel, same_moment)), None).gross == Cents(8000)
    assert history.versions == (v1, v2, v3)  # with_version made a new history


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: FixedAmount(Cents(-1)), "amount"),
        (lambda: FixedAmount(Cents(100_000_000_01)), "amount"),
        (lambda: FixedAmount(5000), "amount"),
        (lambda: PercentOfSalary(Decimal("100.0001")), "percent"),
        (lambda: PercentOfSalary(Decimal("-1")), "percent"),
        (lambda: PercentOfSalary(Decimal("3.12345")), "percent"),
        (lambda: PercentOfSalary(3.5), "percent"),
        (lambda: SchemeStop(from_period=key(2025, 1), author=" ", made_at=T0), "author"),
        (lambda: SchemeStop(from_period=key(2025, 1), author="w", made_at=datetime(2025, 1, 1)), "made_at"),  # noqa: DTZ001
        (lambda: SchemeStop(from_period=(2025, 1), author="w", made_at=T0), "from_period"),
        (lambda: SchemeChange(**STAMP, rule=euros("1"), group=frozenset()), "group"),
        (lambda: SchemeChange(**STAMP, rule=Excluded()), "rule"),
        (lambda: NetContribution(**STAMP, employment_id="", amount=Cents(1)), "employment_id"),
        (lambda: NetContribution(**STAMP, employment_id=E1, amount=Cents(-1)), "amount"),
    ],
)  # fmt: skip
def test_bad_versions_are_refused_naming_the_field(make: object, field: str) -> None:
    with pytest.raises(InvalidScheme) as error:
        make()  # type: ignore[operator]
    assert error.value.field == field
    assert isinstance(error.value, ContributionError)


def test_a_negative_salary_is_refused() -> None:
    with pytest.raises(InvalidSalary) as error:
        amounts_for(E1, key(2025, 1), History(), Cents(-1))
    assert error.value.field == "salary"
