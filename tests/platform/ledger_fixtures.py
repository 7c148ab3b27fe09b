"""Companies with employments for the ledger's tests (no Loket needed: the ledger reads only our tables)."""

from __future__ import annotations

from datetime import date

from django.db import connection

from inleg.platform.accounts.models import Company
from inleg.platform.employees.models import Employee, Employment


def company_with_employments(name: str = "Bakkerij Jansen B.V.", count: int = 2) -> tuple[Company, list[Employment]]:
    company = Company.objects.create(name=name)
    employments = []
    for n in range(1, count + 1):
        employee = Employee.objects.create(
            company=company, loket_id=f"ee-{n}", employee_number=n, first_name=f"Naam{n}", last_name=f"Achter{n}"
        )
        employments.append(
            Employment.objects.create(
                company=company, employee=employee, loket_id=f"emp-{n}", start_date=date(2024, 1, 1)
            )
        )
    return company, employments


def check_deferred_now() -> None:
    """PostgreSQL checks the ledger's sums at commit; a test inside a transaction asks for the check now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
