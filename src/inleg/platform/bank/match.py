"""Which employment of the company a credit's excasso reference names (docs/excasso-reference.md).

Never a guess: the employer number must be one this company has connected, the employee number an employee of
the company, and the employment that employee's. The platform does not yet store Loket's payroll id of an
employment (the employee sync reads none), so the reference's payroll id cannot be checked against it: an
employee with one employment is matched on that one; with more, the credit waits as *niet herkend* for a person,
with that reason. When the sync stores the payroll id, ``_employment`` is the one place to check it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from inleg.platform.accounts.models import Company
from inleg.platform.domain.excasso import ExcassoReference
from inleg.platform.employees.models import Employee, Employment
from inleg.platform.integrations.models import LoketConnection, State


@dataclass(frozen=True, slots=True)
class Match:
    employee: Employee | None
    employment: Employment | None
    reason: str  # empty when matched; else why not, in Dutch

    @property
    def matched(self) -> bool:
        return self.employment is not None


class Matcher:
    """The company's employers, employees and employments, read once for a whole file."""

    def __init__(self, company: Company) -> None:
        self.employer_numbers = set(
            LoketConnection.objects.filter(company=company, employer_number__isnull=False)
            # A disconnected employer's money still arrives for the periods it paid; a number held by another
            # company (employer_taken) or not yet chosen is not this company's.
            .exclude(state__in=(State.EMPLOYER_TAKEN, State.CHOOSE_EMPLOYER))
            .values_list("employer_number", flat=True)
        )
        self.employees: dict[int, list[Employee]] = defaultdict(list)
        for employee in Employee.objects.filter(company=company):
            self.employees[employee.employee_number].append(employee)
        self.employments: dict[int, list[Employment]] = defaultdict(list)
        for employment in Employment.objects.filter(company=company).order_by("pk"):
            self.employments[employment.employee_id].append(employment)

    def match(self, reference: ExcassoReference) -> Match:
        if reference.employer_number not in self.employer_numbers:
            return Match(
                None,
                None,
                f"dienstverband onbekend: werkgever {reference.employer_number} is niet aan dit bedrijf gekoppeld.",
            )
        employees = self.employees.get(reference.employee_number, [])
        if len(employees) != 1:
            return Match(
                None,
                None,
                f"dienstverband onbekend: werknemer {reference.employee_number} is bij werkgever "
                f"{reference.employer_number} niet bekend.",
            )
        employee = employees[0]
        return self._employment(employee, reference)

    def _employment(self, employee: Employee, reference: ExcassoReference) -> Match:
        employments = self.employments.get(employee.pk, [])
        if len(employments) == 1:
            return Match(employee, employments[0], "")
        if not employments:
            return Match(
                employee,
                None,
                f"dienstverband onbekend: werknemer {employee.employee_number} heeft geen dienstverband.",
            )
        return Match(
            employee,
            None,
            f"dienstverband onbekend: werknemer {employee.employee_number} heeft {len(employments)} dienstverbanden "
            f"en loonnummer {reference.payroll_id} is (nog) niet uit Loket.nl bekend; "
            "plaats de bijschrijving met de hand.",
        )
