"""Loket's collective operations on benefits and deductions: many employments of one employer in one call.

``PostCollectiveBenefitsAndDeductionsByEmployerId`` creates records (employment, component, start, value; the
description has no end date), ``PutCollectiveBenefitsAndDeductionsByEmployerId`` sets the end date of records.
Each item is checked by the same rules as the single POST and PUT (dates within the employment, the value's
bounds, a component usable as a benefit or deduction, the broken chain). An item that breaks a rule is not
applied and is named in ``messages`` (``id``: the item's employment for a create, its record for an end date);
the other items are applied, all in one transaction. Loket answers multi-operations with 200 when at least one
item succeeded; when none did, the answer is a 400 with every item's message. The sandbox works synchronously,
so the action is ``Completed`` in the answer; the answer names no record (read them back, e.g. with
``GetActualBenefitsAndDeductionsByEmployerId``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from inleg.sandbox.api.bodies import check_members
from inleg.sandbox.api.context import Context
from inleg.sandbox.api.errors import ApiError, message
from inleg.sandbox.api.jsonio import respond
from inleg.sandbox.api.routing import operation
from inleg.sandbox.api.views import _amount, _date, _dates, _get, _overlap_error
from inleg.sandbox.core.chains import Overlap, check_update, day_before, place
from inleg.sandbox.core.models import (
    BENEFIT_CATEGORIES,
    BENEFIT_VALUE_MAX,
    BENEFIT_VALUE_MIN,
    BenefitDeduction,
    Employer,
    Employment,
    PayrollComponent,
    next_versions,
)

MAX_ITEMS = 1000  # a sandbox choice: Loket documents no limit; one call stays one bounded transaction


class ItemError(Exception):
    """One item breaks a rule: its message, the id it names."""

    def __init__(self, item_id: str | None, description: str) -> None:
        super().__init__(description)
        self.item_id = item_id
        self.description = description


def _items(ctx: Context) -> list[dict[str, Any]]:
    try:
        data = json.loads(ctx.request.body or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise ctx.bad_request(f"The request body is not valid JSON: {error}.") from None
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise ctx.bad_request("The request body must be a JSON array of objects.")
    if not data:
        raise ctx.bad_request("The request body holds no items.")
    if len(data) > MAX_ITEMS:
        raise ctx.bad_request(f"The request body holds {len(data)} items; at most {MAX_ITEMS} per call.")
    for index, item in enumerate(data):
        check_members(ctx, item, ITEM_MEMBERS[ctx.operation], f"[{index}].")
    return data


ITEM_MEMBERS: dict[str, Mapping[str, Any]] = {
    "PostCollectiveBenefitsAndDeductionsByEmployerId": {
        "employmentId": None,
        "payrollComponent": {"key": None},
        "startDate": None,
        "value": None,
    },
    "PutCollectiveBenefitsAndDeductionsByEmployerId": {
        "benefitAndDeductionId": None,
        "employmentId": None,
        "endDate": None,
    },
}


def _rule(error: ApiError) -> str:
    """The description of a single operation's 400, for an item's message."""
    messages = (error.body or {}).get("messages") or [{}]
    return str(messages[0].get("description") or "The item breaks a rule.")


def _uuid(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw)) if isinstance(raw, str) else None
    except ValueError:
        return None


def _answer(ctx: Context, total: int, errors: list[ItemError], warnings: int) -> HttpResponse:
    item_messages = [{**message(e.description), "id": e.item_id} for e in errors]
    if errors and len(errors) == total:
        body = {"content": {}, "messages": item_messages, "version": ctx.version_block()}
        return respond(ctx, 400, body)
    content = {
        "collectiveActionId": uuid.uuid4(),
        "itemCount": {
            "processed": total - len(errors) - warnings,
            "processedWithError": len(errors),
            "processedWithWarning": warnings,
            "total": total,
        },
        "status": "Completed",
        "submittedByUserId": ctx.user.pk,
        "submittedOn": timezone.now().isoformat(),
        "type": "Beloning",
    }
    body = {"content": content, "messages": [*item_messages, *ctx.messages], "version": ctx.version_block()}
    return respond(ctx, 200, body)


def _touch(employments: Collection[uuid.UUID], employer: Employer) -> None:
    """New version numbers for the employments written and their employer (change detection), as ``views._touch``."""
    first = next_versions(len(employments) + 1)
    for offset, pk in enumerate(sorted(employments)):
        Employment.objects.filter(pk=pk).update(version=first + offset)
    Employer.objects.filter(pk=employer.pk).update(version=first + len(employments))


@operation("PostCollectiveBenefitsAndDeductionsByEmployerId")
def create_benefits(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    items = _items(ctx)
    wanted = {u for u in (_uuid(i.get("employmentId")) for i in items) if u is not None}
    errors: list[ItemError] = []
    warnings = 0
    with transaction.atomic():
        # Every employment of the call is locked first (as the single POST locks its one): no other write can
        # pass the overlap check against the chains read here.
        employments = {
            e.pk: e
            for e in Employment.objects.select_for_update()
            .select_related("employee")
            .filter(pk__in=wanted, employee__employer=employer)
            .order_by("pk")
        }
        components = {
            (c.administration_id, c.key): c for c in PayrollComponent.objects.filter(administration__employer=employer)
        }
        chains: dict[tuple[uuid.UUID, int], list[BenefitDeduction]] = {}
        for record in BenefitDeduction.objects.filter(employment_id__in=employments).order_by("start_date"):
            chains.setdefault((record.employment_id, record.component_id), []).append(record)
        new: list[BenefitDeduction] = []
        closed: list[BenefitDeduction] = []
        touched: set[uuid.UUID] = set()
        for item in items:
            raw_id = item.get("employmentId")
            key = _uuid(raw_id)
            try:
                employment = employments.get(key) if key is not None else None
                if employment is None:
                    raise ItemError(str(raw_id), f"employmentId: {raw_id!r} is no employment of this employer.")
                record, to_close, existed = _create(ctx, item, employment, components, chains)
            except ItemError as error:
                errors.append(error)
                continue
            except ApiError as error:
                errors.append(ItemError(str(raw_id), _rule(error)))
                continue
            if existed:
                warnings += 1
                continue
            if to_close is not None:
                to_close.end_date = day_before(record.start_date)
                closed.append(to_close)
            new.append(record)
            touched.add(employment.pk)
        if new:
            first = next_versions(len(new) + len(closed))
            for offset, row in enumerate([*new, *closed]):
                row.version = first + offset
            BenefitDeduction.objects.bulk_create(new)
            for row in closed:
                BenefitDeduction.objects.filter(pk=row.pk).update(end_date=row.end_date, version=row.version)
            _touch(touched, employer)
    if warnings:
        ctx.messages.append(message(f"{warnings} records already existed; nothing was changed.", kind="Warning"))
    return _answer(ctx, len(items), errors, warnings)


def _create(
    ctx: Context,
    item: dict[str, Any],
    employment: Employment,
    components: Mapping[tuple[Any, int], PayrollComponent],
    chains: dict[tuple[uuid.UUID, int], list[BenefitDeduction]],
) -> tuple[BenefitDeduction, BenefitDeduction | None, bool]:
    """The record an item makes (not yet saved), the open record it closes, and whether it existed already."""
    start, _ = _dates(ctx, {"startDate": item.get("startDate")}, employment)
    value = _amount(ctx, item.get("value"), "value", BENEFIT_VALUE_MIN, BENEFIT_VALUE_MAX, 2)
    component_data = item.get("payrollComponent")
    key = component_data.get("key") if isinstance(component_data, dict) else None
    if isinstance(key, bool) or not isinstance(key, int):
        raise ItemError(str(employment.pk), f"payrollComponent.key: {key!r} is not a component number.")
    component = components.get((employment.administration_id, key))
    if component is None:
        raise ItemError(str(employment.pk), f"payrollComponent.key: {key} is no component of this administration.")
    if component.category not in BENEFIT_CATEGORIES:
        raise ItemError(
            str(employment.pk),
            f"payrollComponent.key: {key} ({component.description}) cannot be used as a benefit or deduction.",
        )
    chain = chains.setdefault((employment.pk, component.pk), [])
    for record in chain:
        if record.start_date == start and record.end_date is None and record.value == value:
            return record, None, True
    try:
        to_close = place(chain, start, None)
    except Overlap as error:
        raise ItemError(str(employment.pk), _rule(_overlap_error(ctx, "record", error, start, None))) from None
    record = BenefitDeduction(employment=employment, component=component, start_date=start, end_date=None, value=value)
    if to_close is not None:
        to_close.end_date = day_before(start)
    chain.append(record)  # a later item of the same chain in this call sees it
    return record, to_close, False


@operation("PutCollectiveBenefitsAndDeductionsByEmployerId")
def end_benefits(ctx: Context, employer_id: str) -> HttpResponse:
    employer = _get(Employer, employer_id)
    ctx.require(employer)
    items = _items(ctx)
    wanted = {u for u in (_uuid(i.get("benefitAndDeductionId")) for i in items) if u is not None}
    errors: list[ItemError] = []
    with transaction.atomic():
        records = {
            r.pk: r
            for r in BenefitDeduction.objects.filter(pk__in=wanted, employment__employee__employer=employer).order_by(
                "pk"
            )
        }
        employment_ids = sorted({r.employment_id for r in records.values()})
        list(Employment.objects.select_for_update().filter(pk__in=employment_ids).order_by("pk"))
        chains: dict[tuple[uuid.UUID, int], list[BenefitDeduction]] = {}
        for row in BenefitDeduction.objects.filter(employment_id__in=employment_ids).order_by("start_date"):
            chains.setdefault((row.employment_id, row.component_id), []).append(row)
        # The chains' own objects: an item sees the end date an earlier item of this call set.
        records = {r.pk: r for chain in chains.values() for r in chain if r.pk in records}
        changed: dict[uuid.UUID, BenefitDeduction] = {}
        for item in items:
            raw_id = item.get("benefitAndDeductionId")
            key = _uuid(raw_id)
            record = records.get(key) if key is not None else None
            try:
                if record is None:
                    raise ItemError(str(raw_id), f"benefitAndDeductionId: {raw_id!r} is no record of this employer.")
                _end(ctx, item, record, chains)
            except ItemError as error:
                errors.append(error)
                continue
            except ApiError as error:
                errors.append(ItemError(str(raw_id), _rule(error)))
                continue
            changed[record.pk] = record
        if changed:
            first = next_versions(len(changed))
            for offset, record in enumerate(changed.values()):
                BenefitDeduction.objects.filter(pk=record.pk).update(end_date=record.end_date, version=first + offset)
            _touch({r.employment_id for r in changed.values()}, employer)
    return _answer(ctx, len(items), errors, 0)


def _end(
    ctx: Context,
    item: dict[str, Any],
    record: BenefitDeduction,
    chains: Mapping[tuple[uuid.UUID, int], list[BenefitDeduction]],
) -> None:
    """Check an item's end date as the single PUT checks a record's dates; set it on ``record`` (not saved)."""
    employment_id = item.get("employmentId")
    if employment_id is not None and _uuid(employment_id) != record.employment_id:
        raise ItemError(str(record.pk), f"employmentId: {employment_id!r} is not the employment of the record.")
    end = _date(ctx, item, "endDate", True)
    assert end is not None
    if end < record.start_date:
        raise ItemError(str(record.pk), f"endDate: {end} lies before startDate {record.start_date}.")
    others = [r for r in chains.get((record.employment_id, record.component_id), []) if r.pk != record.pk]
    try:
        check_update(others, record.start_date, end)
    except Overlap as error:
        raise ItemError(str(record.pk), _rule(_overlap_error(ctx, "record", error, record.start_date, end))) from None
    record.end_date = end
