"""Loket.nl's employees and employments as the platform's records: the fields it keeps, in the form it keeps them.

An employment's salary and part-time factor come not from the employment (Loket keeps neither on it) but from
its wage and working hours valid on the sync's reference date (``pay_record``).

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


class LoketWage(Protocol):
    @property
    def gross_wage(self) -> Decimal | None: ...
    @property
    def is_periodic(self) -> bool: ...
    @property
    def is_gross_wage_full_time(self) -> bool: ...


class LoketWorkingHours(Protocol):
    @property
    def part_time_factor(self) -> Decimal | None: ...


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
    return {
        "start_date": m.start_date,
        "end_date": m.end_date,
        "payroll_administration_id": m.payroll_administration_id or "",
    }


def actual_salary(gross_wage: Decimal, full_time: bool, part_time_factor: Decimal | None) -> Decimal | None:
    """The gross salary per payroll period the employment earns: what a percentage scheme is a percentage of.

    Loket's wage is usually a full-time wage (``isGrossWageFullTime``, its recommended default): what the
    employee would earn working the shift's full-time hours. The payroll pays that wage times the part-time
    factor (component 10, salaris), so the platform's ``salary`` is the same product: the actual wage, not the
    full-time one, since a contribution of 3 % of salary means 3 % of what the employee earns. The product is
    rounded once, half away from zero, to the cent (4,390.50 x 0.8000 = 3,512.40; 3,125.13 x 0.3947 =
    1,233.488811 -> 1,233.49). A part-time wage is the actual wage already and is taken as it is. A full-time
    wage without a part-time factor (no working hours on the day) gives None: the actual wage is unknown.
    """
    if not full_time:
        return _number("salary", gross_wage, round_cents)
    if part_time_factor is None:
        return None
    return _number("salary", gross_wage * part_time_factor, round_cents)


def pay_record(
    wage: LoketWage | None, hours: LoketWorkingHours | None, *, complete: bool, ended: bool
) -> tuple[dict[str, Decimal | None], str]:
    """Salary and part-time factor of one employment from its wage and working hours valid on the reference date.

    Returns the fields to write and a note for the run's log ("" when there is nothing to say). A field left
    out keeps what is stored:
    - ``wage``/``hours`` None: Loket's employer-wide list had no record valid on the day for this employment.
      With ``complete`` lists (every row read) that means Loket has none: the field becomes None (shown as
      "—"). With rows that could not be read, it may be one of those: the stored value stays.
    - ``ended``: the employment ended before the reference date, so its chains closed and the lists (valid on
      the day) no longer carry it: the value read while it ran stays (a first import shows "—").
    - A wage that is not periodic (hourly) has no salary per period: None, with a note.

    Raises ValueError (naming the field and the value) for a number the platform cannot hold.
    """
    record: dict[str, Decimal | None] = {}
    note = ""
    absent_is_none = complete and not ended
    factor: Decimal | None = None
    if hours is not None:
        if hours.part_time_factor is not None:
            factor = _number("part_time_factor", hours.part_time_factor, _factor)
        record["part_time_factor"] = factor
    elif absent_is_none:
        record["part_time_factor"] = None
    if wage is not None:
        if not wage.is_periodic or wage.gross_wage is None:
            record["salary"] = None
            note = "het loon in Loket.nl is geen periodeloon (bijvoorbeeld een uurloon): geen salaris per periode"
        elif wage.is_gross_wage_full_time and factor is None and hours is None and not complete:
            pass  # the hours may be among the unreadable rows: keep the stored salary
        else:
            record["salary"] = actual_salary(wage.gross_wage, wage.is_gross_wage_full_time, factor)
            if record["salary"] is None:
                note = "voltijdloon zonder arbeidsuren in Loket.nl: het werkelijke salaris is onbekend"
    elif absent_is_none:
        record["salary"] = None
    return record, note


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
