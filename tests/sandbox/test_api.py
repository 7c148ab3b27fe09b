"""The /v2 operations: envelope, paging, filter, orderBy, versions, rights, date chains, ETag/If-Match."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import V2, Api, make_token
from inleg.sandbox.api.errors import FORBIDDEN_MESSAGE
from inleg.sandbox.core.models import BenefitDeduction, Employer, Employment, LoketUser
from inleg.sandbox.seed import NET_DEDUCTION_KEY, PENSIFY_KEY

B_AND_D = f"{V2}/employees/employments/{{}}/benefitsanddeductions"
ITEM = f"{V2}/employees/employments/benefitsAndDeductions/{{}}"


def test_no_token_is_401_with_loket_message(seeded: Any) -> None:
    response = Api("not-a-token").get(f"{V2}")
    assert response.status_code == 401
    assert response.json() == {"message": "Authorization has been denied for this request."}


def test_employer_list_envelope_and_user_reach(api: Api) -> None:
    body = api.get(V2).json()
    assert body["totalSize"] == 1  # an employer-level user sees only its linked employer
    assert (body["pageSize"], body["totalPages"], body["currentPage"]) == (250, 1, 1)
    assert body["messages"] == []
    assert body["version"] == {"resourceVersion": "2018-01-01", "obsoleteDate": None}
    assert body["_embedded"][0]["employerNumber"] == 20001
    provider_user = Api(make_token("kantoor")).get(V2).json()
    assert [e["employerNumber"] for e in provider_user["_embedded"]] == [20001, 20002]


def test_paging_filter_and_order(api: Api, employer: Employer) -> None:
    path = f"{V2}/{employer.pk}/employees/employments"
    body = api.get(path, {"pageSize": 3, "pageNumber": 2}).json()
    assert (body["totalSize"], body["totalPages"], body["currentPage"], body["pageSize"]) == (4, 2, 2, 3)
    assert len(body["_embedded"]) == 1
    numbers = [
        e["employee"]["employeeNumber"]
        for e in api.get(path, {"orderBy": "-employee.employeeNumber"}).json()["_embedded"]
    ]
    assert numbers == [4, 3, 2, 1]
    filtered = api.get(path, {"filter": "employee.employeeNumber ge 2 and employee.employeeNumber le 3"}).json()
    assert [e["employee"]["employeeNumber"] for e in filtered["_embedded"]] == [2, 3]
    open_ones = api.get(path, {"filter": "endDate eq null"}).json()
    assert open_ones["totalSize"] == Employment.objects.filter(employee__employer=employer, end_date=None).count()


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"filter": "shoeSize eq 4"}, "shoeSize"),
        ({"filter": "startDate between 3"}, "startDate between 3"),
        ({"orderBy": "-nonsense"}, "nonsense"),
        ({"pageSize": "0"}, "pageSize"),
        ({"pageNumber": "two"}, "two"),
    ],
)
def test_bad_list_parameters_are_400_naming_them(
    api: Api, employer: Employer, params: dict[str, str], named: str
) -> None:
    response = api.get(f"{V2}/{employer.pk}/employees/employments", params)
    assert response.status_code == 400
    message = response.json()["messages"][0]
    assert message["type"] == "BrokenBusinessRule"
    assert named in message["description"]


@pytest.mark.parametrize(
    ("params", "name", "value"),
    [
        ({"filter": "startDate gt 'abc'"}, "startDate", "'abc'"),
        ({"filter": "endDate eq '2024-13-45'"}, "endDate", "'2024-13-45'"),
        ({"filter": "startDate ge 20240101"}, "startDate", "20240101"),
        ({"filter": "employee.employeeNumber gt 'abc'"}, "employee.employeeNumber", "'abc'"),
        ({"filter": "employee.employeeNumber gt 1.5"}, "employee.employeeNumber", "1.5"),
        ({"filter": "employee.employeeNumber gt 100000000000000000000"}, "employee.employeeNumber",
         "100000000000000000000"),
        ({"filter": "employee.id eq 'not-a-guid'"}, "employee.id", "'not-a-guid'"),
        ({"pageSize": "100000000000000000000"}, "pageSize", "100000000000000000000"),
        ({"pageSize": "1001"}, "pageSize", "1001"),
        ({"pageNumber": "2147483648"}, "pageNumber", "2147483648"),
    ],
)  # fmt: skip
def test_filter_and_paging_values_of_the_wrong_type_or_size_are_400_naming_them(
    api: Api, employer: Employer, params: dict[str, str], name: str, value: str
) -> None:
    response = api.get(f"{V2}/{employer.pk}/employees/employments", params)
    assert response.status_code == 400, response.content
    message = response.json()["messages"][0]
    assert message["type"] == "BrokenBusinessRule"
    assert name in message["description"]
    assert value in message["description"]


def test_typed_filter_values_still_select(api: Api, employer: Employer) -> None:
    path = f"{V2}/{employer.pk}/employees/employments"
    jobs = Employment.objects.filter(employee__employer=employer)
    first = min(j.start_date for j in jobs)
    later = api.get(path, {"filter": f"startDate gt '{first.isoformat()}'", "pageSize": 1000}).json()
    assert later["totalSize"] == sum(1 for j in jobs if j.start_date > first)
    assert later["pageSize"] == 1000
    one = jobs.order_by("employee__employee_number").first()
    by_id = api.get(path, {"filter": f"employee.id eq '{one.employee_id}' and startDate eq '{one.start_date}'"}).json()
    assert [e["id"] for e in by_id["_embedded"]] == [str(one.pk)]


def test_accept_version_selects_on_or_before(api: Api, employer: Employer) -> None:
    path = f"{V2}/{employer.pk}/authorizations"
    old = Api(api.token, "2018-06-01").get(path)
    assert old["Content-Type"] == "application/json;version=2018-01-01"
    assert "name" in old.json()["_embedded"][0]
    new = Api(api.token, "2020-01-01").get(path)
    assert new["Content-Type"] == "application/json;version=2019-02-11"
    assert {"id", "description"} == set(new.json()["_embedded"][0])
    plain = api.get(path)  # no version: the newest
    assert plain["Content-Type"] == "application/json;version=2019-02-11"
    too_old = Api(api.token, "2017-01-01").get(path)
    assert too_old.status_code == 400
    assert "2018-01-01" in too_old.json()["messages"][0]["description"]


def test_authorizations_list_the_five_rights_activities(api: Api, employer: Employer) -> None:
    names = {row["description"] for row in api.get(f"{V2}/{employer.pk}/authorizations").json()["_embedded"]}
    for activity in ("PostbenefitsAndDeductionsByEmploymentId", "GetEmployeesByEmployerId",
                     "PutEmploymentFundByEmploymentFundId", "GetPayrollPeriodsByPayrollAdministrationId"):  # fmt: skip
        assert activity in names
    limited = Api(make_token("beperkt")).get(f"{V2}/{employer.pk}/authorizations").json()["_embedded"]
    assert "PostbenefitsAndDeductionsByEmploymentId" not in {row["description"] for row in limited}


def test_rights_checks_give_loket_403(seeded: Any, employer: Employer, employment: Employment) -> None:
    other = Employer.objects.get(employer_number=20002)
    koppeling = Api(make_token("koppeling"))
    response = koppeling.get(f"{V2}/{other.pk}/employees")  # not linked to this employer
    assert response.status_code == 403
    assert response.json() == {"message": FORBIDDEN_MESSAGE}
    beperkt = Api(make_token("beperkt"))  # lacks Beheer beloningen
    body = {"startDate": "2024-06-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": 10}
    assert beperkt.post(B_AND_D.format(employment.pk), body).status_code == 403
    assert beperkt.get(B_AND_D.format(employment.pk)).status_code == 200
    other_employment = Employment.objects.filter(employee__employer=other).first()
    assert koppeling.get(f"{V2}/employees/employments/{other_employment.pk}").status_code == 403
    assert koppeling.get(f"{V2}/employees/employments/3f2504e0-4f89-11d3-9a0c-0305e82c3301").status_code == 404


def test_client_without_the_activity_is_403(seeded: Any, employer: Employer) -> None:
    from inleg.sandbox.core.models import ClientProfile

    profile = ClientProfile.objects.get()
    profile.allowed_activities = [a for a in profile.allowed_activities if a != "GetEmployeesByEmployerId"]
    profile.save()
    response = Api(make_token("koppeling")).get(f"{V2}/{employer.pk}/employees")
    assert response.status_code == 403


def test_benefits_broken_chain(api: Api, employment: Employment) -> None:
    path = B_AND_D.format(employment.pk)
    BenefitDeduction.objects.filter(employment=employment).delete()
    first = api.post(path, {"startDate": "2024-01-01", "endDate": None, "payrollComponent": {"key": PENSIFY_KEY},
                            "value": 50.00})  # fmt: skip
    assert first.status_code == 201, first.content
    assert first.json()["content"]["payrollComponent"]["description"] == "Pensify Inleg"
    second = api.post(path, {"startDate": "2024-04-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": 75.5})
    assert second.status_code == 201
    closed = api.get(ITEM.format(first.json()["content"]["id"])).json()["content"]
    assert closed["endDate"] == "2024-03-31"  # the open record is closed by the later one
    overlap = api.post(path, {"startDate": "2024-02-01", "endDate": "2024-02-29", "payrollComponent": {"key": PENSIFY_KEY},  # noqa: E501 L
                              "value": 10})  # fmt: skip
    assert overlap.status_code == 400
    assert overlap.json()["messages"][0]["type"] == "BrokenBusinessRule"
    other_component = api.post(
        path, {"startDate": "2024-02-01", "payrollComponent": {"key": NET_DEDUCTION_KEY}, "value": 20}
    )
    assert other_component.status_code == 201  # chains are per component
    values = {(b["payrollComponent"]["key"], b["startDate"]): b["value"] for b in api.get(path).json()["_embedded"]}
    assert values == {(PENSIFY_KEY, "2024-01-01"): 50.00, (PENSIFY_KEY, "2024-04-01"): 75.5,
                      (NET_DEDUCTION_KEY, "2024-02-01"): 20}  # fmt: skip
    # the exact digits reach the wire: 75.50 stays a number with its cents
    assert b'"value":75.50' in api.get(ITEM.format(second.json()["content"]["id"])).content


def test_repeating_a_post_creates_nothing_new(api: Api, employment: Employment) -> None:
    path = B_AND_D.format(employment.pk)
    body = {"startDate": "2024-05-01", "payrollComponent": {"key": NET_DEDUCTION_KEY}, "value": 12.34}
    BenefitDeduction.objects.filter(employment=employment).delete()
    one, two = api.post(path, body), api.post(path, body)
    assert one.json()["content"]["id"] == two.json()["content"]["id"]
    assert BenefitDeduction.objects.filter(employment=employment).count() == 1


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"payrollComponent": {"key": PENSIFY_KEY}, "value": 1}, "startDate"),
        ({"startDate": "2024-13-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": 1}, "2024-13-01"),
        ({"startDate": "2024-01-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": 100000000.01}, "100000000.01"),
        (
            {"startDate": "2024-01-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": -100000000.01},
            "-100000000.01",
        ),
        ({"startDate": "2024-01-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": 1.234}, "1.234"),
        ({"startDate": "2024-01-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": "abc"}, "abc"),
        ({"startDate": "2024-01-01", "payrollComponent": {"key": 999}, "value": 1}, "999"),
        ({"startDate": "2024-01-01", "payrollComponent": {"key": 10}, "value": 1}, "cannot be used"),
        (
            {"startDate": "2024-03-01", "endDate": "2024-02-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": 1},
            "endDate",
        ),
    ],
)
def test_bad_benefit_input_is_400_naming_field_and_value(
    api: Api, employment: Employment, body: dict[str, Any], named: str
) -> None:
    before = BenefitDeduction.objects.count()
    response = api.post(B_AND_D.format(employment.pk), body)
    assert response.status_code == 400
    assert named in response.json()["messages"][0]["description"]
    assert BenefitDeduction.objects.count() == before


def test_etag_and_stale_if_match_is_409(api: Api, employment: Employment) -> None:
    record = BenefitDeduction.objects.filter(employment=employment).first() or BenefitDeduction.objects.first()
    response = api.get(ITEM.format(record.pk))
    etag = response["ETag"]
    body = {**response.json()["content"], "value": 33.33}
    updated = api.put(ITEM.format(record.pk), body, **{"If-Match": etag})
    assert updated.status_code == 200, updated.content
    assert updated["ETag"] != etag
    stale = api.put(ITEM.format(record.pk), {**body, "value": 44.44}, **{"If-Match": etag})
    assert stale.status_code == 409
    assert BenefitDeduction.objects.get(pk=record.pk).value == Decimal("33.33")
    assert api.delete(ITEM.format(record.pk), **{"If-Match": etag}).status_code == 409
    gone = api.delete(ITEM.format(record.pk))
    assert gone.status_code == 200
    assert gone.json()["content"] == {}
    assert api.get(ITEM.format(record.pk)).status_code == 404


def test_employment_funds_chain_and_exclusive_terms(api: Api, employment: Employment) -> None:
    path = f"{V2}/employees/employments/{employment.pk}/employmentfunds"
    listed = api.get(path).json()
    assert {row["fund"]["key"] for row in listed["_embedded"]} == {1, 2, 3}
    both = api.post(path, {"startDate": "2024-07-01", "fund": {"key": 1},
                           "deviations": {"employmentContributionPercentage": 8, "totalContributionPercentage": 20},
                           "fixedContribution": {"employmentContribution": 50, "totalContribution": 150}})  # fmt: skip
    assert both.status_code == 400
    later = api.post(path, {"startDate": "2030-07-01", "fund": {"key": 1},
                            "deviations": {"employmentContributionPercentage": 8, "totalContributionPercentage": 20}})  # fmt: skip  # noqa: E501 L
    assert later.status_code == 201, later.content
    rows = {(r["fund"]["key"], r["startDate"]): r for r in api.get(path).json()["_embedded"]}
    assert rows[(1, employment.start_date.isoformat())]["endDate"] == "2030-06-30"
    assert rows[(1, "2030-07-01")]["deviations"]["employmentContributionPercentage"] == 8
    put = api.put(f"{V2}/employees/employments/employmentfunds/{later.json()['content']['id']}",
                  {"startDate": "2030-07-01", "fund": {"key": 1},
                   "fixedContribution": {"employmentContribution": 50, "totalContribution": 150}})  # fmt: skip
    assert put.status_code == 200
    assert put.json()["content"]["deviations"] is None
    assert put.json()["content"]["fixedContribution"] == {"employmentContribution": 50.00, "totalContribution": 150.00}


def test_last_modified_versions_grow_on_change(api: Api, employer: Employer, employment: Employment) -> None:
    path = f"{V2}/{employer.pk}/employees/employments/lastmodifiedversionnumbers"
    before = {r["id"]: r["lastModifiedVersionNumber"] for r in api.get(path).json()["_embedded"]}
    api.post(B_AND_D.format(employment.pk), {"startDate": "2031-01-01", "payrollComponent": {"key": 831}, "value": 5})
    after = api.get(path, {"filter": f"lastModifiedVersionNumber gt {max(before.values())}"}).json()["_embedded"]
    assert [r["id"] for r in after] == [str(employment.pk)]


def test_a_method_the_operation_does_not_have_is_405(api: Api, employer: Employer) -> None:
    response = api.delete(f"{V2}/{employer.pk}")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert api.client.patch(f"{V2}/{employer.pk}/employees", headers=api.headers()).status_code == 405


def test_employee_etag_follows_its_content(api: Api, employer: Employer) -> None:
    from inleg.sandbox.core.models import Employee

    employee = Employee.objects.filter(employer=employer).first()
    path = f"{V2}/employees/{employee.pk}"
    before = api.get(path)["ETag"]
    assert api.get(path)["ETag"] == before
    employee.last_name = "Anders"
    employee.save()
    assert api.get(path)["ETag"] != before


def test_a_deactivated_users_token_stops_working(api: Api) -> None:
    assert api.get("/v2/user").status_code == 200
    LoketUser.objects.filter(username="koppeling").update(is_active=False)
    assert api.get("/v2/user").status_code == 401


def test_put_and_delete_lock_the_employment_before_the_record(
    api: Api, employment: Employment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every write to a chain first locks the employment row (as POST does), so two concurrent PUTs on
    one chain cannot both pass the overlap check; SQLite ignores FOR UPDATE, so the order of locks is checked."""
    from django.db import connection
    from django.db.models.query import QuerySet

    from inleg.sandbox.core.models import EmploymentFund

    locks: list[str] = []
    original = QuerySet.select_for_update

    def spy(self: QuerySet[Any], *args: Any, **kwargs: Any) -> QuerySet[Any]:
        assert connection.in_atomic_block
        locks.append(self.model.__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    record = BenefitDeduction.objects.filter(employment=employment).first()
    body = {"startDate": record.start_date.isoformat(), "value": 5}
    assert api.put(ITEM.format(record.pk), body).status_code == 200
    assert locks == ["Employment", "BenefitDeduction"]
    locks.clear()
    assert api.delete(ITEM.format(record.pk)).status_code == 200
    assert locks == ["Employment", "BenefitDeduction"]
    locks.clear()
    fund = EmploymentFund.objects.filter(employment=employment).first()
    put = api.put(f"{V2}/employees/employments/employmentfunds/{fund.pk}", {"startDate": fund.start_date.isoformat()})
    assert put.status_code == 200, put.content
    assert locks == ["Employment", "EmploymentFund"]


def test_a_webservice_users_token_is_403_on_every_operation(seeded: Any, employer: Employer) -> None:
    webservice = Api(make_token("webservice"))
    for path in ("/v2/user", "/v2/providers", V2, f"{V2}/{employer.pk}", f"{V2}/{employer.pk}/employees",
                 f"{V2}/lastmodifiedversionnumbers"):  # fmt: skip
        response = webservice.get(path)
        assert (response.status_code, response.json()) == (403, {"message": FORBIDDEN_MESSAGE}), path
    employment = Employment.objects.filter(employee__employer=employer).first()
    body = {"startDate": "2031-01-01", "payrollComponent": {"key": NET_DEDUCTION_KEY}, "value": 5}
    before = BenefitDeduction.objects.count()
    assert webservice.post(B_AND_D.format(employment.pk), body).status_code == 403
    assert BenefitDeduction.objects.count() == before


def test_benefit_values_may_be_zero_or_negative_within_lokets_bounds(api: Api, employment: Employment) -> None:
    """Loket allows signed amounts and 0 (0 stops a contribution from a date) within -1e8..1e8, 2 decimals."""
    path = B_AND_D.format(employment.pk)
    BenefitDeduction.objects.filter(employment=employment).delete()
    body = {"startDate": "2024-01-01", "payrollComponent": {"key": PENSIFY_KEY}, "value": 100}
    assert api.post(path, body).status_code == 201
    stop = api.post(path, {**body, "startDate": "2024-06-01", "value": 0})
    assert stop.status_code == 201, stop.content
    assert stop.json()["content"]["value"] == 0
    signed = api.post(path, {**body, "payrollComponent": {"key": NET_DEDUCTION_KEY}, "value": -100000000})
    assert signed.status_code == 201, signed.content
    record = BenefitDeduction.objects.get(pk=signed.json()["content"]["id"])
    assert record.value == Decimal("-100000000.00")
    changed = api.put(ITEM.format(record.pk), {"startDate": "2024-01-01", "value": "99999999.99"})
    assert changed.status_code == 200, changed.content
    assert BenefitDeduction.objects.get(pk=record.pk).value == Decimal("99999999.99")
    assert api.put(ITEM.format(record.pk), {"startDate": "2024-01-01", "value": 100000000.5}).status_code == 400


def test_a_provider_level_user_can_hold_other_rights_for_one_employer(seeded: Any) -> None:
    from inleg.sandbox.core.models import EmployerLink
    from inleg.sandbox.core.rights import Right

    office = LoketUser.objects.get(username="kantoor")
    first, second = Employer.objects.order_by("employer_number")[:2]
    EmployerLink.objects.create(user=office, employer=second, rights=[Right.READ_EMPLOYMENTS])
    kantoor = Api(make_token("kantoor"))
    # AK-niveau: still every employer of the office, with the office's rights where no link says otherwise
    assert [e["employerNumber"] for e in kantoor.get(V2).json()["_embedded"]] == [20001, 20002]
    assert kantoor.get(f"{V2}/{first.pk}/employees").status_code == 200
    assert kantoor.get(f"{V2}/{second.pk}/employees/employments").status_code == 200
    refused = kantoor.get(f"{V2}/{second.pk}/employees")  # Raadplegen HRM-gegevens not held at 20002
    assert refused.status_code == 403
    assert "Insufficient rights" in refused.json()["message"]


def test_a_path_with_several_operations_answers_405_listing_them(api: Api, employment: Employment) -> None:
    path = f"{V2}/employees/employments/{employment.pk}/benefitsanddeductions"
    response = api.client.patch(path, headers=api.headers())
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
