"""JSON in and out of /v2 with exact decimals: request bodies parse numbers as Decimal, answers keep every digit."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from inleg.sandbox.api.context import Context
from inleg.sandbox.api.versions import UNVERSIONED_CONTENT_TYPE

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


def respond(ctx: Context | None, status: int, body: Any, etag: str | None = None) -> HttpResponse:
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


def read_json(ctx: Context) -> dict[str, Any]:
    try:
        data = json.loads(ctx.request.body or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise ctx.bad_request(f"The request body is not valid JSON: {error}.") from None
    if not isinstance(data, dict):
        raise ctx.bad_request("The request body must be a JSON object.")
    return data
