"""The five Loket.nl rights the seed names, as groups of API activities (operationIds), and what is missing."""

from __future__ import annotations

from collections.abc import Iterable

# The five rights of the seed, in the seed's order, with the activities each opens (docs/architecture.md).
REQUIRED_RIGHTS: dict[str, tuple[str, ...]] = {
    "Beheer beloningen": (
        "PostbenefitsAndDeductionsByEmploymentId",
        "PutBenefitsAndDeductionsByBenefitsAndDeductionsId",
        "DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId",
        "PostCollectiveBenefitsAndDeductionsByEmployerId",
        "PutCollectiveBenefitsAndDeductionsByEmployerId",
    ),
    "Beheer vaste gegevens salarisadministratie": (
        "GetEmploymentFundsByEmploymentId",
        "PostEmploymentFundByEmploymentId",
        "PutEmploymentFundByEmploymentFundId",
    ),
    "Raadplegen dienstverbanden": (
        "GetEmploymentsByEmployerId",
        "GetEmploymentsByEmployeeId",
        "GetEmploymentByEmploymentId",
        "GetPayrollAdministrationsByEmployerId",
        "GetPayrollPeriodsByPayrollAdministrationId",
        # the part-time factor: working hours are employment data (where the sandbox puts it; Loket's table is silent)
        "GetActualWorkingHoursByEmployerId",
    ),
    "Raadplegen beloningen": (
        "GetBenefitsAndDeductionsByEmploymentId",
        "GetBenefitsAndDeductionsBybenefitsAndDeductionsId",
        "GetPayrollComponentsByPayrollAdministrationIdAndYear",
        "GetPayrollPeriodResultsByPayrollAdministrationIdAndPayrollPeriodId",
        "GetPayrollPeriodResultsByEmploymentIdAndYear",
        # the salary, and the fixed values of the whole employer: a wage is a reward (as the sandbox decides)
        "GetActualWagesByEmployerId",
        "GetActualBenefitsAndDeductionsByEmployerId",
    ),
    "Raadplegen HRM-gegevens": ("GetEmployeesByEmployerId", "GetEmployeeByEmployeeId"),
}


def missing_rights(activities: Iterable[str]) -> list[str]:
    """The rights (by their Loket name, in the seed's order) of which at least one activity is not held.

    Activity names are compared case-insensitively: the official description spells some with odd capitals.
    """
    held = {a.casefold() for a in activities}
    return [name for name, needed in REQUIRED_RIGHTS.items() if any(a.casefold() not in held for a in needed)]
