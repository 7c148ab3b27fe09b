"""What the platform reads from Loket.nl, as typed values parsed leniently.

Loket adds fields without notice (non-breaking changes may appear at any time), so parsers read what
they need and ignore the rest. A field that is present but wrong raises ``ValueError`` with its name;
list readers turn that into a skipped item instead of failing the whole list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
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


def _required_date(data: Mapping[str, Any], dotted: str) -> date:
    value = _date(data, dotted, required=True)
    assert value is not None
    return value


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
    """A fixed value on an employment (vaste gegevens), from a date: a broken chain per component.

    ``etag`` is the version Loket sent with a single record (detail GET, POST, PUT), for ``If-Match``; it is
    None from a list and does not take part in equality.
    """

    id: str
    component_key: int
    start_date: date
    end_date: date | None
    value: Decimal
    component_description: str = ""
    employment_id: str | None = None
    etag: str | None = field(default=None, compare=False)

    @classmethod
    def parse(
        cls, data: Mapping[str, Any], *, employment_id: str | None = None, etag: str | None = None
    ) -> BenefitAndDeduction:
        start = _date(data, "startDate", required=True)
        value = _decimal(data, "value")
        if start is None:
            raise ValueError("startDate: missing")
        if value is None:
            raise ValueError("value: missing")
        return cls(
            id=_required_text(data, "id"),
            component_key=_required_int(data, "payrollComponent.key"),
            start_date=start,
            end_date=_date(data, "endDate"),
            value=value,
            component_description=_text(data, "payrollComponent.description") or "",
            employment_id=employment_id,
            etag=etag,
        )

    @classmethod
    def parse_actual(cls, data: Mapping[str, Any]) -> BenefitAndDeduction:
        """An item of the employer-wide list: ``{employmentId, benefitsAndDeductions: {...}}``."""
        return cls.parse(_object(data, "benefitsAndDeductions"), employment_id=_required_text(data, "employmentId"))


@dataclass(frozen=True, slots=True)
class NewBenefit:
    """An item of a collective create: a fixed value from ``start_date`` (Loket's collective POST has no end)."""

    employment_id: str
    component_key: int
    start_date: date
    value: Decimal


@dataclass(frozen=True, slots=True)
class BenefitEnd:
    """An item of a collective end date: ``record_id`` ends on ``end_date``."""

    record_id: str
    employment_id: str
    end_date: date


@dataclass(frozen=True, slots=True)
class CollectiveAction:
    """Loket's answer to a collective operation: counts, a status, and the messages of the items that failed
    (each naming the item by ``id``: the employment of a create, the record of an end date). It names no record
    it made: whoever needs their ids reads them back."""

    id: str
    status: str  # Completed, NotStarted or InProgress
    total: int
    processed: int
    with_warning: int
    with_error: int
    messages: tuple[Any, ...] = ()  # errors.Message; Any keeps this module free of the client's errors

    @property
    def completed(self) -> bool:
        return self.status == "Completed"

    @classmethod
    def parse(cls, data: Mapping[str, Any], messages: tuple[Any, ...] = ()) -> CollectiveAction:
        return cls(
            id=_required_text(data, "collectiveActionId"),
            status=_required_text(data, "status"),
            total=_required_int(data, "itemCount.total"),
            processed=_required_int(data, "itemCount.processed"),
            with_warning=_required_int(data, "itemCount.processedWithWarning"),
            with_error=_required_int(data, "itemCount.processedWithError"),
            messages=messages,
        )


def _object(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    if not isinstance(value, Mapping):
        raise ValueError(f"{name}: missing")
    return value


def _bool(data: Mapping[str, Any], dotted: str, default: bool) -> bool:
    value = _field(data, dotted)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValueError(f"{dotted}: expected true or false, got {value!r}")
    return value


PART_TIME_PLACES = Decimal("0.0001")
PERIODIC_WAGE = 1  # grossWageType.key: "1 (meaning periodic wage)"; 2 is an hourly wage
HOURLY_WAGE = 2


@dataclass(frozen=True, slots=True)
class Wage:
    """An employment's wage from a date (Loket keeps a linked chain: no gaps, new records only at the end).

    ``gross_wage`` is per payroll period (``payroll_period_type``) when periodic, per hour when hourly. A
    full-time wage (``is_gross_wage_full_time``, Loket's recommended default) is scaled by the employment's
    part-time factor in the payroll; a part-time wage is not.
    """

    employment_id: str
    id: str
    start_date: date
    end_date: date | None
    gross_wage: Decimal | None
    gross_wage_type: int | None
    is_gross_wage_full_time: bool
    payroll_period_type: str
    payroll_period_type_key: int | None

    @property
    def is_periodic(self) -> bool:
        return self.gross_wage_type == PERIODIC_WAGE

    @classmethod
    def parse_actual(cls, data: Mapping[str, Any]) -> Wage:
        """An item of ``GetActualWagesByEmployerId``: ``{employmentId, wage: {...}}``."""
        wage = _object(data, "wage")
        start = _required_date(wage, "startDate")
        return cls(
            employment_id=_required_text(data, "employmentId"),
            id=_required_text(wage, "id"),
            start_date=start,
            end_date=_date(wage, "endDate"),
            gross_wage=_decimal(wage, "grossWage"),
            gross_wage_type=_int(wage, "grossWageType.key"),
            is_gross_wage_full_time=_bool(wage, "isGrossWageFullTime", True),
            payroll_period_type=_text(wage, "payrollPeriodType.value") or "",
            payroll_period_type_key=_int(wage, "payrollPeriodType.key"),
        )


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """An employment's hours per week from a date (a linked chain), on a shift with its full-time hours."""

    employment_id: str
    id: str
    start_date: date
    end_date: date | None
    shift_number: int | None
    full_time_hours_per_week: Decimal | None
    deviating_hours_per_week: Decimal | None
    aggregated_hours_per_week: Decimal | None

    @property
    def hours_per_week(self) -> Decimal | None:
        """Loket's aggregated hours (what the payroll uses); else the deviating hours, else the shift's."""
        if self.aggregated_hours_per_week is not None:
            return self.aggregated_hours_per_week
        return self.deviating_hours_per_week or self.full_time_hours_per_week

    @property
    def part_time_factor(self) -> Decimal | None:
        """Hours per week over the shift's full-time hours, to 4 decimals, half up (0.3947 = 39.47 %).

        None when either is unknown (an on-call employment has no aggregated hours).
        """
        hours, full = self.hours_per_week, self.full_time_hours_per_week
        if hours is None or not full:
            return None
        return (hours / full).quantize(PART_TIME_PLACES, rounding=ROUND_HALF_UP)

    @classmethod
    def parse_actual(cls, data: Mapping[str, Any]) -> WorkingHours:
        """An item of ``GetActualWorkingHoursByEmployerId``: ``{employmentId, workingHours: {...}}``."""
        hours = _object(data, "workingHours")
        start = _required_date(hours, "startDate")
        return cls(
            employment_id=_required_text(data, "employmentId"),
            id=_required_text(hours, "id"),
            start_date=start,
            end_date=_date(hours, "endDate"),
            shift_number=_int(hours, "shift.shiftNumber"),
            full_time_hours_per_week=_decimal(hours, "shift.fullTimeHoursPerWeek"),
            deviating_hours_per_week=_decimal(hours, "deviatingHoursPerWeek"),
            aggregated_hours_per_week=_decimal(hours, "aggregatedHoursPerWeek"),
        )


APPROVED_RUN = 9  # payrollRunStatus.key 9: Verloning goedgekeurd


@dataclass(frozen=True, slots=True)
class PayrollRunSummary:
    id: str
    sequence_number: int | None
    status_key: int | None
    status: str


@dataclass(frozen=True, slots=True)
class PayrollPeriod:
    """A payroll period of an administration; ``id`` is Loket's period id (year * 100 + period number)."""

    id: int
    year: int
    period_number: int
    start_date: date
    end_date: date
    runs: tuple[PayrollRunSummary, ...] = ()

    @property
    def approved(self) -> bool:
        """Whether a run of it is approved: only then has Loket results (and an excasso) for it."""
        return any(run.status_key == APPROVED_RUN for run in self.runs)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> PayrollPeriod:
        start, end = _required_date(data, "startDate"), _required_date(data, "endDate")
        runs = data.get("payrollRuns")
        if runs is not None and not isinstance(runs, list):
            raise ValueError(f"payrollRuns: expected a list, got {runs!r}")
        return cls(
            id=_required_int(data, "id"),
            year=_required_int(data, "year"),
            period_number=_required_int(data, "periodNumber"),
            start_date=start,
            end_date=end,
            runs=tuple(
                PayrollRunSummary(
                    id=_required_text(run, "id"),
                    sequence_number=_int(run, "sequenceNumber"),
                    status_key=_int(run, "payrollRunStatus.key"),
                    status=_text(run, "payrollRunStatus.value") or "",
                )
                for run in runs or ()
                if isinstance(run, Mapping)
            ),
        )


@dataclass(frozen=True, slots=True)
class ResultLine:
    """One line of a payslip: a component's amount in a column (gross, net, employer costs, totals, ...)."""

    component_key: int
    description: str
    category_key: int | None
    column_key: int | None
    column: str
    value: Decimal
    payslip_type_key: int | None

    @classmethod
    def parse(cls, data: Mapping[str, Any], payslip_type_key: int | None) -> ResultLine:
        value = _decimal(data, "value")
        if value is None:
            raise ValueError("value: missing")
        return cls(
            component_key=_required_int(data, "payrollComponent.key"),
            description=_text(data, "payrollComponent.value") or "",
            category_key=_int(data, "payrollComponent.category.key"),
            column_key=_int(data, "payrollComponent.column.key"),
            column=_text(data, "payrollComponent.column.value") or "",
            value=value,
            payslip_type_key=payslip_type_key,
        )


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """What the approved payroll of one period holds for one employment."""

    employment_id: str
    year: int
    period_number: int | None
    start_date: date
    end_date: date
    lines: tuple[ResultLine, ...]

    def amount(self, component_key: int, column_key: int | None = None) -> Decimal:
        """The sum of the component's lines (in one column when given); 0 when it has none."""
        return sum(
            (
                line.value
                for line in self.lines
                if line.component_key == component_key and (column_key is None or line.column_key == column_key)
            ),
            Decimal(0),
        )

    @classmethod
    def parse_all(cls, data: Mapping[str, Any]) -> list[PeriodResult]:
        """An item of the results list: one employment with its periods, each with its payslip types."""
        employment_id = _required_text(data, "employmentId")
        periods = data.get("payrollPeriods")
        if not isinstance(periods, list):
            raise ValueError("payrollPeriods: missing")
        results = []
        for period in periods:
            if not isinstance(period, Mapping):
                raise ValueError(f"payrollPeriods: not an object: {period!r}")
            start = _required_date(period, "payrollPeriod.periodStartDate")
            end = _required_date(period, "payrollPeriod.periodEndDate")
            lines: list[ResultLine] = []
            for payslip in period.get("payslipTypes") or ():
                if not isinstance(payslip, Mapping):
                    raise ValueError(f"payslipTypes: not an object: {payslip!r}")
                kind = _int(payslip, "payslipType.key")
                for line in payslip.get("payrollComponentResults") or ():
                    if not isinstance(line, Mapping):
                        raise ValueError(f"payrollComponentResults: not an object: {line!r}")
                    lines.append(ResultLine.parse(line, kind))
            results.append(
                cls(
                    employment_id=employment_id,
                    year=_required_int(period, "payrollPeriod.year"),
                    period_number=_int(period, "payrollPeriod.periodNumber"),
                    start_date=start,
                    end_date=end,
                    lines=tuple(lines),
                )
            )
        return results


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
