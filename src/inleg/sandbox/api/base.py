"""What every /v2 operation shares: bearer tokens, the Accept version, rights, the envelope, paging."""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import AccessToken

from inleg.sandbox.core.models import ClientProfile, Employer, LoketUser
from inleg.sandbox.core.rights import activities_for

FORBIDDEN_MESSAGE = (
    'Insufficient rights for this request, reason "User doesn\'t have rechten to perform activity for the given Id."'
)
UNAUTHORIZED_MESSAGE = "Authorization has been denied for this request."

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
}
# Operations whose response the official description declares as plain application/json (no version).
UNVERSIONED_CONTENT_TYPE = frozenset({"DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId"})

_VERSION_RE = re.compile(r"version\s*=\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


class ApiError(Exception):
    """An answer other than success; ``body`` None means an empty body."""

    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def message(description: str, kind: str = "BrokenBusinessRule", code: int = 0, properties: list[str] | None = None):
    return {"code": code, "description": description, "id": None, "type": kind, "properties": properties or []}


@dataclass
class Context:
    request: HttpRequest
    operation: str
    user: LoketUser
    client_activities: frozenset[str]
    version: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    _rights_cache: dict[Any, set[str]] = field(default_factory=dict)

    def version_block(self) -> dict[str, Any]:
        return {"resourceVersion": self.version, "obsoleteDate": None}

    def bad_request(self, description: str, properties: list[str] | None = None) -> ApiError:
        return ApiError(
            400,
            {"content": {}, "messages": [message(description, properties=properties)], "version": self.version_block()},
        )

    def require(self, employer: Employer | Any) -> None:
        """403 unless the client may call this activity and the user holds it for this employer."""
        if self.operation not in self.client_activities:
            raise forbidden()
        employer_id = employer.pk if isinstance(employer, Model) else employer
        activities = self._rights_cache.get(employer_id)
        if activities is None:
            emp = employer if isinstance(employer, Employer) else Employer.objects.filter(pk=employer_id).first()
            if emp is None or not self.user.employers().filter(pk=emp.pk).exists():
                activities = set()
            else:
                activities = activities_for(self.user.rights_for(emp))
            self._rights_cache[employer_id] = activities
        if self.operation not in activities:
            raise forbidden()

    def require_client(self) -> None:
        if self.operation not in self.client_activities:
            raise forbidden()


def forbidden() -> ApiError:
    return ApiError(403, {"message": FORBIDDEN_MESSAGE})


def not_found() -> ApiError:
    return ApiError(404, None)


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


def authenticate(request: HttpRequest) -> tuple[LoketUser, frozenset[str]]:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(401, {"message": UNAUTHORIZED_MESSAGE})
    checksum = hashlib.sha256(raw.strip().encode()).hexdigest()
    token = (
        AccessToken.objects.select_related("user", "application")
        .filter(token_checksum=checksum, expires__gt=timezone.now())
        .first()
    )
    if token is None or token.user is None or not token.user.is_active:
        # An inactive user's token is not accepted at all: 401, as for an unknown token (see README.md).
        raise ApiError(401, {"message": UNAUTHORIZED_MESSAGE})
    if token.user.kind == LoketUser.Kind.WEBSERVICE:
        raise forbidden()  # a webservice user may call none of these operations: Loket's 403, on every one
    profile = ClientProfile.objects.filter(application_id=token.application_id).first()
    activities = frozenset(profile.allowed_activities) if profile else frozenset()
    return token.user, activities


_NUMBER_MARK = "\u0000#"
_NUMBER_RE = re.compile(r'"\\u0000#(-?\d+(?:\.\d+)?)"')


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Marked here and unquoted after encoding: the number keeps its exact decimal digits.
        return _NUMBER_MARK + format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(data: Any) -> str:
    """JSON text; Decimals become JSON numbers with their exact digits (never through a binary float)."""
    text = json.dumps(data, default=json_default, separators=(",", ":"))
    return _NUMBER_RE.sub(r"\1", text)


def respond(ctx: Context | None, status: int, body: Any, etag: str | None = None, operation: str = "") -> HttpResponse:
    if body is None:
        return HttpResponse(status=status)
    if ctx is not None and (ctx.operation not in UNVERSIONED_CONTENT_TYPE):
        content_type = f"application/json;version={ctx.version}"
    else:
        content_type = "application/json"
    response = HttpResponse(dumps(body), status=status, content_type=content_type)
    if etag:
        response["ETag"] = etag
    return response


def item(ctx: Context, content: Any, status: int = 200, etag: str | None = None) -> HttpResponse:
    return respond(ctx, status, {"content": content, "messages": ctx.messages, "version": ctx.version_block()}, etag)


# ---- paging, filter, orderBy -------------------------------------------------------------------

_COMPARE = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
_TERM_RE = re.compile(
    r"\s*([A-Za-z_][\w.]*)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|null|true|false|-?\d+(?:\.\d+)?)\s*", re.IGNORECASE
)


def _literal(text: str) -> Any:
    low = text.lower()
    if low == "null":
        return None
    if low in ("true", "false"):
        return low == "true"
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    return Decimal(text) if "." in text else int(text)


def _field_of(model: type[Model] | None, lookup: str) -> Any:
    """The model field a ``a__b__c`` lookup ends on (None when the model is unknown)."""
    if model is None:
        return None
    field_ = None
    for part in lookup.split("__"):
        if model is None:
            return None
        field_ = model._meta.get_field(part)
        model = field_.related_model if field_.is_relation else None  # type: ignore[assignment]
    if field_ is not None and field_.many_to_one:
        return field_.target_field  # a foreign key (``employee_id``) compares as the key it points at
    return field_


_INTEGER_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                            "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                            "PositiveSmallIntegerField"})  # fmt: skip


def _typed(ctx: Context, name: str, raw: str, value: Any, field_: Any) -> Any:
    """The filter value converted to the field's type; a value that type cannot hold is a 400 naming both."""
    if field_ is None:
        return value
    kind = field_.get_internal_type()
    text = value if isinstance(value, str) else raw
    if kind in ("DateField", "DateTimeField"):
        try:
            if not isinstance(value, str):
                raise ValueError(raw)
            return date.fromisoformat(value)
        except ValueError:
            raise ctx.bad_request(f"filter: {name}: {raw} is not a date (YYYY-MM-DD).", properties=[name]) from None
    if kind in _INTEGER_TYPES:
        try:
            if isinstance(value, bool | Decimal):
                raise ValueError(raw)
            number = int(text)
        except ValueError:
            raise ctx.bad_request(f"filter: {name}: {raw} is not a whole number.", properties=[name]) from None
        low, high = connection.ops.integer_field_range(kind)
        if (low is not None and number < low) or (high is not None and number > high):
            raise ctx.bad_request(f"filter: {name}: {raw} lies outside {low}..{high}.", properties=[name])
        return number
    if kind == "DecimalField":
        try:
            if isinstance(value, bool):
                raise InvalidOperation(raw)
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise ctx.bad_request(f"filter: {name}: {raw} is not a number.", properties=[name])
        return number
    if kind == "UUIDField":
        try:
            return uuid.UUID(str(text))
        except ValueError:
            raise ctx.bad_request(f"filter: {name}: {raw} is not an id (GUID).", properties=[name]) from None
    if kind == "BooleanField":
        if not isinstance(value, bool):
            raise ctx.bad_request(f"filter: {name}: {raw} is not true or false.", properties=[name])
        return value
    return text if not isinstance(value, bool) else raw


def parse_filter(ctx: Context, text: str, fields: Mapping[str, str], model: type[Model] | None = None) -> Q:
    """``field op value [and field op value ...]`` to a Q; an unknown field or bad term is a 400 naming it.

    With ``model``, each value is converted to its field's type (dates, whole numbers, decimals, GUIDs);
    a value that does not fit is a 400 naming the field and the value.
    """
    query = Q()
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        found = _TERM_RE.fullmatch(part)
        if not found:
            raise ctx.bad_request(f"filter: cannot read the term '{part}' (expected: field eq|ne|gt|ge|lt|le value).")
        name, op, raw = found.group(1), found.group(2).lower(), found.group(3)
        lookup = fields.get(name.lower())
        if lookup is None:
            raise ctx.bad_request(f"filter: unknown field '{name}'.", properties=[name])
        value = _literal(raw)
        if value is None:
            if op not in ("eq", "ne"):
                raise ctx.bad_request(f"filter: '{name} {op} null' is not possible; use eq or ne with null.")
            term = Q(**{f"{lookup}__isnull": True})
        else:
            field_ = _field_of(model, lookup)
            value = _typed(ctx, name, raw, value, field_)
            text_field = field_ is None or field_.get_internal_type() in ("CharField", "TextField", "EmailField")
            if isinstance(value, str) and text_field and op in ("eq", "ne"):
                term = Q(**{f"{lookup}__iexact": value})
            else:
                term = Q(**{f"{lookup}__{_COMPARE[op]}": value})
        query &= ~term if op == "ne" else term
    return query


def parse_order(ctx: Context, text: str, fields: Mapping[str, str]) -> list[str]:
    order = []
    for part in text.split(","):
        name = part.strip()
        desc = name.startswith("-")
        name = name.lstrip("-")
        lookup = fields.get(name.lower())
        if lookup is None:
            raise ctx.bad_request(f"orderBy: unknown field '{name}'.", properties=[name])
        order.append(("-" if desc else "") + lookup.replace(".", "__"))
    return order


MAX_PAGE_SIZE = 1000
MAX_PAGE_NUMBER = 2_147_483_647  # Loket's paging fields are 32-bit integers


def _positive_int(ctx: Context, name: str, default: int, most: int) -> int:
    raw = ctx.request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ctx.bad_request(f"{name}: '{raw}' is not a whole number.", properties=[name]) from None
    if not 1 <= value <= most:
        raise ctx.bad_request(f"{name}: '{raw}' must lie within 1..{most}.", properties=[name])
    return value


def _paging(ctx: Context) -> tuple[int, int]:
    return (
        _positive_int(ctx, "pageNumber", 1, MAX_PAGE_NUMBER),
        _positive_int(ctx, "pageSize", 250, MAX_PAGE_SIZE),
    )


def page(
    ctx: Context,
    queryset: QuerySet[Any],
    serialize: Callable[[Any], dict[str, Any]],
    fields: Mapping[str, str],
    default_order: tuple[str, ...],
) -> HttpResponse:
    """The list envelope over a queryset, with ``filter``, ``orderBy``, ``pageNumber`` and ``pageSize``."""
    page_number, page_size = _paging(ctx)
    text = ctx.request.GET.get("filter")
    if text:
        queryset = queryset.filter(parse_filter(ctx, text, fields, queryset.model))
    order = ctx.request.GET.get("orderBy")
    ordering = [*parse_order(ctx, order, fields), *default_order] if order else list(default_order)
    queryset = queryset.order_by(*ordering)
    total = queryset.count()
    start = (page_number - 1) * page_size
    rows = list(queryset[start : start + page_size]) if start < total else []
    return envelope(ctx, [serialize(row) for row in rows], total, page_number, page_size)


def envelope(ctx: Context, embedded: list[Any], total: int, page_number: int = 1, page_size: int = 250) -> HttpResponse:
    body = {
        "_embedded": embedded,
        "currentPage": page_number,
        "pageSize": page_size,
        "totalPages": math.ceil(total / page_size) if total else 0,
        "totalSize": total,
        "messages": ctx.messages,
        "version": ctx.version_block(),
    }
    return respond(ctx, 200, body)


def page_list(ctx: Context, rows: list[dict[str, Any]]) -> HttpResponse:
    """Paging over an already built list (small lists that come from no single query)."""
    page_number, page_size = _paging(ctx)
    start = (page_number - 1) * page_size
    return envelope(ctx, rows[start : start + page_size], len(rows), page_number, page_size)


# ---- the operation decorator ---------------------------------------------------------------------

Handler = Callable[..., HttpResponse]


def method_of(name: str) -> str:
    for prefix in ("Get", "Post", "Put", "Delete", "Patch"):
        if name.startswith(prefix):
            return prefix.upper()
    raise ValueError(f"operationId {name} names no HTTP method")


def operation(name: str) -> Callable[[Handler], Handler]:
    """A view for one operationId; its HTTP method is the one the operationId starts with."""
    method = method_of(name)

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if request.method != method and not (method == "GET" and request.method == "HEAD"):
                response = HttpResponse(status=405)
                response["Allow"] = method
                return response
            ctx: Context | None = None
            try:
                user, activities = authenticate(request)
                ctx = Context(request, name, user, activities, negotiate_version(request, name))
                return handler(ctx, **kwargs)
            except ApiError as error:
                response = respond(ctx, error.status, error.body)
                if error.body is not None and error.status in (401, 403):
                    response["Content-Type"] = "application/json"
                for key, value in error.headers.items():
                    response[key] = value
                return response

        view.operation_id = name  # type: ignore[attr-defined]
        return csrf_exempt(view)

    return decorate


def route(*views: Handler) -> Handler:
    """One path that holds several operations (a collection's GET and POST, an item's GET, PUT and DELETE).

    Each request goes to the operation of its HTTP method; another method is a 405 that lists the ones the
    path has. Exempt from CSRF like the operations themselves: callers carry a bearer token, not a cookie.
    """
    by_method = {method_of(view.operation_id): view for view in views}  # type: ignore[attr-defined]

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        method = "GET" if request.method == "HEAD" else request.method
        handler = by_method.get(method or "")
        if handler is None:
            response = HttpResponse(status=405)
            response["Allow"] = ", ".join(sorted(by_method))
            return response
        return handler(request, **kwargs)

    return view


def read_json(ctx: Context) -> dict[str, Any]:
    try:
        data = json.loads(ctx.request.body or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise ctx.bad_request(f"The request body is not valid JSON: {error}.") from None
    if not isinstance(data, dict):
        raise ctx.bad_request("The request body must be a JSON object.")
    return data


def check_if_match(ctx: Context, current: str) -> None:
    """A stale ``If-Match`` is a 409 (Loket declares no 412); an absent one is accepted."""
    wanted = ctx.request.META.get("HTTP_IF_MATCH")
    if wanted is None:
        return
    tags = [t.strip().removeprefix("W/") for t in wanted.split(",")]
    if "*" in tags or current in tags:
        return
    raise ApiError(
        409,
        {
            "content": {},
            "messages": [
                message(
                    f"If-Match: {wanted} is stale; the record is now at {current}. Read it again and retry.",
                    properties=["If-Match"],
                )
            ],
            "version": ctx.version_block(),
        },
    )
