"""Version negotiation: the resource versions of each operation and the one an ``Accept`` header selects."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.http import HttpRequest

from inleg.sandbox.api.errors import ApiError, message

# The resource versions of each operation in the official description (its response media types).
VERSIONS: dict[str, tuple[str, ...]] = {
    "GetProvidersByUser": ("2018-01-01",),
    "GetUserByToken": ("2018-01-01",),
    "GetEmployersByUserId": ("2018-01-01",),
    "GetEmployerByEmployerId": ("2018-01-01",),
    "GetAuthorizationsByEmployerId": ("2018-01-01", "2019-02-11"),
    "GetEmployeesByEmployerId": ("2018-12-31", "2021-03-29"),
    "GetEmployeeByEmployeeId": ("2018-12-31", "2021-03-29"),
    "GetEmploymentsByEmployerId": ("2019-12-16",),
    "GetEmploymentsByEmployeeId": ("2019-12-16",),
    "GetEmploymentByEmploymentId": ("2019-12-16",),
    "GetPayrollAdministrationsByEmployerId": ("2018-01-01",),
    "GetPayrollComponentsByPayrollAdministrationIdAndYear": ("2018-01-01",),
    "GetBenefitsAndDeductionsByEmploymentId": ("2018-01-01",),
    "PostbenefitsAndDeductionsByEmploymentId": ("2018-01-01",),
    "GetBenefitsAndDeductionsBybenefitsAndDeductionsId": ("2018-01-01",),
    "PutBenefitsAndDeductionsByBenefitsAndDeductionsId": ("2018-01-01",),
    "DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId": ("2018-01-01",),
    "GetEmploymentFundsByEmploymentId": ("2018-01-01",),
    "PostEmploymentFundByEmploymentId": ("2018-01-01",),
    "PutEmploymentFundByEmploymentFundId": ("2018-01-01",),
    "GetPayrollPeriodsByPayrollAdministrationId": ("2018-01-01",),
    "GetPayrollRunsByPayrollAdministrationId": ("2018-01-01",),
    "GetPayrollRunByPayrollRunId": ("2018-01-01",),
    "GetPayrollPeriodResultsByPayrollAdministrationIdAndPayrollPeriodId": ("2018-01-01",),
    "GetPayrollPeriodResultsByEmploymentIdAndYear": ("2018-01-01",),
    "GetEmployerLastModifiedVersionNumbersByUser": ("2018-01-01",),
    "GetEmploymentLastModifiedVersionNumbersByUser": ("2018-01-01",),
    "GetActualWagesByEmployerId": ("2018-01-01",),
    "GetActualWorkingHoursByEmployerId": ("2018-01-01",),
    "GetActualBenefitsAndDeductionsByEmployerId": ("2018-01-01",),
    "PostCollectiveBenefitsAndDeductionsByEmployerId": ("2018-01-01",),
    "PutCollectiveBenefitsAndDeductionsByEmployerId": ("2018-01-01",),
}
# Operations whose response the official description declares as plain application/json (no version).
UNVERSIONED_CONTENT_TYPE = frozenset({"DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId"})

_VERSION_RE = re.compile(r"version\s*=\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def negotiate_version(request: HttpRequest, operation: str) -> str:
    """The newest version on or before the date in ``Accept`` (today's date when none is given)."""
    versions = VERSIONS[operation]
    accept = request.META.get("HTTP_ACCEPT", "")
    found = _VERSION_RE.search(accept)
    if not found:
        return versions[-1]
    wanted = found.group(1)
    try:
        date.fromisoformat(wanted)
    except ValueError:
        raise ApiError(
            400, _error_body(f"Accept: version '{wanted}' is not a date (YYYY-MM-DD).", versions[0])
        ) from None
    usable = [v for v in versions if v <= wanted]
    if not usable:
        raise ApiError(
            400,
            _error_body(
                f"Accept: no version of this resource on or before '{wanted}'; the oldest is '{versions[0]}'.",
                versions[0],
            ),
        )
    return usable[-1]


def _error_body(description: str, version: str) -> dict[str, Any]:
    return {
        "content": {},
        "messages": [message(description, kind="Exception")],
        "version": {"resourceVersion": version, "obsoleteDate": None},
    }
