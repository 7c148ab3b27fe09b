"""What the platform reads from Loket.nl, as typed values parsed leniently.

Loket adds fields without notice (non-breaking changes may appear at any time), so parsers read what
they need and ignore the rest. A field that is present but wrong raises ``ValueError`` with its name;
list readers turn that into a skipped item instead of failing the whole list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


def _field(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _present(data: Mapping[str, Any], dotted: str, required: bool) -> Any:
    """The field's value, None when absent; a required field that is absent is a ``ValueError``."""
    value = _field(data, dotted)
    if value is None and required:
        raise ValueError(f"{dotted}: missing")
    return value


def _text(data: Mapping[str, Any], dotted: str, *, required: bool = False) -> str | None:
    value = _present(data, dotted, required)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{dotted}: expected text, got {value!r}")
    return value


def _required_text(data: Mapping[str, Any], dotted: str) -> str:
    value = _text(data, dotted, required=True)
    assert value is not None
    return value


def _int(data: Mapping[str, Any], dotted: str, *, required: bool = False) -> int | None:
    value = _present(data, dotted, required)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{dotted}: expected a whole number, got {value!r}")
    return value


def _required_int(data: Mapping[str, Any], dotted: str) -> int:
    value = _int(data, dotted, required=True)
    assert value is not None
    return value


def _date(data: Mapping[str, Any], dotted: str, *, required: bool = False) -> date | None:
    value = _present(data, dotted, required)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{dotted}: expected a date, got {value!r}")
    try:
        # The description's examples are timestamps; the live API sends YYYY-MM-DD. Accept both.
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{dotted}: not a date: {value!r}") from None


def _decimal(data: Mapping[str, Any], dotted: str) -> Decimal | None:
    value = _field(data, dotted)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ValueError(f"{dotted}: expected a number, got {value!r}")
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"{dotted}: not a number: {value!r}") from None


@dataclass(frozen=True, slots=True)
class Employer:
    id: str
    employer_number: int | None
    company_name: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Employer:
        return cls(_required_text(data, "id"), _int(data, "employerNumber"), _text(data, "companyName") or "")


@dataclass(frozen=True, slots=True)
class Employee:
    id: str
    employee_number: int | None
    first_name: str
    initials: str
    prefix: str
    last_name: str
    date_of_birth: date | None
    email: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Employee:
        return cls(
            id=_required_text(data, "id"),
            employee_number=_int(data, "employeeNumber"),
            first_name=_text(data, "personalDetails.firstName") or "",
            initials=_text(data, "personalDetails.initials") or "",
            prefix=_text(data, "personalDetails.prefix") or "",
            last_name=_text(data, "personalDetails.lastName") or "",
            date_of_birth=_date(data, "personalDetails.dateOfBirth"),
            email=_text(data, "contactInformation.emailAddress") or "",
        )


@dataclass(frozen=True, slots=True)
class Employment:
    id: str
    employee_id: str | None
    employee_number: int | None
    start_date: date
    end_date: date | None
    payroll_administration_id: str | None
    payroll_id: int | None
    part_time_factor: Decimal | None = None
    salary: Decimal | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Employment:
        start = _date(data, "startDate", required=True)
        assert start is not None
        return cls(
            id=_required_text(data, "id"),
            employee_id=_text(data, "employee.id"),
            employee_number=_int(data, "employee.employeeNumber"),
            start_date=start,
            end_date=_date(data, "endDate"),
            payroll_administration_id=_text(data, "payrollAdministration.id"),
            payroll_id=_int(data, "payrollId"),
            # Not in the 2019-12-16 shape; read when a newer version or the sandbox sends them.
            part_time_factor=_decimal(data, "partTimeFactor"),
            salary=_decimal(data, "salary"),
        )


@dataclass(frozen=True, slots=True)
class PayrollAdministration:
    id: str
    name: str
    client_number: int | None
    period_type: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> PayrollAdministration:
        return cls(
            _required_text(data, "id"),
            _text(data, "name") or "",
            _int(data, "clientNumber"),
            _text(data, "payrollPeriodType.value") or "",
        )


@dataclass(frozen=True, slots=True)
class PayrollComponent:
    key: int
    description: str
    category: str
    deduction_or_payment: str
    deduction_or_payment_key: int | None
    # The category's number (7 Bruto vergoeding volgens tabel, 13 Netto inhouding, ...): its text may change.
    category_key: int | None = None

    @property
    def can_hold_fixed_value(self) -> bool:
        """Whether a fixed amount can be set on it: a payment or a deduction, not hours or a total."""
        return self.deduction_or_payment_key is not None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> PayrollComponent:
        return cls(
            key=_required_int(data, "key"),
            description=_text(data, "description") or "",
            category=_text(data, "category.value") or "",
            deduction_or_payment=_text(data, "deductionOrPayment.value") or "",
            deduction_or_payment_key=_int(data, "deductionOrPayment.key"),
            category_key=_int(data, "category.key"),
        )


@dataclass(frozen=True, slots=True)
class BenefitAndDeduction:
    """A fixed value on an employment (vaste gegevens), from a date: a broken chain per component."""

    id: str
    component_key: int
    start_date: date
    end_date: date | None
    value: Decimal

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> BenefitAndDeduction:
        start = _date(data, "startDate", required=True)
        value = _decimal(data, "value")
        if start is None or value is None:
            raise ValueError("startDate and value are required")
        return cls(
            _required_text(data, "id"),
            _required_int(data, "payrollComponent.key"),
            start,
            _date(data, "endDate"),
            value,
        )


@dataclass(frozen=True, slots=True)
class VersionNumber:
    """A last-modified version number: it grows whenever Loket changes an employment's fixed data."""

    id: str
    version: int

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> VersionNumber:
        return cls(_required_text(data, "id"), _required_int(data, "lastModifiedVersionNumber"))


@dataclass(frozen=True, slots=True)
class SkippedItem:
    """A list item that could not be read: reported, not raised, so the rest still comes in."""

    path: str
    index: int
    reason: str
    item_id: str | None = None
