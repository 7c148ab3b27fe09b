"""The Loket client against the sandbox: what the platform reads and writes, and every error path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from inleg.loket import LoketClient, RetryPolicy, TokenSet, errors
from inleg.sandbox.core.models import Employer as SandboxEmployer
from inleg.sandbox.core.models import Employment as SandboxEmployment
from inleg.sandbox.seed import PENSIFY_KEY
from tests.loket.conftest import API_URL, connect, oauth_for

FIVE_RIGHTS_ACTIVITIES = {
    "GetEmploymentsByEmployerId",
    "GetEmployeesByEmployerId",
    "GetBenefitsAndDeductionsByEmploymentId",
    "PostbenefitsAndDeductionsByEmploymentId",
    "GetEmploymentFundsByEmploymentId",
}


def _first_employer(client: LoketClient) -> str:
    [employer] = client.employers()  # an employer-level user reaches exactly one employer
    return employer.id


def test_employers_and_authorizations_of_an_employer_level_user(client: LoketClient) -> None:
    employer = SandboxEmployer.objects.get(employer_number=20001)
    [found] = client.employers()
    assert (found.id, found.employer_number, found.company_name) == (str(employer.id), 20001, employer.company_name)
    assert client.authorizations(found.id) >= FIVE_RIGHTS_ACTIVITIES


def test_employments_come_in_over_every_page(client: LoketClient) -> None:
    employer_id = _first_employer(client)
    employments = list(client.employments(employer_id))
    expected = SandboxEmployment.objects.filter(employee__employer__id=employer_id)
    assert len(employments) == expected.count() > 5  # more than one page of 5
    assert {e.id for e in employments} == {str(e.id) for e in expected}
    assert all(e.start_date <= (e.end_date or date.max) for e in employments)
    assert client.skipped == []


def test_employees_have_names_and_birth_dates(client: LoketClient) -> None:
    employees = list(client.employees(_first_employer(client)))
    assert employees
    assert all(e.last_name and e.date_of_birth for e in employees)


def test_payroll_components_hold_pensify_inleg(client: LoketClient) -> None:
    [administration] = client.payroll_administrations(_first_employer(client))
    components = {c.key: c for c in client.payroll_components(administration.id, 2025)}
    assert components[PENSIFY_KEY].description == "Pensify Inleg"
    assert components[PENSIFY_KEY].can_hold_fixed_value
    # Bruto vergoeding volgens tabel (7), a payment (2): the numbers of the official description.
    assert (components[PENSIFY_KEY].category_key, components[PENSIFY_KEY].deduction_or_payment_key) == (7, 2)


def test_a_fixed_value_is_written_read_updated_and_deleted(client: LoketClient) -> None:
    employment = next(iter(client.employments(_first_employer(client))))
    made = client.create_benefit_and_deduction(employment.id, PENSIFY_KEY, date(2027, 1, 1), Decimal("125.50"))
    assert (made.component_key, made.value, made.end_date) == (PENSIFY_KEY, Decimal("125.50"), None)
    assert made.id in [r.id for r in client.benefits_and_deductions(employment.id, PENSIFY_KEY)]
    record, etag = client.benefit_and_deduction(made.id)
    assert record == made
    assert etag
    updated = client.update_benefit_and_deduction(made.id, date(2027, 1, 1), Decimal("130.00"), if_match=etag)
    assert updated.value == Decimal("130.00")
    with pytest.raises(errors.Conflict):  # the ETag read before the update is stale now
        client.update_benefit_and_deduction(made.id, date(2027, 1, 1), Decimal("140.00"), if_match=etag)
    client.delete_benefit_and_deduction(made.id)
    with pytest.raises(errors.NotFound):
        client.benefit_and_deduction(made.id)


def test_a_later_value_closes_the_open_one_and_an_overlap_is_refused(client: LoketClient) -> None:
    employment = next(iter(client.employments(_first_employer(client))))
    first = client.create_benefit_and_deduction(employment.id, PENSIFY_KEY, date(2025, 1, 1), Decimal("100.00"))
    client.create_benefit_and_deduction(employment.id, PENSIFY_KEY, date(2025, 4, 1), Decimal("150.00"))
    closed, _ = client.benefit_and_deduction(first.id)
    assert closed.end_date == date(2025, 3, 31)
    with pytest.raises(errors.BadRequest) as refused:
        client.create_benefit_and_deduction(
            employment.id, PENSIFY_KEY, date(2025, 2, 1), Decimal("1.00"), end_date=date(2025, 2, 28)
        )
    assert refused.value.status == 400
    assert {m.type for m in refused.value.messages} == {"BrokenBusinessRule"}


def test_version_numbers_grow_with_a_change(client: LoketClient) -> None:
    employer_id = _first_employer(client)
    before = {v.id: v.version for v in client.employment_version_numbers(employer_id)}
    newest = max(before.values())
    assert client.employment_version_numbers(employer_id, greater_than=newest) == []
    employment_id = next(iter(before))
    client.create_benefit_and_deduction(employment_id, PENSIFY_KEY, date(2025, 1, 1), Decimal("10.00"))
    changed = client.employment_version_numbers(employer_id, greater_than=newest)
    assert [v.id for v in changed] == [employment_id]


# --- error paths ---------------------------------------------------------------------------------


def test_a_bad_token_is_unauthorized(transport: httpx2.WSGITransport) -> None:
    with LoketClient(API_URL, lambda: "not-a-token", transport=transport) as loket, pytest.raises(errors.Unauthorized):
        loket.employers()


def test_a_missing_right_is_forbidden_and_names_the_activity(transport: httpx2.WSGITransport) -> None:
    tokens = connect(oauth_for(transport), "beperkt")  # lacks Beheer beloningen
    with LoketClient(API_URL, lambda: tokens.access_token, transport=transport) as loket:
        employer_id = _first_employer(loket)
        employment = next(iter(loket.employments(employer_id)))
        with pytest.raises(errors.Forbidden) as refused:
            loket.create_benefit_and_deduction(employment.id, PENSIFY_KEY, date(2025, 1, 1), Decimal("1.00"))
    assert refused.value.activity == "PostbenefitsAndDeductionsByEmploymentId"
    assert "Insufficient rights" in refused.value.detail


class Recording:
    """A sleep that only records: retries are tested without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _faulty(settings: Any, plan: str) -> httpx2.WSGITransport:
    from django.core.handlers.wsgi import WSGIHandler

    settings.SANDBOX_FAULTS = plan
    return httpx2.WSGITransport(app=WSGIHandler())  # the middleware reads the plan when it is built


