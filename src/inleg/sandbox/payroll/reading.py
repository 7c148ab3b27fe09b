"""What a payroll run reads: the period's employments and their dated records, in one query per kind.

A payroll bureau's month holds some 100,000 employments with a dozen records each. Model instances for all
of them cost more than the rest of the run (a run made them by the hundred thousand), so the run reads
plain records: the columns it uses, grouped by employment. Each query selects by the administration, not by
a list of employment keys: one administration's keys could pass SQLite's limit on parameters (32,766 in its
default build; the Python here allows 250,000).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from inleg.sandbox.core.chains import overlapping
from inleg.sandbox.core.models import (
    BenefitDeduction,
    Employment,
    EmploymentFund,
    PayrollAdministration,
    PeriodInput,
    Wage,
    WorkingHours,
    part_time_factor,
)


@dataclass(frozen=True, slots=True)
class RunEmployment:
    pk: Any
    employee_number: int
    date_of_birth: date
    start_date: date
    end_date: date | None
    # Not in the run, only in the last stored case of the year (an end date moved back before the period):
    # the run books the herrekening of its periods already run, nothing of its own.
    corrections_only: bool = False


@dataclass(frozen=True, slots=True)
class BenefitRecord:
    component_id: int
    start_date: date
    end_date: date | None
    value: Decimal


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """An employment-fund record (a dated link of the case)."""

    fund_id: int
    start_date: date
    end_date: date | None
    deviation_premium: Decimal | None
    deviation_total: Decimal | None
    fixed_premium: Decimal | None
    fixed_total: Decimal | None


@dataclass(frozen=True, slots=True)
class WageRecord:
    start_date: date
    end_date: date | None
    gross_wage: Decimal
    is_full_time: bool


@dataclass(frozen=True, slots=True)
class HoursRecord:
    """Working hours with the factor and full-time hours of their shift, worked out once per record."""

    start_date: date
    end_date: date | None
    part_time_factor: Decimal
    full_time_hours: Decimal


@dataclass(frozen=True, slots=True)
class InputRecord:
    hours: Decimal
    overtime_hours: Decimal
    unpaid_days: int
    components: dict[str, Any]


def _grouped[R](rows: Any, make: Any) -> dict[Any, list[R]]:
    grouped: dict[Any, list[R]] = {}
    for employment_id, *values in rows:
        grouped.setdefault(employment_id, []).append(make(*values))
    return grouped


@dataclass
class RunData:
    employments: list[RunEmployment]
    benefits: dict[Any, list[BenefitRecord]]
    links: dict[Any, list[LinkRecord]]
    wages: dict[Any, list[WageRecord]]
    hours: dict[Any, list[HoursRecord]]
    inputs: dict[tuple[Any, int], InputRecord]


def read_run(
    admin: PayrollAdministration,
    year: int,
    year_start: date,
    start: date,
    end: date,
    number: int,
    also: Collection[str] = (),
) -> RunData:
    """The employments of the administration that run in [start, end], ordered by employee number and start,
    with their records of the year up to ``end`` (in the models' own order) and period data up to ``number``.

    ``also`` names employments (by ``str(pk)``) to take as well when they do not run in the period: the
    herrekening's leavers, marked ``corrections_only``. Only those not running are selected by key (few).

    Records of employments outside the period may come along (they ended in the year before it); the run
    looks records up by its own employments only.
    """
    fields = ("pk", "employee__employee_number", "employee__date_of_birth", "start_date", "end_date")
    order = ("employee__employee_number", "start_date")
    mine_only = Employment.objects.filter(administration=admin)
    employments = [RunEmployment(*row) for row in mine_only.filter(overlapping(start, end)).order_by(*order)
                   .values_list(*fields)]  # fmt: skip
    left = set(also).difference(str(e.pk) for e in employments) if also else set()
    if left:
        # Still in the administration (an employment deleted since has nothing to book on).
        # By key, in slices well under SQLite's limit on parameters (see above).
        keys = sorted(left)
        extra = [
            RunEmployment(pk, number_, birth, first, last, True)
            for at in range(0, len(keys), 10_000)
            for pk, number_, birth, first, last in mine_only.filter(pk__in=keys[at : at + 10_000]).values_list(*fields)
        ]
        employments = sorted(employments + extra, key=lambda e: (e.employee_number, e.start_date))
    mine = Q(employment__administration=admin)
    year_so_far = overlapping(year_start, end)
    benefits: dict[Any, list[BenefitRecord]] = _grouped(
        BenefitDeduction.objects.filter(mine, year_so_far).values_list(
            "employment_id", "component_id", "start_date", "end_date", "value"
        ),
        BenefitRecord,
    )
    links: dict[Any, list[LinkRecord]] = _grouped(
        EmploymentFund.objects.filter(mine, year_so_far).values_list(
            "employment_id",
            "fund_id",
            "start_date",
            "end_date",
            "deviation_premium",
            "deviation_total",
            "fixed_premium",
            "fixed_total",
        ),
        LinkRecord,
    )
    wages: dict[Any, list[WageRecord]] = _grouped(
        Wage.objects.filter(mine, year_so_far).values_list(
            "employment_id", "start_date", "end_date", "gross_wage", "is_full_time"
        ),
        WageRecord,
    )

    def hours_record(start: date, end: date | None, deviating: Decimal | None, full: Decimal) -> HoursRecord:
        # WorkingHours.part_time_factor, without a model instance: the same function on the same two numbers
        return HoursRecord(start, end, part_time_factor(deviating or full, full), full)

    hours: dict[Any, list[HoursRecord]] = _grouped(
        WorkingHours.objects.filter(mine, year_so_far).values_list(
            "employment_id", "start_date", "end_date", "deviating_hours_per_week", "shift__full_time_hours_per_week"
        ),
        hours_record,
    )
    inputs = {
        (employment_id, period_number): InputRecord(hours, overtime, unpaid, components)
        for employment_id, period_number, hours, overtime, unpaid, components in PeriodInput.objects.filter(
            mine, year=year, period_number__lte=number
        ).values_list("employment_id", "period_number", "hours", "overtime_hours", "unpaid_days", "components")
    }
    return RunData(employments, benefits, links, wages, hours, inputs)
