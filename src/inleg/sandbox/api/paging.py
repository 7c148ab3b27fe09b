"""Paging of list operations: ``pageNumber``, ``pageSize`` and the list envelope."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse

from inleg.sandbox.api.context import Context
from inleg.sandbox.api.jsonio import respond
from inleg.sandbox.api.odata import parse_filter, parse_order

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


def paging_of(ctx: Context) -> tuple[int, int]:
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
    page_number, page_size = paging_of(ctx)
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
    page_number, page_size = paging_of(ctx)
    start = (page_number - 1) * page_size
    return envelope(ctx, rows[start : start + page_size], len(rows), page_number, page_size)
