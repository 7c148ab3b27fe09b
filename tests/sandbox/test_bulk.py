"""bulk.Table writes the rows bulk_create writes: the same values, stored the same way (the seed's speed)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from inleg.sandbox.bulk import Table
from inleg.sandbox.core.models import Employee, Employment, PayrollAdministration, Shift, Wage, WorkingHours


def _stored(model: Any, pks: list[Any], skip: set[str]) -> list[tuple[Any, ...]]:
    """The rows as the database holds them (values and their types), without keys that differ by design."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if f.column not in skip]
    keys = [model._meta.pk.get_db_prep_value(pk, connection) for pk in pks]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {model._meta.pk.column} IN ({', '.join(['%s'] * len(keys))})",  # noqa: E501
            keys,
        )
        rows = cursor.fetchall()
    return sorted((tuple((value, type(value).__name__) for value in row) for row in rows), key=repr)


@pytest.mark.django_db
def test_table_rows_are_those_of_bulk_create(seeded: Any) -> None:
    admin = PayrollAdministration.objects.get(employer__employer_number=20001)
    shift = Shift.objects.get(administration=admin, number=1)
    person = dict(employer_id=admin.employer_id, first_name="Eva", initials="E.", prefix="van der", last_name="Linden",
                  date_of_birth=date(1984, 2, 29), gender=2, bsn="111222333", iban="NL91ABNA0417164300")  # fmt: skip
    # bulk_create, the oracle
    by_orm = Employee.objects.bulk_create([Employee(employee_number=901, **person)])[0]
    job_orm = Employment(employee=by_orm, administration=admin, payroll_id=901, start_date=date(2024, 1, 1), version=7)
    Employment.objects.bulk_create([job_orm])
    wage_values = dict(start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), gross_wage=Decimal(312500) / 100)
    Wage.objects.bulk_create([Wage(employment=job_orm, **wage_values)])
    WorkingHours.objects.bulk_create([WorkingHours(employment=job_orm, shift=shift, start_date=date(2024, 1, 1),
                                                   deviating_hours_per_week=Decimal("15.79"))])  # fmt: skip
    # the same through Table
    people, jobs, wages, hours = Table(Employee), Table(Employment), Table(Wage), Table(WorkingHours)
    person_id, job_id = uuid.uuid4(), uuid.uuid4()
    people.add(id=person_id, employee_number=902, **person)
    jobs.add(id=job_id, employee_id=person_id, administration_id=admin.pk, payroll_id=902,
             start_date=date(2024, 1, 1), version=7)  # fmt: skip
    wages.add(id=uuid.uuid4(), employment_id=job_id, **wage_values)
    hours.add(id=uuid.uuid4(), employment_id=job_id, shift_id=shift.pk, start_date=date(2024, 1, 1),
              deviating_hours_per_week=Decimal("15.79"))  # fmt: skip
    for table in (people, jobs, wages, hours):
        table.write()

    keys = {"id", "employee_id", "employment_id", "employee_number", "payroll_id"}
    assert _stored(Employee, [person_id], keys) == _stored(Employee, [by_orm.pk], keys)
    assert _stored(Employment, [job_id], keys) == _stored(Employment, [job_orm.pk], keys)
    for model in (Wage, WorkingHours):
        mine = list(model.objects.filter(employment_id=job_id).values_list("pk", flat=True))
        theirs = list(model.objects.filter(employment_id=job_orm.pk).values_list("pk", flat=True))
        assert _stored(model, mine, keys) == _stored(model, theirs, keys)
    # and read back through the models: the same values
    assert Wage.objects.get(employment_id=job_id).gross_wage == Decimal("3125.00")
    assert Employee.objects.get(pk=person_id).email == ""  # a field left out takes its default, as a model does


def test_a_callable_default_must_be_given() -> None:
    with pytest.raises(TypeError, match="id has no default"):
        Table(Employee).add(employee_number=1)