def test_429_is_retried_after_the_time_loket_asks(settings: Any, transport: Any, tokens: TokenSet) -> None:
    faulty = _faulty(settings, "429=0.3,retry_after=7,seed=3")
    sleep = Recording()
    with LoketClient(API_URL, lambda: tokens.access_token, transport=faulty, sleep=sleep, page_size=3) as loket:
        employments = list(loket.employments(_first_employer(loket)))
    assert len(employments) == SandboxEmployment.objects.filter(employee__employer__employer_number=20001).count()
    assert sleep.waits
    assert set(sleep.waits) == {7.0}


def test_5xx_is_retried_with_backoff_and_completes(settings: Any, transport: Any, tokens: TokenSet) -> None:
    faulty = _faulty(settings, "500=0.25,503=0.25,seed=5")
    sleep = Recording()
    with LoketClient(API_URL, lambda: tokens.access_token, transport=faulty, sleep=sleep, page_size=1, seed=1) as loket:
        employments = list(loket.employments(_first_employer(loket)))
    assert employments
    assert sleep.waits
    assert all(0 < wait <= 30 for wait in sleep.waits)


def test_retries_run_out_into_a_typed_error(settings: Any, transport: Any, tokens: TokenSet) -> None:
    faulty = _faulty(settings, "503=1.0")
    sleep = Recording()
    policy = RetryPolicy(max_attempts=3)
    with (
        LoketClient(API_URL, lambda: tokens.access_token, transport=faulty, sleep=sleep, retry=policy) as loket,
        pytest.raises(errors.ServerError) as failed,
    ):
        loket.employers()
    assert failed.value.status == 503
    assert len(sleep.waits) == 2


def test_a_post_is_not_retried_on_500(settings: Any, transport: Any, tokens: TokenSet) -> None:
    employment = SandboxEmployment.objects.filter(employee__employer__employer_number=20001).first()
    faulty = _faulty(settings, "500=1.0")
    sleep = Recording()
    with (
        LoketClient(API_URL, lambda: tokens.access_token, transport=faulty, sleep=sleep) as loket,
        pytest.raises(errors.ServerError),
    ):
        loket.create_benefit_and_deduction(str(employment.id), PENSIFY_KEY, date(2025, 1, 1), Decimal("1.00"))
    assert sleep.waits == []  # Loket may have booked it: the caller decides, after reading back


class Corrupting(httpx2.BaseTransport):
    """The API at the boundary, sending one malformed item and one unknown field per list page."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        response.read()
        data = json.loads(response.content)
        if isinstance(data.get("_embedded"), list) and data["_embedded"]:
            data["_embedded"][0]["startDate"] = "31-12-2024"  # not ISO: malformed
            for item in data["_embedded"]:
                item["newFieldFromLoket"] = {"ignored": True}
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx2.Response(response.status_code, headers=headers, content=json.dumps(data).encode())


def test_malformed_items_are_skipped_and_reported_unknown_fields_ignored(transport: Any, tokens: TokenSet) -> None:
    with LoketClient(API_URL, lambda: tokens.access_token, transport=Corrupting(transport), page_size=4) as loket:
        employer_id = str(SandboxEmployer.objects.get(employer_number=20001).id)
        employments = list(loket.employments(employer_id))
    total = SandboxEmployment.objects.filter(employee__employer__id=employer_id).count()
    pages = -(-total // 4)
    assert len(employments) == total - pages
    assert len(loket.skipped) == pages
    assert all("startDate" in s.reason and s.item_id for s in loket.skipped)


@pytest.fixture
def live_client(live_server: Any, transactional_db: Any) -> Iterator[LoketClient]:
    from inleg.sandbox.seed import seed

    seed(employers=2, employees=6, rng_seed=3)
    tokens = connect(oauth_for(None, live_server.url))
    with LoketClient(f"{live_server.url}/v2", lambda: tokens.access_token) as loket:
        yield loket


def test_over_http(live_client: LoketClient) -> None:
    employer_id = _first_employer(live_client)
    assert list(live_client.employments(employer_id))
    assert "GetEmployeesByEmployerId" in live_client.authorizations(employer_id)
