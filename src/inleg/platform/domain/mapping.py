"""Loket.nl's employees and employments as the platform's records: the fields it keeps, in the form it keeps them.

A record is what ``domain.sync.diff`` compares. The limits are those of the platform's columns (a test holds
them equal to the models): text is cut to fit, a number that does not fit is refused with a ValueError naming
the field and the value, so that one bad row is reported and skipped instead of failing the whole run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from inleg.platform.domain.rounding import half_away_from_zero, round_cents

# Column lengths of the employee's text fields.
TEXT_LIMITS: dict[str, int] = {"first_name": 80, "initials": 20, "prefix": 20, "last_name": 120, "email": 254}
# Decimal columns: the digits before the point, and the part-time factor's decimals (the salary is in cents).
INTEGER_DIGITS: dict[str, int] = {"part_time_factor": 3, "salary": 10}
FACTOR_PLACES = 4


class LoketEmployee(Protocol):
    @property
    def employee_number(self) -> int | None: ...
    @property
    def first_name(self) -> str: ...
    @property
    def initials(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def last_name(self) -> str: ...
    @property
    def date_of_birth(self) -> date | None: ...
    @property
    def email(self) -> str: ...


class LoketEmployment(Protocol):
    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date | None: ...
    @property
    def payroll_administration_id(self) -> str | None: ...
    @property
    def part_time_factor(self) -> Decimal | None: ...
    @property
    def salary(self) -> Decimal | None: ...


def employee_record(e: LoketEmployee) -> dict[str, Any]:
    return {
        "employee_number": e.employee_number or 0,
        "first_name": e.first_name[: TEXT_LIMITS["first_name"]],
        "initials": e.initials[: TEXT_LIMITS["initials"]],
        "prefix": e.prefix[: TEXT_LIMITS["prefix"]],
        "last_name": e.last_name[: TEXT_LIMITS["last_name"]],
        "date_of_birth": e.date_of_birth,
        "email": e.email[: TEXT_LIMITS["email"]],
    }


def employment_record(m: LoketEmployment) -> dict[str, Any]:
    """Raises ValueError (naming the field and the value) for a number the platform cannot hold."""
    record: dict[str, Any] = {
        "start_date": m.start_date,
        "end_date": m.end_date,
        "payroll_administration_id": m.payroll_administration_id or "",
    }
    # Only where the API gives them: an absent value never overwrites one we have.
    if m.part_time_factor is not None:
        record["part_time_factor"] = _number("part_time_factor", m.part_time_factor, _factor)
    if m.salary is not None:
        record["salary"] = _number("salary", m.salary, round_cents)
    return record


def _factor(value: Decimal) -> Decimal:
    return half_away_from_zero(value, FACTOR_PLACES)


def _number(name: str, value: Decimal, rounded: Callable[[Decimal], Decimal]) -> Decimal:
    try:
        result = rounded(value)
    except ValueError:
        raise ValueError(f"{name}: not a usable number: {value}") from None
    if abs(result) >= 10 ** INTEGER_DIGITS[name]:
        raise ValueError(f"{name}: {value} is larger than the platform holds")
    return result


def display_name(record: Mapping[str, Any]) -> str:
    """First name (else initials), prefix, last name: how a person is named in a run's log."""
    parts = (record.get("first_name") or record.get("initials"), record.get("prefix"), record.get("last_name"))
    return " ".join(p for p in parts if p)
