"""Loket's rights (rechten): named groups of API activities (operationIds of the official description).

The five rights of the seed open exactly the activities of ``docs/architecture.md``. Activities every
user with access to an employer holds (the user's own data, the employer list and detail, the
authorizations list and change detection), and a few the table leaves out, are listed here too, each
with the right that opens it: a choice of the sandbox, where Loket's documentation is silent.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Right(models.TextChoices):
    READ_EMPLOYMENTS = "raadplegen_dienstverbanden", _("Raadplegen dienstverbanden")
    READ_HRM = "raadplegen_hrm", _("Raadplegen HRM-gegevens")
    READ_REWARDS = "raadplegen_beloningen", _("Raadplegen beloningen")
    MANAGE_REWARDS = "beheer_beloningen", _("Beheer beloningen")
    MANAGE_FIXED_DATA = "beheer_vaste_gegevens", _("Beheer vaste gegevens salarisadministratie")


ACTIVITIES_BY_RIGHT: dict[str, tuple[str, ...]] = {
    Right.READ_EMPLOYMENTS: (
        "GetEmploymentsByEmployerId",
        "GetEmploymentsByEmployeeId",
        "GetEmploymentByEmploymentId",
        "GetPayrollAdministrationsByEmployerId",
        "GetPayrollPeriodsByPayrollAdministrationId",
        # sandbox choice: change detection of employments is part of reading them
        "GetEmploymentLastModifiedVersionNumbersByUser",
        # sandbox choice: working hours (and so the part-time factor) are employment data
        "GetActualWorkingHoursByEmployerId",
    ),
    Right.READ_HRM: ("GetEmployeesByEmployerId", "GetEmployeeByEmployeeId"),
    Right.READ_REWARDS: (
        "GetBenefitsAndDeductionsByEmploymentId",
        "GetBenefitsAndDeductionsBybenefitsAndDeductionsId",
        "GetPayrollComponentsByPayrollAdministrationIdAndYear",
        "GetPayrollPeriodResultsByPayrollAdministrationIdAndPayrollPeriodId",
        "GetPayrollPeriodResultsByEmploymentIdAndYear",
        # sandbox choice: the runs that produce the results are read with them
        "GetPayrollRunsByPayrollAdministrationId",
        "GetPayrollRunByPayrollRunId",
        # sandbox choice: a wage is a reward, and the employer-wide list of fixed values reads the same records
        "GetActualWagesByEmployerId",
        "GetActualBenefitsAndDeductionsByEmployerId",
    ),
    Right.MANAGE_REWARDS: (
        "PostbenefitsAndDeductionsByEmploymentId",
        "PutBenefitsAndDeductionsByBenefitsAndDeductionsId",
        "DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId",
        "PostCollectiveBenefitsAndDeductionsByEmployerId",
        "PutCollectiveBenefitsAndDeductionsByEmployerId",
    ),
    Right.MANAGE_FIXED_DATA: (
        "GetEmploymentFundsByEmploymentId",
        "PostEmploymentFundByEmploymentId",
        "PutEmploymentFundByEmploymentFundId",
    ),
}

# Held by every active user for every employer the user reaches (no right needed).
BASIC_ACTIVITIES: tuple[str, ...] = (
    "GetProvidersByUser",
    "GetUserByToken",
    "GetEmployersByUserId",
    "GetEmployerByEmployerId",
    "GetAuthorizationsByEmployerId",
    "GetEmployerLastModifiedVersionNumbersByUser",
)

ALL_ACTIVITIES: tuple[str, ...] = BASIC_ACTIVITIES + tuple(a for acts in ACTIVITIES_BY_RIGHT.values() for a in acts)


def activities_for(rights: set[str]) -> set[str]:
    """The activities a set of rights opens, the basic ones included."""
    result = set(BASIC_ACTIVITIES)
    for right in rights:
        result.update(ACTIVITIES_BY_RIGHT.get(right, ()))
    return result
