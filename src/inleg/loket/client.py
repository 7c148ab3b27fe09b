"""The Loket.nl REST API v2 client: paging, resource versions, retries with backoff, typed errors.

It takes its transport as a parameter (``httpx2.WSGITransport(app)`` runs the sandbox in-process in
tests) and the access token as a callable, so refreshing tokens stays with whoever stores them.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import httpx2

from inleg.loket import errors
from inleg.loket.models import (
    BenefitAndDeduction,
    BenefitEnd,
    CollectiveAction,
    Employee,
    Employer,
    Employment,
    NewBenefit,
    PayrollAdministration,
    PayrollComponent,
    PayrollPeriod,
    PeriodResult,
    SkippedItem,
    VersionNumber,
    Wage,
    WorkingHours,
)

T = TypeVar("T")

# Resource versions this client reads (Accept: application/json;version=...), pinned so that a new
# version on Loket's side never changes what we parse.
V2018 = "2018-01-01"
V_EMPLOYEES = "2021-03-29"
V_EMPLOYMENTS = "2019-12-16"
V_AUTHORIZATIONS = "2019-02-11"

_RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to wait: exponential backoff with jitter, ``Retry-After`` honoured."""

    max_attempts: int = 5
    base_seconds: float = 0.5
    max_seconds: float = 30.0
    max_retry_after: float = 120.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        ceiling: float = min(self.max_seconds, self.base_seconds * 2.0 ** (attempt - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


def _retry_after(response: httpx2.Response, now: Callable[[], datetime]) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now()).total_seconds())


def encode_json(body: Any) -> bytes:
    """JSON with ``Decimal`` written as an exact number (Loket's amounts are JSON numbers, never floats)."""
    mark = secrets.token_hex(8)  # a fresh marker per body, so no text in the body can look like one

    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"not a number: {value}")
            return f"{mark}{value:f}{mark}"
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(f"cannot encode {value!r}")

    pattern = re.compile(f'"{mark}(-?[0-9]+(?:\\.[0-9]+)?){mark}"')
    return pattern.sub(r"\1", json.dumps(body, default=default)).encode()


