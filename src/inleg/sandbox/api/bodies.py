"""What a write's request body may hold: the members of the official description, dates within Loket's years.

A member the description does not have (misspelled, or from another resource) is refused by name rather
than dropped, so a client never believes it wrote what was ignored. Read-only members (ids, descriptions,
lookup values) are listed too: a client may send a record back as it read it. A test checks these trees
against the description.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from inleg.sandbox.api.context import Context
from inleg.sandbox.api.jsonio import read_json

# Loket's payroll years: a date or year outside them is a typo (9976 for 1976), not data.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)

type Members = Mapping[str, Members | None]  # None: a member holding a value, not an object

_LOOKUP: Members = {"key": None, "value": None}
_BENEFIT: Members = {
    "id": None,
    "startDate": None,
    "endDate": None,
    "value": None,
    "payrollComponent": {"key": None, "description": None, "category": _LOOKUP, "deductionOrPayment": _LOOKUP},
}
_EMPLOYMENT_FUND: Members = {
    "id": None,
    "startDate": None,
    "endDate": None,
    "fund": {"key": None, "description": None},
    "deviations": {"employmentContributionPercentage": None, "totalContributionPercentage": None},
    "fixedContribution": {"employmentContribution": None, "totalContribution": None},
}
REQUEST_MEMBERS: dict[str, Members] = {
    "PostbenefitsAndDeductionsByEmploymentId": _BENEFIT,
    "PutBenefitsAndDeductionsByBenefitsAndDeductionsId": _BENEFIT,
    "PostEmploymentFundByEmploymentId": _EMPLOYMENT_FUND,
    "PutEmploymentFundByEmploymentFundId": _EMPLOYMENT_FUND,
}


def read_body(ctx: Context) -> dict[str, Any]:
    """The JSON object of a write, closed to the members of its operation in the description."""
    data = read_json(ctx)
    check_members(ctx, data)
    return data


def check_members(ctx: Context, data: Mapping[str, Any], members: Members | None = None, prefix: str = "") -> None:
    """A 400 naming the first member of ``data`` that the operation's body does not have (nested ones too)."""
    members = REQUEST_MEMBERS[ctx.operation] if members is None else members
    for name, value in data.items():
        path = f"{prefix}{name}"
        if name not in members:
            where = prefix.removesuffix(".") or "the body"
            raise ctx.bad_request(f"{path}: unknown member; {where} may hold {', '.join(sorted(members))}.", [path])
        inner = members[name]
        if inner is not None and isinstance(value, Mapping):
            check_members(ctx, value, inner, f"{path}.")


def check_day(ctx: Context, name: str, raw: str, day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ctx.bad_request(f"{name}: '{raw}' lies outside {FIRST_DAY}..{LAST_DAY}.", properties=[name])
    return day
