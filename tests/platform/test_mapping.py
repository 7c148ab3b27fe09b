"""Loket's employees and employments as the platform's records; rounding half away from zero (hand-checked values)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inleg.loket import Employee as LoketEmployee
from inleg.loket import Employment as LoketEmployment
from inleg.loket import Wage, WorkingHours
from inleg.platform.domain.mapping import (
    FACTOR_PLACES,
    INTEGER_DIGITS,
    TEXT_LIMITS,
    actual_salary,
    employee_record,
    employment_record,
    pay_record,
)
from inleg.platform.domain.rounding import half_away_from_zero, round_cents
from inleg.platform.employees.models import Employee, Employment


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("0.125", "0.13"),  # half even would give 0.12
        ("-0.125", "-0.13"),  # away from zero below zero too
        ("0.135", "0.14"),
        ("0.145", "0.15"),  # half even would give 0.14
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("332.975", "332.98"),  # funds.md's example
        ("1.004", "1.00"),
        ("-1.006", "-1.01"),
        ("7", "7.00"),
    ],
)
def test_cents_round_half_away_from_zero(amount: str, cents: str) -> None:
    rounded = round_cents(Decimal(amount))
    assert rounded == Decimal(cents)
    assert str(rounded) == cents  # two decimals, always


def test_rounding_refuses_what_is_not_a_finite_decimal() -> None:
    with pytest.raises(TypeError, match="expected a Decimal"):
        round_cents(0.125)  # type: ignore[arg-type]
    for bad in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(ValueError, match="not a number"):
            round_cents(Decimal(bad))
    with pytest.raises(ValueError, match="too large"):
        round_cents(Decimal("1e40"))
    assert half_away_from_zero(Decimal("0.00005"), 4) == Decimal("0.0001")


def job(**values: object) -> LoketEmployment:
    base: dict[str, object] = {
        "id": "j1",
        "employee_id": "e1",
        "employee_number": 7,
        "start_date": date(2024, 1, 1),
        "end_date": None,
        "payroll_administration_id": "a1",
        "payroll_id": 1,
    }
    return LoketEmployment(**{**base, **values})  # type: ignore[arg-type]


def wage(gross: str | None, *, full_time: bool = True, kind: int = 1) -> Wage:
    return Wage("j1", "w1", date(2024, 1, 1), None, None if gross is None else Decimal(gross), kind, full_time, "", 1)


def hours(per_week: str | None, full_time: str = "40") -> WorkingHours:
    hours_per_week = None if per_week is None else Decimal(per_week)
    return WorkingHours("j1", "h1", date(2024, 1, 1), None, 1, Decimal(full_time), None, hours_per_week)


def pay(w: Wage | None, h: WorkingHours | None, *, complete: bool = True, ended: bool = False) -> dict[str, object]:
    return pay_record(w, h, complete=complete, ended=ended)[0]


def test_the_employment_record_holds_no_pay_the_pay_lists_bring_it() -> None:
    record = employment_record(job(salary=Decimal("3000"), part_time_factor=Decimal("0.5")))
    assert set(record) == {"start_date", "end_date", "payroll_administration_id"}


@pytest.mark.parametrize(
    ("gross", "per_week", "full_time_hours", "salary", "factor"),
    [
        ("4390.50", "32", "40", "3512.40", "0.8000"),  # 4,390.50 x 0.8 = 3,512.40 exactly
        ("3125.13", "15.79", "40", "1233.80", "0.3948"),  # 15.79/40 = 0.39475 -> 0.3948; x 3,125.13 = 1,233.801324
        ("3125.13", "15", "38", "1233.49", "0.3947"),  # 15/38 = 0.394736..; 3,125.13 x 0.3947 = 1,233.488811 -> .49
        ("2500.00", "44.33", "38", "2916.50", "1.1666"),  # 44.33/38 = 1.16657.. -> 1.1666; x 2,500 = 2,916.50
        ("1000.00", "20", "40", "500.00", "0.5000"),
        ("0.01", "20", "40", "0.01", "0.5000"),  # 0.005 -> 0.01: half away from zero (half even gives 0.00)
    ],
)
def test_a_full_time_wage_times_the_part_time_factor_is_the_salary(
    gross: str, per_week: str, full_time_hours: str, salary: str, factor: str
) -> None:
    record = pay(wage(gross), hours(per_week, full_time_hours))
    assert record["part_time_factor"] == Decimal(factor)
    assert record["salary"] == Decimal(salary)
    assert str(record["salary"]) == salary  # whole cents, two decimals


def test_a_part_time_wage_is_the_salary_as_it_is() -> None:
    assert pay(wage("2100.005", full_time=False), hours("24"))["salary"] == Decimal("2100.01")
    assert pay(wage("2100.00", full_time=False), None)["salary"] == Decimal("2100.00")  # needs no hours


def test_none_only_where_loket_has_none_and_absent_rows_keep_what_is_stored() -> None:
    assert pay(None, None) == {"salary": None, "part_time_factor": None}  # complete lists: Loket has none
    assert pay(None, hours("40")) == {"salary": None, "part_time_factor": Decimal("1.0000")}
    assert pay(None, None, complete=False) == {}  # an unreadable row may be this one's: keep
    assert pay(wage("3000.00"), None, complete=False) == {}  # its hours may be unreadable: keep the salary
    assert pay(None, None, ended=True) == {}  # ended before the day: its chains closed, keep the last value read
    assert pay(wage("3000.00"), hours("20"), ended=True)["salary"] == Decimal("1500.00")  # given: taken


def test_a_salary_that_cannot_be_known_is_none_with_a_reason() -> None:
    record, note = pay_record(wage("3000.00"), None, complete=True, ended=False)
    assert record == {"salary": None, "part_time_factor": None}
    assert "zonder arbeidsuren" in note
    record, note = pay_record(wage("25.00", kind=2), hours("40"), complete=True, ended=False)
    assert record["salary"] is None
    assert "uurloon" in note
    assert actual_salary(Decimal("3000.00"), True, None) is None


def test_a_number_the_platform_cannot_hold_is_refused_naming_field_and_value() -> None:
    with pytest.raises(ValueError, match=r"salary: 10000000000\.00 is larger than the platform holds"):
        actual_salary(Decimal("10000000000.00"), False, None)
    assert actual_salary(Decimal("9999999999.994"), False, None) == Decimal("9999999999.99")
    with pytest.raises(ValueError, match="salary: not a usable number: NaN"):
        actual_salary(Decimal("NaN"), False, None)
    with pytest.raises(ValueError, match=r"part_time_factor: 1000\.0000 is larger"):
        pay(wage("1.00"), hours("40000", "40"))


def test_text_is_cut_to_the_columns_and_a_missing_number_is_zero() -> None:
    person = LoketEmployee("e1", None, "A" * 100, "B.", "van", "C" * 130, None, "")
    record = employee_record(person)
    assert record["employee_number"] == 0
    assert record["first_name"] == "A" * 80
    assert record["last_name"] == "C" * 120


def test_the_mappings_limits_are_the_columns() -> None:
    for name, length in TEXT_LIMITS.items():
        assert Employee._meta.get_field(name).max_length == length, name
    for name, digits in INTEGER_DIGITS.items():
        column = Employment._meta.get_field(name)
        assert column.max_digits - column.decimal_places == digits, name  # type: ignore[attr-defined]
    assert Employment._meta.get_field("part_time_factor").decimal_places == FACTOR_PLACES  # type: ignore[attr-defined]
    assert Employment._meta.get_field("salary").decimal_places == 2  # type: ignore[attr-defined]