class LoketClient:
    """A client for one Loket user's token. Not thread-safe; make one per task."""

    def __init__(
        self,
        api_url: str,
        token: Callable[[], str],
        *,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        page_size: int = 250,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
    ) -> None:
        self._http = httpx2.Client(base_url=api_url.rstrip("/"), transport=transport, timeout=timeout)
        self._token = token
        self._retry = retry or RetryPolicy()
        self._page_size = page_size
        self._sleep = sleep
        self._rng = random.Random(seed)
        self.skipped: list[SkippedItem] = []
        self.retries = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LoketClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- the protocol ---------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        activity: str,
        version: str = V2018,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        if_match: str | None = None,
    ) -> httpx2.Response:
        """One call with retries. POST is retried only where Loket cannot have acted (429, 503)."""
        headers = {"Authorization": f"Bearer {self._token()}", "Accept": f"application/json;version={version}"}
        content = None
        if body is not None:
            content = encode_json(body)
            headers["Content-Type"] = "application/json"
        if if_match is not None:
            headers["If-Match"] = if_match
        idempotent = method != "POST"
        for attempt in range(1, self._retry.max_attempts + 1):
            last = attempt == self._retry.max_attempts
            try:
                response = self._http.request(method, path, params=params, content=content, headers=headers)
            except httpx2.TransportError as error:
                never_sent = isinstance(error, httpx2.ConnectError)
                if last or not (idempotent or never_sent):
                    raise errors.TransportError(f"{method} {path}: {error.__class__.__name__}: {error}") from error
                self._wait(self._retry.backoff(attempt, self._rng))
                continue
            status = response.status_code
            retryable = status in (429, 503) or (idempotent and status in _RETRY_STATUSES)
            if retryable and not last:
                after = _retry_after(response, lambda: datetime.now(UTC))
                wait = min(after, self._retry.max_retry_after) if after is not None else None
                self._wait(wait if wait is not None else self._retry.backoff(attempt, self._rng))
                continue
            if status >= 400:
                raise self._error(method, path, response, activity)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, seconds: float) -> None:
        self.retries += 1
        self._sleep(seconds)

    def _error(self, method: str, path: str, response: httpx2.Response, activity: str) -> errors.ApiError:
        status = response.status_code
        try:
            data = _loads(response.content) if response.content else None
        except errors.MalformedResponse:
            data = None
        detail = ""
        messages: tuple[errors.Message, ...] = ()
        if isinstance(data, Mapping):
            detail = str(data.get("message") or data.get("Message") or "")
            messages = tuple(_message(m) for m in data.get("messages") or () if isinstance(m, Mapping))
            if not detail and messages:
                detail = "; ".join(m.description for m in messages)
        elif response.content:
            detail = response.text[:500]
        if status == 401:
            return errors.Unauthorized(method, path, status, detail)
        if status == 403:
            return errors.Forbidden(method, path, status, detail, activity)
        if status == 404:
            return errors.NotFound(method, path, status, detail)
        if status == 409:
            return errors.Conflict(method, path, status, detail, messages)
        if status == 429:
            return errors.RateLimited(method, path, status, detail or "too many requests")
        if status >= 500:
            return errors.ServerError(method, path, status, detail or response.reason_phrase)
        return errors.BadRequest(method, path, status, detail, messages)

    def _document(self, response: httpx2.Response) -> Mapping[str, Any]:
        data = _loads(response.content)
        if not isinstance(data, Mapping):
            raise errors.MalformedResponse(f"{response.request.url}: expected a JSON object")
        return data

    def _content(self, response: httpx2.Response) -> Mapping[str, Any]:
        content = self._document(response).get("content")
        if not isinstance(content, Mapping):
            raise errors.MalformedResponse(f"{response.request.url}: no content object")
        return content

    def iterate(
        self,
        path: str,
        parse: Callable[[Mapping[str, Any]], T],
        *,
        activity: str,
        version: str = V2018,
        params: Mapping[str, Any] | None = None,
        page_size: int | None = None,
    ) -> Iterator[T]:
        """Every item of a list, page by page; items that cannot be read go to ``skipped``."""
        page = 1
        size = page_size or self._page_size
        while True:
            query = {**(params or {}), "pageNumber": page, "pageSize": size}
            document = self._document(self.request("GET", path, activity=activity, version=version, params=query))
            embedded = document.get("_embedded")
            items = embedded if isinstance(embedded, list) else [embedded] if isinstance(embedded, Mapping) else []
            for index, item in enumerate(items):
                position = (page - 1) * size + index
                if not isinstance(item, Mapping):
                    self.skipped.append(SkippedItem(path, position, f"not an object: {item!r}"[:200]))
                    continue
                try:
                    yield parse(item)
                except ValueError as problem:
                    item_id = item.get("id") if isinstance(item.get("id"), str) else None
                    self.skipped.append(SkippedItem(path, position, str(problem), item_id))
            total_pages = document.get("totalPages")
            current = document.get("currentPage", page)
            if not isinstance(total_pages, int) or not isinstance(current, int) or current >= total_pages:
                return
            page = current + 1

    # --- what the platform uses ------------------------------------------------------------------

    def employers(self) -> list[Employer]:
        return list(self.iterate("/providers/employers", Employer.parse, activity="GetEmployersByUserId"))

    def authorizations(self, employer_id: str) -> set[str]:
        """The activities (operationIds) the user holds for this employer."""
        path = f"/providers/employers/{employer_id}/authorizations"

        def parse(item: Mapping[str, Any]) -> str:
            name = item.get("description") or item.get("name")
            if not isinstance(name, str):
                raise ValueError("description: missing")
            return name

        return set(self.iterate(path, parse, activity="GetAuthorizationsByEmployerId", version=V_AUTHORIZATIONS))

    def employees(self, employer_id: str) -> Iterator[Employee]:
        path = f"/providers/employers/{employer_id}/employees"
        return self.iterate(path, Employee.parse, activity="GetEmployeesByEmployerId", version=V_EMPLOYEES)

    def employee(self, employee_id: str) -> Employee:
        path = f"/providers/employers/employees/{employee_id}"
        response = self.request("GET", path, activity="GetEmployeeByEmployeeId", version=V_EMPLOYEES)
        return Employee.parse(self._content(response))

    def employments(self, employer_id: str, *, filter: str | None = None) -> Iterator[Employment]:
        path = f"/providers/employers/{employer_id}/employees/employments"
        params = {"filter": filter} if filter else None
        return self.iterate(
            path, Employment.parse, activity="GetEmploymentsByEmployerId", version=V_EMPLOYMENTS, params=params
        )

    def employment(self, employment_id: str) -> Employment:
        path = f"/providers/employers/employees/employments/{employment_id}"
        response = self.request("GET", path, activity="GetEmploymentByEmploymentId", version=V_EMPLOYMENTS)
        return Employment.parse(self._content(response))

    def employment_version_numbers(self, employer_id: str, greater_than: int | None = None) -> list[VersionNumber]:
        """Employments whose fixed data changed after ``greater_than`` (all when None)."""
        path = f"/providers/employers/{employer_id}/employees/employments/lastmodifiedversionnumbers"
        params = {"filter": f"lastModifiedVersionNumber gt {greater_than}"} if greater_than is not None else None
        activity = "GetEmploymentLastModifiedVersionNumbersByUser"
        return list(self.iterate(path, VersionNumber.parse, activity=activity, params=params))

    def payroll_administrations(self, employer_id: str) -> list[PayrollAdministration]:
        path = f"/providers/employers/{employer_id}/payrolladministrations"
        activity = "GetPayrollAdministrationsByEmployerId"
        return list(self.iterate(path, PayrollAdministration.parse, activity=activity))

    def payroll_components(self, administration_id: str, year: int) -> list[PayrollComponent]:
        path = f"/providers/employers/payrolladministrations/{administration_id}/payrollcomponents/year/{year}"
        activity = "GetPayrollComponentsByPayrollAdministrationIdAndYear"
        return list(self.iterate(path, PayrollComponent.parse, activity=activity))

    def benefits_and_deductions(
        self, employment_id: str, component_key: int | None = None
    ) -> list[BenefitAndDeduction]:
        """Every fixed value of the employment (all dates: past, current and future), of one component if given."""
        path = f"/providers/employers/employees/employments/{employment_id}/benefitsanddeductions"
        params = {"filter": f"payrollComponent.key eq {component_key}"} if component_key is not None else None
        activity = "GetBenefitsAndDeductionsByEmploymentId"

        def parse(item: Mapping[str, Any]) -> BenefitAndDeduction:
            return BenefitAndDeduction.parse(item, employment_id=employment_id)

        return list(self.iterate(path, parse, activity=activity, params=params))

    def actual_benefits_and_deductions(
        self,
        employer_id: str,
        reference_date: date | None = None,
        *,
        component_key: int | None = None,
        page_size: int | None = None,
    ) -> Iterator[BenefitAndDeduction]:
        """The fixed values of every employment of the employer valid on ``reference_date`` (Loket: today), of
        one component if given.

        Few calls for a whole employer, but only what is valid on that day: a record that starts later is not
        in it, so an employment with a change ahead is still read with ``benefits_and_deductions``.
        """
        path = f"/providers/employers/{employer_id}/employees/employments/actualbenefitsanddeductions"
        activity = "GetActualBenefitsAndDeductionsByEmployerId"
        params: dict[str, str] = dict(_reference(reference_date) or {})
        if component_key is not None:
            params["filter"] = f"benefitsAndDeductions.payrollComponent.key eq {int(component_key)}"
        parse = BenefitAndDeduction.parse_actual
        return self.iterate(path, parse, activity=activity, params=params or None, page_size=page_size)

    def create_benefits_and_deductions(self, employer_id: str, items: Iterable[NewBenefit]) -> CollectiveAction:
        """Many new fixed values in one call (each closes an open earlier record of its chain, as a single POST).

        Loket answers 200 when at least one item was processed; the failed ones are in ``messages`` by employment
        id. When none was, it is a 400 (``BadRequest`` with the items' messages). The answer names no record: read
        them back. Not retried where Loket may have acted, as a single POST.
        """
        body = [
            {
                "employmentId": i.employment_id,
                "payrollComponent": {"key": i.component_key},
                "startDate": i.start_date,
                "value": i.value,
            }
            for i in items
        ]
        return self._collective("POST", employer_id, body, "PostCollectiveBenefitsAndDeductionsByEmployerId")

    def end_benefits_and_deductions(self, employer_id: str, items: Iterable[BenefitEnd]) -> CollectiveAction:
        """Set the end date of many fixed values in one call (no ``If-Match``: Loket's collective PUT has none).

        Failed items are in ``messages`` by record id; a 400 when none succeeded.
        """
        body = [
            {"benefitAndDeductionId": i.record_id, "employmentId": i.employment_id, "endDate": i.end_date}
            for i in items
        ]
        return self._collective("PUT", employer_id, body, "PutCollectiveBenefitsAndDeductionsByEmployerId")

    def _collective(self, method: str, employer_id: str, body: list[dict[str, Any]], activity: str) -> CollectiveAction:
        if not body:
            raise ValueError("items: give at least one item")
        path = f"/providers/employers/{employer_id}/employees/employments/benefitsanddeductions"
        response = self.request(method, path, activity=activity, body=body)
        document = self._document(response)
        raw = document.get("messages")
        messages = tuple(_message(m) for m in raw if isinstance(m, Mapping)) if isinstance(raw, list) else ()
        try:
            return CollectiveAction.parse(self._content(response), messages)
        except ValueError as problem:
            raise errors.MalformedResponse(f"{method} {path}: {problem}") from None

    def benefit_and_deduction(self, record_id: str) -> BenefitAndDeduction:
        """A fixed value, with its ``etag`` (for ``If-Match`` on update or delete)."""
        path = f"/providers/employers/employees/employments/benefitsAndDeductions/{record_id}"
        response = self.request("GET", path, activity="GetBenefitsAndDeductionsBybenefitsAndDeductionsId")
        return BenefitAndDeduction.parse(self._content(response), etag=response.headers.get("ETag"))

    def create_benefit_and_deduction(
        self, employment_id: str, component_key: int, start_date: date, value: Decimal, end_date: date | None = None
    ) -> BenefitAndDeduction:
        """A new fixed value from ``start_date``; Loket closes an open earlier record of the component.

        Not retried after a failure where Loket may have booked it: read the chain back before writing again.
        """
        path = f"/providers/employers/employees/employments/{employment_id}/benefitsanddeductions"
        body = {
            "startDate": start_date,
            "endDate": end_date,
            "payrollComponent": {"key": component_key},
            "value": value,
        }
        response = self.request("POST", path, activity="PostbenefitsAndDeductionsByEmploymentId", body=body)
        return BenefitAndDeduction.parse(
            self._content(response), employment_id=employment_id, etag=response.headers.get("ETag")
        )

    def update_benefit_and_deduction(
        self,
        record_id: str,
        start_date: date,
        value: Decimal,
        end_date: date | None = None,
        *,
        if_match: str | None = None,
    ) -> BenefitAndDeduction:
        """Rewrite a record's dates and value (its component cannot change); a stale ``if_match`` is a Conflict."""
        path = f"/providers/employers/employees/employments/benefitsAndDeductions/{record_id}"
        body = {"startDate": start_date, "endDate": end_date, "value": value}
        activity = "PutBenefitsAndDeductionsByBenefitsAndDeductionsId"
        response = self.request("PUT", path, activity=activity, body=body, if_match=if_match)
        return BenefitAndDeduction.parse(self._content(response), etag=response.headers.get("ETag"))

    def delete_benefit_and_deduction(self, record_id: str, *, if_match: str | None = None) -> None:
        path = f"/providers/employers/employees/employments/benefitsAndDeductions/{record_id}"
        self.request("DELETE", path, activity="DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId", if_match=if_match)

    # --- wages and working hours of a whole employer ----------------------------------------------------

    def actual_wages(self, employer_id: str, reference_date: date | None = None) -> Iterator[Wage]:
        """The wage of every employment of the employer valid on ``reference_date`` (Loket: today), all pages."""
        path = f"/providers/employers/{employer_id}/actualwages"
        params = _reference(reference_date)
        return self.iterate(path, Wage.parse_actual, activity="GetActualWagesByEmployerId", params=params)

    def actual_working_hours(self, employer_id: str, reference_date: date | None = None) -> Iterator[WorkingHours]:
        """The working hours of every employment valid on ``reference_date`` (Loket: today), all pages."""
        path = f"/providers/employers/{employer_id}/actualworkinghours"
        params = _reference(reference_date)
        activity = "GetActualWorkingHoursByEmployerId"
        return self.iterate(path, WorkingHours.parse_actual, activity=activity, params=params)

    # --- payroll periods and their results --------------------------------------------------------------

    def payroll_periods(self, administration_id: str, year: int | None = None) -> list[PayrollPeriod]:
        """The administration's payroll periods with their runs (of one year if given: Loket has no filter)."""
        path = f"/providers/employers/payrolladministrations/{administration_id}/payrollperiods"
        activity = "GetPayrollPeriodsByPayrollAdministrationId"
        periods = self.iterate(path, PayrollPeriod.parse, activity=activity)
        return [p for p in periods if year is None or p.year == year]

    def period_results(
        self, administration_id: str, period_id: int, components: Iterable[int] | None = None
    ) -> Iterator[PeriodResult]:
        """What the approved payroll of a period holds per employment (only components listed, if given).

        ``period_id`` is Loket's period id (``PayrollPeriod.id``: year * 100 + period number). A period
        without an approved run has no results.
        """
        path = (
            f"/providers/employers/payrolladministrations/{administration_id}/payrollperiods/{period_id}/payrollresults"
        )
        params = None
        if components is not None:
            keys = [str(k) for k in components]
            if not keys:
                raise ValueError("components: give at least one component number, or None for all")
            params = {"payrollComponents": ",".join(keys)}
        activity = "GetPayrollPeriodResultsByPayrollAdministrationIdAndPayrollPeriodId"
        # An employer-wide list: read in Loket's largest pages (the sandbox's 1,000; Loket documents no maximum).
        pages = self.iterate(path, PeriodResult.parse_all, activity=activity, params=params, page_size=1000)
        return (result for results in pages for result in results)


def _reference(reference_date: date | None) -> dict[str, str] | None:
    return {"referenceDate": reference_date.isoformat()} if reference_date is not None else None


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw, parse_float=Decimal)
    except ValueError as error:
        raise errors.MalformedResponse(f"not JSON: {error}") from None


def _message(data: Mapping[str, Any]) -> errors.Message:
    code = data.get("code")
    properties = data.get("properties")
    return errors.Message(
        type=str(data.get("type") or ""),
        description=str(data.get("description") or ""),
        code=code if isinstance(code, int) else None,
        id=data.get("id") if isinstance(data.get("id"), str) else None,
        properties=tuple(str(p) for p in properties) if isinstance(properties, list) else (),
    )
