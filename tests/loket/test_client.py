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
from inleg.sandbox.core.models import PayrollAdministration as SandboxAdministration
from inleg.sandbox.core.models import PayrollResult as SandboxResult
from inleg.sandbox.core.models import Wage as SandboxWage
from inleg.sandbox.core.models import WorkingHours as SandboxWorkingHours
from inleg.sandbox.payroll.run import approve_run, run_period
from inleg.sandbox.seed import NET_DEDUCTION_KEY, PENSIFY_KEY
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
    assert (made.component_description, made.employment_id) == ("Pensify Inleg", employment.id)
    listed = {r.id: r for r in client.benefits_and_deductions(employment.id, PENSIFY_KEY)}
    assert listed[made.id] == made
    assert listed[made.id].etag is None  # a list sends no versions
    record = client.benefit_and_deduction(made.id)
    assert (record.id, record.value, record.start_date) == (made.id, made.value, made.start_date)
    assert record.etag
    assert record.etag == made.etag  # the POST's version is the record's
    updated = client.update_benefit_and_deduction(made.id, date(2027, 1, 1), Decimal("130.00"), if_match=record.etag)
    assert updated.value == Decimal("130.00")
    assert updated.etag
    assert updated.etag != record.etag
    with pytest.raises(errors.Conflict):  # the ETag read before the update is stale now
        client.update_benefit_and_deduction(made.id, date(2027, 1, 1), Decimal("140.00"), if_match=record.etag)
    again = client.update_benefit_and_deduction(made.id, date(2027, 1, 1), Decimal("140.00"), if_match=updated.etag)
    assert again.value == Decimal("140.00")  # the PUT's ETag is the one to use next
    with pytest.raises(errors.Conflict):
        client.delete_benefit_and_deduction(made.id, if_match=updated.etag)
    client.delete_benefit_and_deduction(made.id, if_match=again.etag)
    with pytest.raises(errors.NotFound):
        client.benefit_and_deduction(made.id)


def test_a_later_value_closes_the_open_one_and_an_overlap_is_refused(client: LoketClient) -> None:
    employment = next(iter(client.employments(_first_employer(client))))
    first = client.create_benefit_and_deduction(employment.id, PENSIFY_KEY, date(2025, 1, 1), Decimal("100.00"))
    client.create_benefit_and_deduction(employment.id, PENSIFY_KEY, date(2025, 4, 1), Decimal("150.00"))
    closed = client.benefit_and_deduction(first.id)
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


# --- wages, working hours, fixed values of the whole employer; payroll periods and results ---------


def _valid_on(records: Any, day: date) -> dict[str, Any]:
    return {
        str(r.employment_id): r for r in records if r.start_date <= day and (r.end_date is None or r.end_date >= day)
    }


def test_actual_wages_and_working_hours_of_the_whole_employer(transport: Any, tokens: TokenSet) -> None:
    client = LoketClient(API_URL, lambda: tokens.access_token, transport=transport, page_size=2)
    employer_id = _first_employer(client)
    day = date(2025, 6, 1)
    wages = {w.employment_id: w for w in client.actual_wages(employer_id, day)}
    hours = {h.employment_id: h for h in client.actual_working_hours(employer_id, day)}
    expected_wages = _valid_on(SandboxWage.objects.filter(employment__employee__employer_id=employer_id), day)
    expected_hours = _valid_on(
        SandboxWorkingHours.objects.select_related("shift").filter(employment__employee__employer_id=employer_id), day
    )
    assert len(expected_wages) > 2  # more than one page of 2
    assert wages.keys() == expected_wages.keys()
    assert hours.keys() == expected_hours.keys()
    assert client.skipped == []
    for employment_id, wage in wages.items():
        record = expected_wages[employment_id]
        assert (wage.id, wage.gross_wage, wage.start_date, wage.end_date) == (
            str(record.id), record.gross_wage, record.start_date, record.end_date)  # fmt: skip
        assert isinstance(wage.gross_wage, Decimal)
        assert wage.is_periodic
        assert wage.is_gross_wage_full_time
        assert (wage.payroll_period_type_key, wage.payroll_period_type) == (1, "Maand")
    for employment_id, worked in hours.items():
        record = expected_hours[employment_id]
        assert worked.part_time_factor == record.part_time_factor
        assert worked.full_time_hours_per_week == Decimal(40)  # employer 20001's shift
        assert worked.hours_per_week == (record.deviating_hours_per_week or Decimal(40))
    assert any(h.part_time_factor != 1 for h in hours.values())


