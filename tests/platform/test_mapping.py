"""Loket's employees and employments as the platform's records; rounding half away from zero (hand-checked values)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inleg.loket import Employee as LoketEmployee
from inleg.loket import Employment as LoketEmployment
from inleg.platform.domain.mapping import FACTOR_PLACES, INTEGER_DIGITS, TEXT_LIMITS, employee_record, employment_record
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


def test_an_employments_salary_is_rounded_to_cents_half_away_from_zero() -> None:
    assert employment_record(job(salary=Decimal("1234.565")))["salary"] == Decimal("1234.57")
    assert employment_record(job(salary=Decimal("-0.125")))["salary"] == Decimal("-0.13")
    assert employment_record(job(salary=Decimal("3000")))["salary"] == Decimal("3000.00")


def test_the_part_time_factor_is_rounded_to_four_decimals_half_away_from_zero() -> None:
    assert employment_record(job(part_time_factor=Decimal("0.12345")))["part_time_factor"] == Decimal("0.1235")
    assert employment_record(job(part_time_factor=Decimal("0.99995")))["part_time_factor"] == Decimal("1.0000")


def test_absent_numbers_are_left_out_so_they_never_overwrite_stored_ones() -> None:
    record = employment_record(job())
    assert "salary" not in record
    assert "part_time_factor" not in record
    assert record["payroll_administration_id"] == "a1"


def test_a_number_the_platform_cannot_hold_is_refused_naming_field_and_value() -> None:
    with pytest.raises(ValueError, match=r"salary: 10000000000\.00 is larger than the platform holds"):
        employment_record(job(salary=Decimal("10000000000.00")))
    assert employment_record(job(salary=Decimal("9999999999.994")))["salary"] == Decimal("9999999999.99")
    with pytest.raises(ValueError, match="salary: not a usable number: NaN"):
        employment_record(job(salary=Decimal("NaN")))
    with pytest.raises(ValueError, match="part_time_factor: 1000 is larger"):
        employment_record(job(part_time_factor=Decimal("1000")))


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
