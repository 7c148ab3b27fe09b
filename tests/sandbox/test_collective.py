"""The collective operations on benefits and deductions: many employments of one employer in one call."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from conftest import V2, Api, make_token
from inleg.sandbox.core.models import BenefitDeduction, Employer, Employment, PayrollComponent
from inleg.sandbox.seed import NET_DEDUCTION_KEY, PENSIFY_KEY


def collective(employer: Employer) -> str:
    return f"{V2}/{employer.pk}/employees/employments/benefitsanddeductions"


def records(employment: Employment, key: int = PENSIFY_KEY) -> list[tuple[date, date | None, Decimal]]:
    found = BenefitDeduction.objects.filter(employment=employment, component__key=key).order_by("start_date")
    return [(r.start_date, r.end_date, r.value) for r in found]


@pytest.fixture
def jobs(employer: Employer) -> list[Employment]:
    """Three employments of the employer that started before 2025, made open-ended, with nothing on the two
    components of the platform."""
    found = list(
        Employment.objects.filter(employee__employer=employer, start_date__lte=date(2025, 1, 1)).order_by(
            "employee__employee_number"
        )[:3]
    )
    assert len(found) == 3
    Employment.objects.filter(pk__in=[j.pk for j in found]).update(end_date=None)
    BenefitDeduction.objects.filter(employment__in=found, component__key__in=(PENSIFY_KEY, NET_DEDUCTION_KEY)).delete()
    return found


def item(job: Employment, start: str, value: Any, key: int = PENSIFY_KEY) -> dict[str, Any]:
    return {"employmentId": str(job.pk), "payrollComponent": {"key": key}, "startDate": start, "value": value}


def test_a_collective_create_writes_each_valid_item_and_names_the_refused(
    api: Api, employer: Employer, jobs: list[Employment]
) -> None:
    a, b, c = jobs
    component = PayrollComponent.objects.get(administration=a.administration, key=PENSIFY_KEY)
    BenefitDeduction.objects.create(
        employment=b, component=component, start_date=date(2025, 1, 1), end_date=None, value=Decimal("10")
    )
    before_employment = (c.start_date - timedelta(days=1)).isoformat()
    body = [
        item(a, "2025-03-01", 50),
        item(b, "2025-03-01", Decimal("60.25")),  # closes b's open record the day before
        item(c, before_employment, 70),  # refused: before the employment starts
        item(a, "2025-03-01", 5, NET_DEDUCTION_KEY),
    ]
    response = api.post(collective(employer), body)
    assert response.status_code == 200, response.content
    content = response.json()["content"]
    assert content["itemCount"] == {"processed": 3, "processedWithError": 1, "processedWithWarning": 0, "total": 4}
    assert (content["status"], content["type"]) == ("Completed", "Beloning")
    [refused] = [m for m in response.json()["messages"] if m["type"] == "BrokenBusinessRule"]
    assert refused["id"] == str(c.pk)
    assert "before the start of the employment" in refused["description"]
    assert records(a) == [(date(2025, 3, 1), None, Decimal("50"))]
    assert records(a, NET_DEDUCTION_KEY) == [(date(2025, 3, 1), None, Decimal("5"))]
    assert records(b) == [
        (date(2025, 1, 1), date(2025, 2, 28), Decimal("10")),
        (date(2025, 3, 1), None, Decimal("60.25")),
    ]
    assert records(c) == []
    # The same call again changes nothing: each item is an existing record (a warning, not a second record).
    again = api.post(collective(employer), body[:2])
    assert again.json()["content"]["itemCount"]["processedWithWarning"] == 2
    assert records(a) == [(date(2025, 3, 1), None, Decimal("50"))]


def test_a_create_that_would_overlap_a_later_record_is_refused_and_the_record_kept(
    api: Api, employer: Employer, jobs: list[Employment]
) -> None:
    a, b, _ = jobs
    component = PayrollComponent.objects.get(administration=a.administration, key=PENSIFY_KEY)
    later = BenefitDeduction.objects.create(
        employment=a, component=component, start_date=date(2025, 6, 1), end_date=None, value=Decimal("12.34")
    )
    response = api.post(collective(employer), [item(a, "2025-03-01", 50), item(b, "2025-03-01", 50)])
    assert response.status_code == 200
    [refused] = [m for m in response.json()["messages"] if m["id"]]
    assert refused["id"] == str(a.pk)
    assert str(later.pk) in refused["description"]
    assert records(a) == [(date(2025, 6, 1), None, Decimal("12.34"))]
    assert records(b) == [(date(2025, 3, 1), None, Decimal("50"))]


def test_a_collective_create_of_which_no_item_succeeds_is_a_400_naming_each(
    api: Api, employer: Employer, jobs: list[Employment]
) -> None:
    other = Employment.objects.filter(employee__employer__employer_number=20002).first()
    assert other is not None
    response = api.post(collective(employer), [item(jobs[0], "1990-01-01", 5), item(other, "2025-03-01", 5)])
    assert response.status_code == 400
    messages = response.json()["messages"]
    assert [m["id"] for m in messages] == [str(jobs[0].pk), str(other.pk)]
    assert "before the start of the employment" in messages[0]["description"]
    assert "no employment of this employer" in messages[1]["description"]
    assert records(jobs[0]) == []
    assert records(other) == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"employmentId": "x"}, "must be a JSON array"),
        ([], "no items"),
        ([{"employmentId": "x", "endDate": "2025-01-01"}], "[0].endDate: unknown member"),
    ],
)
def test_a_malformed_collective_body_is_refused_whole(api: Api, employer: Employer, body: Any, says: str) -> None:
    response = api.post(collective(employer), body)
    assert response.status_code == 400
    assert says in response.json()["messages"][0]["description"]


def test_a_collective_end_date_ends_records_and_names_the_refused(
    api: Api, employer: Employer, jobs: list[Employment]
) -> None:
    a, b, c = jobs
    component = PayrollComponent.objects.get(administration=a.administration, key=PENSIFY_KEY)
    made = {
        job: BenefitDeduction.objects.create(
            employment=job, component=component, start_date=date(2025, 3, 1), end_date=None, value=Decimal("50")
        )
        for job in jobs
    }
    version = made[a].version
    later = BenefitDeduction.objects.create(
        employment=c, component=component, start_date=date(2025, 9, 1), end_date=None, value=Decimal("1")
    )
    made[c].end_date = date(2025, 5, 31)
    made[c].save()
    body = [
        {"benefitAndDeductionId": str(made[a].pk), "employmentId": str(a.pk), "endDate": "2025-06-30"},
        {"benefitAndDeductionId": str(made[b].pk), "endDate": "2025-02-01"},  # before its start
        {"benefitAndDeductionId": str(made[c].pk), "endDate": "2025-12-31"},  # into the later record
    ]
    response = api.put(collective(employer), body)
    assert response.status_code == 200, response.content
    assert response.json()["content"]["itemCount"]["processedWithError"] == 2
    assert {m["id"] for m in response.json()["messages"]} == {str(made[b].pk), str(made[c].pk)}
    assert records(a) == [(date(2025, 3, 1), date(2025, 6, 30), Decimal("50"))]
    made[a].refresh_from_db()
    assert made[a].version > version  # a new ETag: an If-Match with the old one is stale now
    assert records(b) == [(date(2025, 3, 1), None, Decimal("50"))]
    assert records(c) == [(date(2025, 3, 1), date(2025, 5, 31), Decimal("50")), (later.start_date, None, Decimal("1"))]


def test_the_collective_operations_need_beheer_beloningen(seeded: Any, employer: Employer) -> None:
    job = Employment.objects.filter(employee__employer=employer).first()
    assert job is not None
    beperkt = Api(make_token("beperkt"))  # lacks Beheer beloningen
    assert beperkt.post(collective(employer), [item(job, "2025-03-01", 5)]).status_code == 403
    assert (
        beperkt.put(collective(employer), [{"benefitAndDeductionId": str(job.pk), "endDate": "2025-03-01"}]).status_code
        == 403
    )
    other = Employer.objects.get(employer_number=20002)
    koppeling = Api(make_token("koppeling"))  # not linked to the other employer
    assert koppeling.post(collective(other), [item(job, "2025-03-01", 5)]).status_code == 403
