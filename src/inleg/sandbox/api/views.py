"""The /v2 operations of the Loket API the platform uses, by operationId of the official description."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone

from inleg.sandbox.api import serializers as ser
from inleg.sandbox.api.bodies import FIRST_DAY, LAST_DAY, check_day, read_body
from inleg.sandbox.api.context import Context
from inleg.sandbox.api.errors import ApiError, message, not_found
from inleg.sandbox.api.jsonio import dumps, item, respond
from inleg.sandbox.api.paging import envelope, page, page_list, paging_of
from inleg.sandbox.api.preconditions import check_if_match
from inleg.sandbox.api.routing import operation
from inleg.sandbox.core.chains import Overlap, check_update, day_before, place
from inleg.sandbox.core.models import (
    BENEFIT_CATEGORIES,
    BENEFIT_VALUE_MAX,
    BENEFIT_VALUE_MIN,
    BenefitDeduction,
    Employee,
    Employer,
    Employment,
    EmploymentFund,
    Fund,
    PayrollAdministration,
    PayrollComponent,
    PayrollPeriod,
    PayrollResult,
    PayrollRun,
    Provider,
    RunStatus,
    Wage,
    WorkingHours,
    next_versions,
)
from inleg.sandbox.core.rights import activities_for
from inleg.sandbox.payroll.calendar import period_count
from inleg.sandbox.payroll.periods import ensure_periods

WAGE_TAX_WARNING = (
    "Wage tax (loonheffing) is not computed by the sandbox: the results hold no wage tax and no net wage."
)


def _get[M: Model](model: type[M], pk: Any, **related: Any) -> M:
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise not_found() from None
    queryset = model._default_manager.all()
    if related.get("select"):
        queryset = queryset.select_related(*related["select"])
    obj = queryset.filter(pk=key).first()
    if obj is None:
        raise not_found()
    return obj


# ---- providers, user, employers ------------------------------------------------------------------


@operation("GetProvidersByUser")
def providers(ctx: Context) -> HttpResponse:
    ctx.require_client()
    ids = set(ctx.user.employers().values_list("provider_id", flat=True))
    if ctx.user.provider_id:
        ids.add(ctx.user.provider_id)
    return page(ctx, Provider.objects.filter(pk__in=ids), ser.provider, {"id": "id", "name": "name"}, ("name", "id"))


@operation("GetUserByToken")
def current_user(ctx: Context) -> HttpResponse:
    ctx.require_client()
    return item(ctx, ser.user(ctx.user))


EMPLOYER_FIELDS = {"id": "id", "employernumber": "employer_number", "companyname": "company_name",
                   "address.city": "city", "chamberofcommercenumber": "chamber_of_commerce_number"}  # fmt: skip


@operation("GetEmployersByUserId")
def employers(ctx: Context) -> HttpResponse:
    ctx.require_client()
    return page(ctx, ctx.user.employers(), ser.employer, EMPLOYER_FIELDS, ("employer_number",))


@operation("GetEmployerByEmployerId")
def employer_detail(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    return item(ctx, ser.employer(employer), etag=employer.etag)


@operation("GetAuthorizationsByEmployerId")
def authorizations(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    names = sorted(activities_for(ctx.user.rights_for(employer)))
    if ctx.version >= "2019-02-11":
        rows = [{"id": uuid.uuid5(uuid.NAMESPACE_URL, f"loket-activity:{n}"), "description": n} for n in names]
    else:
        rows = [{"name": n} for n in names]
    return page_list(ctx, rows)


@operation("GetEmployerLastModifiedVersionNumbersByUser")
def employer_versions(ctx: Context) -> HttpResponse:
    ctx.require_client()
    fields = {"id": "id", "lastmodifiedversionnumber": "version"}
    return page(ctx, ctx.user.employers(), lambda e: {"id": e.id, "lastModifiedVersionNumber": e.version}, fields,
                ("version", "id"))  # fmt: skip


# ---- employees and employments ---------------------------------------------------------------------

EMPLOYEE_FIELDS = {"id": "id", "employeenumber": "employee_number", "personaldetails.lastname": "last_name",
                   "personaldetails.firstname": "first_name", "personaldetails.dateofbirth": "date_of_birth"}  # fmt: skip  # noqa: E501 L


@operation("GetEmployeesByEmployerId")
def employees(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    return page(ctx, Employee.objects.filter(employer=employer), lambda e: ser.employee(e, ctx.version),
                EMPLOYEE_FIELDS, ("employee_number",))  # fmt: skip


@operation("GetEmployeeByEmployeeId")
def employee_detail(ctx: Context, employee_id: str) -> HttpResponse:
    employee = _get(Employee, employee_id)
    ctx.require(employee.employer_id)
    content = ser.employee(employee, ctx.version)
    return item(ctx, content, etag=f'"{hashlib.sha256(dumps(content).encode()).hexdigest()[:32]}"')


EMPLOYMENT_FIELDS = {"id": "id", "startdate": "start_date", "enddate": "end_date", "payrollid": "payroll_id",
                     "employee.id": "employee_id", "employee.employeenumber": "employee__employee_number",
                     "employee.lastname": "employee__last_name", "payrolladministration.id": "administration_id",
                     "payrolladministration.clientnumber": "administration__client_number"}  # fmt: skip


def _employments() -> QuerySet[Employment]:
    return Employment.objects.select_related("employee", "administration")


@operation("GetEmploymentsByEmployerId")
def employments(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    queryset = _employments().filter(employee__employer=employer)
    return page(ctx, queryset, ser.employment, EMPLOYMENT_FIELDS, ("employee__employee_number", "start_date", "id"))


@operation("GetEmploymentsByEmployeeId")
def employee_employments(ctx: Context, employee_id: str) -> HttpResponse:
    employee = _get(Employee, employee_id)
    ctx.require(employee.employer_id)
    queryset = _employments().filter(employee=employee)
    return page(ctx, queryset, ser.employment, EMPLOYMENT_FIELDS, ("start_date", "id"))


@operation("GetEmploymentByEmploymentId")
def employment_detail(ctx: Context, employment_id: str) -> HttpResponse:
    employment = _get(Employment, employment_id, select=("employee", "administration"))
    ctx.require(employment.employee.employer_id)
    return item(ctx, ser.employment(employment), etag=employment.etag)


@operation("GetEmploymentLastModifiedVersionNumbersByUser")
def employment_versions(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    fields = {"id": "id", "lastmodifiedversionnumber": "version"}
    return page(ctx, Employment.objects.filter(employee__employer=employer).only("id", "version"),
                lambda m: {"id": m.id, "lastModifiedVersionNumber": m.version}, fields, ("version", "id"))  # fmt: skip


# ---- payroll administrations and components --------------------------------------------------------------


@operation("GetPayrollAdministrationsByEmployerId")
def administrations(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    fields = {"id": "id", "name": "name", "clientnumber": "client_number"}
    queryset = PayrollAdministration.objects.select_related("employer").filter(employer=employer)
    return page(ctx, queryset, ser.administration, fields, ("client_number", "id"))


def _year(ctx: Context, raw: str) -> int:
    try:
        year = int(raw)
    except ValueError:
        raise ctx.bad_request(f"year: '{raw}' is not a year.", properties=["year"]) from None
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise ctx.bad_request(f"year: '{raw}' lies outside {FIRST_DAY.year}..{LAST_DAY.year}.", properties=["year"])
    return year


@operation("GetPayrollComponentsByPayrollAdministrationIdAndYear")
def components(ctx: Context, administration_id: str, year: str) -> HttpResponse:
    admin = _get(PayrollAdministration, administration_id)
    ctx.require(admin.employer_id)
    _year(ctx, year)
    rows = [ser.component(c) for c in admin.components.all()]
    response = page_list(ctx, rows)
    response["ETag"] = f'"{admin.version}-{len(rows)}"'
    return response


# ---- benefits and deductions -----------------------------------------------------------------------------


def _date(ctx: Context, data: dict[str, Any], name: str, required: bool) -> date | None:
    raw = data.get(name)
    if raw is None:
        if required:
            raise ctx.bad_request(f"{name} is required.", properties=[name])
        return None
    if not isinstance(raw, str):
        raise ctx.bad_request(f"{name}: {raw!r} is not a date (YYYY-MM-DD).", properties=[name])
    try:
        day = date.fromisoformat(raw[:10]) if len(raw) >= 10 and raw[10:11] in ("", "T") else date.fromisoformat(raw)
    except ValueError:
        raise ctx.bad_request(f"{name}: '{raw}' is not a date (YYYY-MM-DD).", properties=[name]) from None
    return check_day(ctx, name, raw, day)


def _amount(ctx: Context, raw: Any, name: str, low: Decimal, high: Decimal, places: int) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
        raise ctx.bad_request(f"{name}: {raw!r} is not a number.", properties=[name])
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ctx.bad_request(f"{name}: {raw!r} is not a number.", properties=[name]) from None
    exponent = value.as_tuple().exponent  # a letter for NaN and infinity
    if not isinstance(exponent, int) or exponent < -places:
        raise ctx.bad_request(f"{name}: {raw} has more than {places} decimals.", properties=[name])
    if not low <= value <= high:
        raise ctx.bad_request(f"{name}: {raw} lies outside {low}..{high}.", properties=[name])
    return value


def _dates(ctx: Context, data: dict[str, Any], employment: Employment) -> tuple[date, date | None]:
    start = _date(ctx, data, "startDate", True)
    end = _date(ctx, data, "endDate", False)
    assert start is not None
    if end is not None and end < start:
        raise ctx.bad_request(f"endDate: {end} lies before startDate {start}.", properties=["endDate"])
    if start < employment.start_date:
        raise ctx.bad_request(
            f"startDate: {start} lies before the start of the employment ({employment.start_date}).",
            properties=["startDate"],
        )
    if employment.end_date and start > employment.end_date:
        raise ctx.bad_request(
            f"startDate: {start} lies after the end of the employment ({employment.end_date}).",
            properties=["startDate"],
        )
    return start, end


def _overlap_error(ctx: Context, kind: str, error: Overlap, start: date, end: date | None) -> ApiError:
    other = error.other
    return ctx.bad_request(
        f"The period {start}..{end or 'open'} overlaps the existing {kind} {other.start_date}.."
        f"{other.end_date or 'open'} (id {other.pk}): records of a broken chain may not overlap.",
        properties=["startDate", "endDate"],
    )


def _lock_chain(employment_id: Any) -> None:
    """Lock the employment row: every write to one of its chains (POST, PUT, DELETE) takes this lock first,
    so two writes cannot both pass the overlap check against the same old chain."""
    Employment.objects.select_for_update().filter(pk=employment_id).first()


def _touch(employment: Employment) -> None:
    number = next_versions(2)
    Employment.objects.filter(pk=employment.pk).update(version=number)
    Employer.objects.filter(pk=employment.employee.employer_id).update(version=number + 1)


BENEFIT_FIELDS = {"id": "id", "startdate": "start_date", "enddate": "end_date", "value": "value",
                  "payrollcomponent.key": "component__key",
                  "payrollcomponent.description": "component__description"}  # fmt: skip


@operation("GetBenefitsAndDeductionsByEmploymentId")
def benefits(ctx: Context, employment_id: str) -> HttpResponse:
    employment = _get(Employment, employment_id, select=("employee",))
    ctx.require(employment.employee.employer_id)
    queryset = BenefitDeduction.objects.select_related("component").filter(employment=employment)
    return page(ctx, queryset, ser.benefit, BENEFIT_FIELDS, ("component__key", "start_date"))


@operation("PostbenefitsAndDeductionsByEmploymentId")
def create_benefit(ctx: Context, employment_id: str) -> HttpResponse:
    employment = _get(Employment, employment_id, select=("employee",))
    ctx.require(employment.employee.employer_id)
    data = read_body(ctx)
    start, end = _dates(ctx, data, employment)
    value = _amount(ctx, data.get("value"), "value", BENEFIT_VALUE_MIN, BENEFIT_VALUE_MAX, 2)
    component_data = data.get("payrollComponent")
    key = component_data.get("key") if isinstance(component_data, dict) else None
    if isinstance(key, bool) or not isinstance(key, int):
        raise ctx.bad_request(f"payrollComponent.key: {key!r} is not a component number.", ["payrollComponent.key"])
    component = PayrollComponent.objects.filter(administration_id=employment.administration_id, key=key).first()
    if component is None:
        raise ctx.bad_request(
            f"payrollComponent.key: {key} is no component of this payroll administration.", ["payrollComponent.key"]
        )
    if component.category not in BENEFIT_CATEGORIES:
        raise ctx.bad_request(
            f"payrollComponent.key: {key} ({component.description}) cannot be used as a benefit or deduction.",
            ["payrollComponent.key"],
        )
    with transaction.atomic():
        _lock_chain(employment.pk)
        chain = list(BenefitDeduction.objects.filter(employment=employment, component=component))
        for record in chain:
            if record.start_date == start and record.end_date == end and record.value == value:
                ctx.messages.append(message("This record already exists; nothing was changed.", kind="Warning"))
                return item(ctx, ser.benefit(record), status=201, etag=record.etag)
        try:
            to_close = place(chain, start, end)
        except Overlap as error:
            raise _overlap_error(ctx, "record", error, start, end) from None
        if to_close is not None:
            to_close.end_date = day_before(start)
            to_close.save()
        record = BenefitDeduction(
            employment=employment, component=component, start_date=start, end_date=end, value=value
        )
        record.save()
        _touch(employment)
    return item(ctx, ser.benefit(record), status=201, etag=record.etag)


def _benefit_for(ctx: Context, benefit_id: str) -> BenefitDeduction:
    record = _get(BenefitDeduction, benefit_id, select=("component", "employment__employee"))
    ctx.require(record.employment.employee.employer_id)
    return record


@operation("GetBenefitsAndDeductionsBybenefitsAndDeductionsId")
def benefit_detail(ctx: Context, benefit_id: str) -> HttpResponse:
    record = _benefit_for(ctx, benefit_id)
    return item(ctx, ser.benefit(record), etag=record.etag)


@operation("PutBenefitsAndDeductionsByBenefitsAndDeductionsId")
def update_benefit(ctx: Context, benefit_id: str) -> HttpResponse:
    record = _benefit_for(ctx, benefit_id)
    data = read_body(ctx)
    start, end = _dates(ctx, data, record.employment)
    value = _amount(ctx, data.get("value"), "value", BENEFIT_VALUE_MIN, BENEFIT_VALUE_MAX, 2)
    component_data = data.get("payrollComponent")
    if isinstance(component_data, dict) and component_data.get("key") not in (None, record.component.key):
        raise ctx.bad_request(
            f"payrollComponent.key: {component_data.get('key')!r} differs from the record's component "
            f"{record.component.key}; the component of a record cannot change.",
            ["payrollComponent.key"],
        )
    with transaction.atomic():
        _lock_chain(record.employment_id)
        locked = BenefitDeduction.objects.select_for_update().get(pk=record.pk)
        check_if_match(ctx, locked.etag)
        others = list(
            BenefitDeduction.objects.filter(employment_id=record.employment_id, component=record.component).exclude(
                pk=record.pk
            )
        )
        try:
            check_update(others, start, end)
        except Overlap as error:
            raise _overlap_error(ctx, "record", error, start, end) from None
        locked.start_date, locked.end_date, locked.value = start, end, value
        locked.save()
        _touch(record.employment)
    locked.component = record.component
    return item(ctx, ser.benefit(locked), etag=locked.etag)


@operation("DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId")
def delete_benefit(ctx: Context, benefit_id: str) -> HttpResponse:
    record = _benefit_for(ctx, benefit_id)
    with transaction.atomic():
        _lock_chain(record.employment_id)
        locked = BenefitDeduction.objects.select_for_update().filter(pk=record.pk).first()
        if locked is None:
            raise not_found()
        check_if_match(ctx, locked.etag)
        locked.delete()
        _touch(record.employment)
    return respond(ctx, 200, {"content": {}, "messages": ctx.messages, "version": ctx.version_block()})


# ---- employment funds --------------------------------------------------------------------------------------

FUND_FIELDS = {"id": "id", "startdate": "start_date", "enddate": "end_date", "fund.key": "fund__number",
               "fund.description": "fund__name"}  # fmt: skip


@operation("GetEmploymentFundsByEmploymentId")
def employment_funds(ctx: Context, employment_id: str) -> HttpResponse:
    employment = _get(Employment, employment_id, select=("employee",))
    ctx.require(employment.employee.employer_id)
    queryset = EmploymentFund.objects.select_related("fund").filter(employment=employment)
    return page(ctx, queryset, ser.employment_fund, FUND_FIELDS, ("fund__number", "start_date"))


def _fund_terms(ctx: Context, data: dict[str, Any]) -> dict[str, Decimal | None]:
    deviations = data.get("deviations")
    fixed = data.get("fixedContribution")
    if deviations is not None and fixed is not None:
        raise ctx.bad_request(
            "deviations and fixedContribution are both given; an employment fund has one or the other.",
            ["deviations", "fixedContribution"],
        )
    terms: dict[str, Decimal | None] = {
        "deviation_premium": None, "deviation_total": None, "fixed_premium": None, "fixed_total": None,
    }  # fmt: skip
    hundred, most = Decimal("100"), Decimal("99999999.99")
    for block, names, limit, places, prefix in (
        (deviations, ("employmentContributionPercentage", "totalContributionPercentage"), hundred, 4, "deviations"),
        (fixed, ("employmentContribution", "totalContribution"), most, 2, "fixedContribution"),
    ):
        if block is None:
            continue
        if not isinstance(block, dict):
            raise ctx.bad_request(f"{prefix}: {block!r} is not an object.", [prefix])
        values = [_amount(ctx, block.get(n), f"{prefix}.{n}", Decimal(0), limit, places) for n in names]
        if prefix == "deviations":
            terms["deviation_premium"], terms["deviation_total"] = values
        else:
            terms["fixed_premium"], terms["fixed_total"] = values
    return terms


@operation("PostEmploymentFundByEmploymentId")
def create_employment_fund(ctx: Context, employment_id: str) -> HttpResponse:
    employment = _get(Employment, employment_id, select=("employee",))
    ctx.require(employment.employee.employer_id)
    data = read_body(ctx)
    start, end = _dates(ctx, data, employment)
    fund_data = data.get("fund")
    key = fund_data.get("key") if isinstance(fund_data, dict) else None
    if isinstance(key, bool) or not isinstance(key, int):
        raise ctx.bad_request(f"fund.key: {key!r} is not a fund number.", ["fund.key"])
    fund = Fund.objects.filter(administration_id=employment.administration_id, number=key).first()
    if fund is None:
        raise ctx.bad_request(f"fund.key: {key} is no fund of this wage model.", ["fund.key"])
    terms = _fund_terms(ctx, data)
    with transaction.atomic():
        _lock_chain(employment.pk)
        chain = list(EmploymentFund.objects.filter(employment=employment, fund=fund))
        for record in chain:
            same = all(getattr(record, k) == v for k, v in terms.items())
            if record.start_date == start and record.end_date == end and same:
                ctx.messages.append(message("This record already exists; nothing was changed.", kind="Warning"))
                return item(ctx, ser.employment_fund(record), status=201, etag=record.etag)
        try:
            to_close = place(chain, start, end)
        except Overlap as error:
            raise _overlap_error(ctx, "employment fund", error, start, end) from None
        if to_close is not None:
            to_close.end_date = day_before(start)
            to_close.save()
        record = EmploymentFund(employment=employment, fund=fund, start_date=start, end_date=end, **terms)
        record.save()
        _touch(employment)
    return item(ctx, ser.employment_fund(record), status=201, etag=record.etag)


@operation("PutEmploymentFundByEmploymentFundId")
def update_employment_fund(ctx: Context, employment_fund_id: str) -> HttpResponse:
    record = _get(EmploymentFund, employment_fund_id, select=("fund", "employment__employee"))
    ctx.require(record.employment.employee.employer_id)
    data = read_body(ctx)
    start, end = _dates(ctx, data, record.employment)
    fund_data = data.get("fund")
    if isinstance(fund_data, dict) and fund_data.get("key") not in (None, record.fund.number):
        raise ctx.bad_request(
            f"fund.key: {fund_data.get('key')!r} differs from the record's fund {record.fund.number}; "
            "the fund of a record cannot change.",
            ["fund.key"],
        )
    terms = _fund_terms(ctx, data)
    with transaction.atomic():
        _lock_chain(record.employment_id)
        locked = EmploymentFund.objects.select_for_update().get(pk=record.pk)
        check_if_match(ctx, locked.etag)
        others = list(
            EmploymentFund.objects.filter(employment_id=record.employment_id, fund=record.fund).exclude(pk=record.pk)
        )
        try:
            check_update(others, start, end)
        except Overlap as error:
            raise _overlap_error(ctx, "employment fund", error, start, end) from None
        locked.start_date, locked.end_date = start, end
        for name, value in terms.items():
            setattr(locked, name, value)
        locked.save()
        _touch(record.employment)
    locked.fund = record.fund
    return item(ctx, ser.employment_fund(locked), etag=locked.etag)


# ---- payroll periods, runs and results ------------------------------------------------------------------------


@operation("GetPayrollPeriodsByPayrollAdministrationId")
def periods(ctx: Context, administration_id: str) -> HttpResponse:
    admin = _get(PayrollAdministration, administration_id)
    ctx.require(admin.employer_id)
    years = set(admin.periods.values_list("year", flat=True))
    for year in years:
        ensure_periods(admin, year)
    runs: dict[int, list[PayrollRun]] = {}
    for r in admin.runs.exclude(status=RunStatus.REMOVED).order_by("sequence_number"):
        runs.setdefault(r.period_id, []).append(r)
    rows = [ser.period(p, runs.get(p.pk, [])) for p in admin.periods.select_related("administration")]
    return page_list(ctx, rows)


RUN_FIELDS = {"id": "id", "payrollperiod.year": "period__year", "payrollperiod.periodnumber": "period__period_number",
              "payrollrunstatus.key": "status"}  # fmt: skip


@operation("GetPayrollRunsByPayrollAdministrationId")
def runs(ctx: Context, administration_id: str) -> HttpResponse:
    admin = _get(PayrollAdministration, administration_id)
    ctx.require(admin.employer_id)
    queryset = PayrollRun.objects.select_related("period", "requested_by", "approved_by").filter(administration=admin)
    return page(ctx, queryset, ser.run, RUN_FIELDS, ("period__year", "period__period_number", "sequence_number"))


@operation("GetPayrollRunByPayrollRunId")
def run_detail(ctx: Context, run_id: str) -> HttpResponse:
    run = _get(PayrollRun, run_id, select=("period", "administration", "requested_by", "approved_by"))
    ctx.require(run.administration.employer_id)
    return item(ctx, ser.run(run), etag=f'"{run.id}-{run.status}"')


def _component_filter(ctx: Context) -> set[int] | None:
    raw = ctx.request.GET.get("payrollComponents")
    if not raw:
        return None
    try:
        return {int(part) for part in raw.split(",") if part.strip()}
    except ValueError:
        raise ctx.bad_request(
            f"payrollComponents: '{raw}' is not a comma list of component numbers.", ["payrollComponents"]
        ) from None


@operation("GetPayrollPeriodResultsByPayrollAdministrationIdAndPayrollPeriodId")
def period_results(ctx: Context, administration_id: str, period_id: str) -> HttpResponse:
    admin = _get(PayrollAdministration, administration_id)
    ctx.require(admin.employer_id)
    try:
        year, number = divmod(int(period_id), 100)
    except ValueError:
        raise not_found() from None
    period = PayrollPeriod.objects.filter(administration=admin, year=year, period_number=number).first()
    if period is None or not 1 <= number <= period_count(admin.period_type):
        raise not_found()
    wanted = _component_filter(ctx)
    approved = PayrollRun.objects.filter(period=period, status=RunStatus.APPROVED).order_by("-sequence_number").first()
    page_number, page_size = paging_of(ctx)
    by_employment: dict[Any, list[PayrollResult]] = {}
    total = 0
    if approved is not None:
        results = PayrollResult.objects.filter(run=approved)
        if wanted is not None:
            results = results.filter(component_key__in=wanted)
        # One page of employments at a time: a large employer's run holds tens of thousands of lines.
        employments = results.order_by("employment_id").values_list("employment_id", flat=True).distinct()
        total = employments.count()
        start = (page_number - 1) * page_size
        on_page = list(employments[start : start + page_size]) if start < total else []
        for res in results.filter(employment_id__in=on_page).order_by("employment_id", "id"):
            by_employment.setdefault(res.employment_id, []).append(res)
    rows = [
        {"employmentId": employment_id, "payrollPeriods": [ser.period_results(period, lines, False)]}
        for employment_id, lines in by_employment.items()
    ]
    ctx.messages.append(message(WAGE_TAX_WARNING, kind="Warning"))
    return envelope(ctx, rows, total, page_number, page_size)


@operation("GetPayrollPeriodResultsByEmploymentIdAndYear")
def employment_results(ctx: Context, employment_id: str, year: str) -> HttpResponse:
    employment = _get(Employment, employment_id, select=("employee",))
    ctx.require(employment.employee.employer_id)
    wanted_year = _year(ctx, year)
    approved = (
        PayrollRun.objects.filter(
            administration_id=employment.administration_id, period__year=wanted_year, status=RunStatus.APPROVED
        )
        .select_related("period")
        .order_by("period__period_number", "-sequence_number")
    )
    latest: dict[int, PayrollRun] = {}
    for r in approved:
        latest.setdefault(r.period.period_number, r)
    payroll_periods = []
    for number in sorted(latest):
        r = latest[number]
        lines = list(PayrollResult.objects.filter(run=r, employment=employment).order_by("id"))
        if lines:
            payroll_periods.append(ser.period_results(r.period, lines, True))
    ctx.messages.append(message(WAGE_TAX_WARNING, kind="Warning"))
    return item(ctx, {"employmentId": employment.id, "payrollPeriods": payroll_periods})


# ---- actual wages, working hours and fixed values of a whole employer (valid on a reference date) ---------------


def _reference_date(ctx: Context) -> date:
    """``referenceDate`` (YYYY-MM-DD, or a timestamp as the description's examples): today when absent."""
    raw = ctx.request.GET.get("referenceDate")
    if raw is None or raw == "":
        return timezone.localdate()
    try:
        if len(raw) > 10 and raw[10] == "T":
            return datetime.fromisoformat(raw).date()
        return date.fromisoformat(raw)
    except ValueError:
        raise ctx.bad_request(f"referenceDate: '{raw}' is not a date (YYYY-MM-DD).", ["referenceDate"]) from None


def _valid_on(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


ACTUAL_ORDER = ("employment__employee__employee_number", "employment__start_date", "employment_id", "start_date")
ACTUAL_WAGE_FIELDS = {"employmentid": "employment_id", "wage.id": "id", "wage.startdate": "start_date",
                      "wage.enddate": "end_date", "wage.grosswage": "gross_wage"}  # fmt: skip


@operation("GetActualWagesByEmployerId")
def actual_wages(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    day = _reference_date(ctx)
    queryset = Wage.objects.select_related("employment__administration").filter(
        _valid_on(day), employment__employee__employer=employer
    )
    return page(
        ctx,
        queryset,
        lambda w: {"employmentId": w.employment_id, "wage": ser.wage(w, w.employment.administration.period_type)},
        ACTUAL_WAGE_FIELDS,
        ACTUAL_ORDER,
    )


ACTUAL_HOURS_FIELDS = {"employmentid": "employment_id", "workinghours.id": "id",
                       "workinghours.startdate": "start_date", "workinghours.enddate": "end_date",
                       "workinghours.deviatinghoursperweek": "deviating_hours_per_week",
                       "workinghours.shift.shiftnumber": "shift__number"}  # fmt: skip


@operation("GetActualWorkingHoursByEmployerId")
def actual_working_hours(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    day = _reference_date(ctx)
    queryset = WorkingHours.objects.select_related("shift").filter(
        _valid_on(day), employment__employee__employer=employer
    )
    return page(
        ctx,
        queryset,
        lambda h: {"employmentId": h.employment_id, "workingHours": ser.working_hours(h)},
        ACTUAL_HOURS_FIELDS,
        ACTUAL_ORDER,
    )


ACTUAL_BENEFIT_FIELDS = {"employmentid": "employment_id", "benefitsanddeductions.id": "id",
                         "benefitsanddeductions.startdate": "start_date",
                         "benefitsanddeductions.enddate": "end_date", "benefitsanddeductions.value": "value",
                         "benefitsanddeductions.payrollcomponent.key": "component__key"}  # fmt: skip


@operation("GetActualBenefitsAndDeductionsByEmployerId")
def actual_benefits(ctx: Context, employer_id: str) -> HttpResponse:
    """The fixed values valid on the reference date only: later-dated records are read per employment."""
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    day = _reference_date(ctx)
    queryset = BenefitDeduction.objects.select_related("component").filter(
        _valid_on(day), employment__employee__employer=employer
    )
    return page(
        ctx,
        queryset,
        lambda b: {"employmentId": b.employment_id, "benefitsAndDeductions": ser.benefit(b)},
        ACTUAL_BENEFIT_FIELDS,
        (*ACTUAL_ORDER[:3], "component__key"),
    )