def test_the_reference_date_picks_the_record_of_that_day(client: LoketClient) -> None:
    employer_id = _first_employer(client)
    chained = next(
        e for e in SandboxEmployment.objects.filter(employee__employer_id=employer_id) if e.wages.count() > 1
    )
    first, second = chained.wages.order_by("start_date")[:2]
    on = {d: {str(w.employment_id): w for w in client.actual_wages(employer_id, d)}[str(chained.id)]
          for d in (first.end_date, second.start_date)}  # fmt: skip
    assert (on[first.end_date].gross_wage, on[second.start_date].gross_wage) == (first.gross_wage, second.gross_wage)


def test_actual_benefits_hold_only_what_is_valid_on_the_day(client: LoketClient) -> None:
    employer_id = _first_employer(client)
    employment = next(iter(client.employments(employer_id)))
    client.create_benefit_and_deduction(employment.id, NET_DEDUCTION_KEY, date(2031, 1, 1), Decimal("15.00"))
    now = [b for b in client.actual_benefits_and_deductions(employer_id, date(2030, 6, 1))
           if b.employment_id == employment.id and b.component_key == NET_DEDUCTION_KEY]  # fmt: skip
    later = [b for b in client.actual_benefits_and_deductions(employer_id, date(2031, 6, 1))
             if b.employment_id == employment.id and b.component_key == NET_DEDUCTION_KEY]  # fmt: skip
    assert Decimal("15.00") not in [b.value for b in now]  # not yet valid: read per employment to see it
    assert [b.value for b in later] == [Decimal("15.00")]
    assert later[0].component_description == "Netto inleg"
    everyone = list(client.actual_benefits_and_deductions(employer_id, date(2025, 6, 1)))
    assert len({b.employment_id for b in everyone}) > 1  # several employments in one list
    assert all(isinstance(b.value, Decimal) for b in everyone)


def test_payroll_periods_and_the_results_of_an_approved_one(client: LoketClient) -> None:
    employer_id = _first_employer(client)
    [administration] = client.payroll_administrations(employer_id)
    admin = SandboxAdministration.objects.get(pk=administration.id)
    approve_run(run_period(admin, 2025, 3))
    run_period(admin, 2025, 4)  # computed, not approved
    periods = {p.period_number: p for p in client.payroll_periods(administration.id, 2025)}
    assert sorted(periods) == list(range(1, 13))
    march = periods[3]
    assert (march.id, march.start_date, march.end_date) == (202503, date(2025, 3, 1), date(2025, 3, 31))
    assert march.approved
    assert not periods[4].approved
    assert not periods[5].runs
    assert client.payroll_periods(administration.id, 2019) == []
    results = {r.employment_id: r for r in client.period_results(administration.id, march.id)}
    lines = SandboxResult.objects.filter(run__period__year=2025, run__period__period_number=3, run__status=9)
    assert results.keys() == {str(i) for i in lines.values_list("employment_id", flat=True)}
    paying = [r for r in results.values() if r.amount(990, 5)]
    assert paying  # the seed gives most of them Pensify Inleg or Netto inleg
    for result in paying:
        rows = lines.filter(employment_id=result.employment_id)
        gross = sum((x.value for x in rows.filter(component_key=PENSIFY_KEY, column=1)), Decimal(0))
        assert result.amount(PENSIFY_KEY, 1) == gross  # paid gross (column 1)
        assert result.amount(PENSIFY_KEY, 2) == gross  # withheld again net (column 2)
        assert result.amount(990, 5) == gross + result.amount(NET_DEDUCTION_KEY, 2)  # the excasso (column 5)
        assert (result.year, result.period_number, result.start_date) == (2025, 3, date(2025, 3, 1))
    only = list(client.period_results(administration.id, march.id, components=[990]))
    assert {line.component_key for r in only for line in r.lines} == {990}
    assert all(line.column == "Excasso" for r in only for line in r.lines)
    assert list(client.period_results(administration.id, 202504)) == []  # not approved: no results yet
    with pytest.raises(ValueError, match="components"):
        client.period_results(administration.id, march.id, components=[])


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
    employments = {e.id for e in live_client.employments(employer_id) if e.end_date is None}
    assert employments
    assert "GetEmployeesByEmployerId" in live_client.authorizations(employer_id)
    wages = list(live_client.actual_wages(employer_id, date(2026, 6, 1)))
    hours = list(live_client.actual_working_hours(employer_id, date(2026, 6, 1)))
    assert {w.employment_id for w in wages} == {h.employment_id for h in hours} == employments
    assert all(w.gross_wage for w in wages)
    assert all(h.part_time_factor for h in hours)
