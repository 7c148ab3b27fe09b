"""Write bodies: closed to the members of the official description, dates within Loket's bounds.

A member the description does not have (misspelled, or from another resource) is a 400 naming it, never
silently dropped; a date outside 1900..2100 (a typo such as 9976) is a 400 naming field and value; either
way nothing is written. Members the description marks read-only may be sent back as they were read.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conftest import V2, Api
from inleg.sandbox.core.models import BenefitDeduction, Employment, EmploymentFund, PayrollComponent

E = f"{V2}/employees/employments"
TRAVEL = 711  # a benefit component the seed leaves without records


@pytest.fixture
def records(employment: Employment) -> dict[str, Any]:
    travel = PayrollComponent.objects.get(administration=employment.administration, key=TRAVEL)
    benefit = BenefitDeduction.objects.create(employment=employment, component=travel, start_date=date(2024, 1, 1),
                                              end_date=date(2024, 1, 31), value=Decimal("12.50"))  # fmt: skip
    fund = EmploymentFund.objects.filter(employment=employment).select_related("fund").first()
    assert fund is not None
    return {"benefit": benefit, "fund": fund}


def _writes(employment: Employment, records: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Per operation: method, path and a body it accepts."""
    fund = records["fund"]
    return {
        "PostbenefitsAndDeductionsByEmploymentId": (
            "post", f"{E}/{employment.pk}/benefitsanddeductions",
            {"startDate": "2031-01-01", "payrollComponent": {"key": TRAVEL}, "value": 12},
        ),
        "PutBenefitsAndDeductionsByBenefitsAndDeductionsId": (
            "put", f"{E}/benefitsAndDeductions/{records['benefit'].pk}",
            {"startDate": "2024-01-01", "endDate": "2024-02-29", "value": 40},
        ),
        "PostEmploymentFundByEmploymentId": (
            "post", f"{E}/{employment.pk}/employmentfunds",
            {"startDate": "2031-01-01", "fund": {"key": fund.fund.number}},
        ),
        "PutEmploymentFundByEmploymentFundId": (
            "put", f"{E}/employmentfunds/{fund.pk}",
            {"startDate": fund.start_date.isoformat(), "endDate": None, "fund": {"key": fund.fund.number}},
        ),
    }  # fmt: skip


def _state(employment: Employment) -> list[Any]:
    return [
        *BenefitDeduction.objects.filter(employment=employment).order_by("id").values(),
        *EmploymentFund.objects.filter(employment=employment).order_by("id").values(),
        Employment.objects.filter(pk=employment.pk).values("version").get(),
    ]


OPERATIONS = [
    "PostbenefitsAndDeductionsByEmploymentId",
    "PutBenefitsAndDeductionsByBenefitsAndDeductionsId",
    "PostEmploymentFundByEmploymentId",
    "PutEmploymentFundByEmploymentFundId",
]
NESTED = {  # a member inside an object of the body
    "PostbenefitsAndDeductionsByEmploymentId": "payrollComponent",
    "PutBenefitsAndDeductionsByBenefitsAndDeductionsId": "payrollComponent",
    "PostEmploymentFundByEmploymentId": "fund",
    "PutEmploymentFundByEmploymentFundId": "fund",
}


def _refused(response: Any, name: str, value: str | None = None) -> None:
    assert response.status_code == 400, response.content
    [message] = response.json()["messages"]
    assert message["type"] == "BrokenBusinessRule"
    assert message["properties"] == [name]
    assert name in message["description"]
    if value is not None:
        assert value in message["description"]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_accepted_body_is_accepted(api: Api, employment: Employment, records: dict[str, Any], operation: str):
    method, path, body = _writes(employment, records)[operation]
    assert getattr(api, method)(path, body).status_code in (200, 201)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_unknown_member_is_400_naming_it_and_writes_nothing(
    api: Api, employment: Employment, records: dict[str, Any], operation: str
) -> None:
    method, path, body = _writes(employment, records)[operation]
    before = _state(employment)
    _refused(getattr(api, method)(path, {**body, "startdate": "2031-02-01"}), "startdate")  # misspelled
    _refused(getattr(api, method)(path, {**body, "value2": 1}), "value2")
    outer = NESTED[operation]
    inner = {**body.get(outer, {"key": 1}), "colour": "rood"}
    _refused(getattr(api, method)(path, {**body, outer: inner}), f"{outer}.colour")
    assert _state(employment) == before


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(
    ("field", "value"),
    [("startDate", "9976-01-01"), ("startDate", "1899-12-31"), ("endDate", "9976-12-31"), ("endDate", "2101-01-01")],
)
def test_a_date_outside_lokets_bounds_is_400_naming_field_and_value(
    api: Api, employment: Employment, records: dict[str, Any], operation: str, field: str, value: str
) -> None:
    method, path, body = _writes(employment, records)[operation]
    before = _state(employment)
    _refused(getattr(api, method)(path, {**body, field: value}), field, value)
    assert _state(employment) == before


def test_deviations_and_fixed_contributions_are_closed_too(
    api: Api, employment: Employment, records: dict[str, Any]
) -> None:
    _, path, body = _writes(employment, records)["PutEmploymentFundByEmploymentFundId"]
    before = _state(employment)
    deviations = {"employmentContributionPercentage": 1, "totalContributionPercentage": 2, "employerPercentage": 1}
    _refused(api.put(path, {**body, "deviations": deviations}), "deviations.employerPercentage")
    fixed = {"employmentContribution": 1, "totalContribution": 2, "currency": "EUR"}
    _refused(api.put(path, {**body, "fixedContribution": fixed}), "fixedContribution.currency")
    assert _state(employment) == before


def test_the_fund_of_an_employment_fund_cannot_change(
    api: Api, employment: Employment, records: dict[str, Any]
) -> None:
    _, path, body = _writes(employment, records)["PutEmploymentFundByEmploymentFundId"]
    before = _state(employment)
    other = records["fund"].fund.number % 3 + 1
    _refused(api.put(path, {**body, "fund": {"key": other}}), "fund.key", str(other))
    assert _state(employment) == before


@pytest.mark.parametrize(("kind", "item"), [("benefit", "benefitsAndDeductions"), ("fund", "employmentfunds")])
def test_a_record_sent_back_as_it_was_read_is_accepted(
    api: Api, employment: Employment, records: dict[str, Any], kind: str, item: str
) -> None:
    path = f"{E}/{item}/{records[kind].pk}"
    content = api.get(path).json()["content"] if kind == "benefit" else _fund_as_read(api, employment, records)
    response = api.put(path, content)
    assert response.status_code == 200, response.content
    assert response.json()["content"] == content


def _fund_as_read(api: Api, employment: Employment, records: dict[str, Any]) -> Any:
    rows = api.get(f"{E}/{employment.pk}/employmentfunds").json()["_embedded"]
    return next(row for row in rows if row["id"] == str(records["fund"].pk))
