"""The OData subset of Loket's list operations: ``filter`` (typed by the model's fields) and ``orderBy``."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.db.models import ForeignKey, Model, Q

from inleg.sandbox.api.context import Context

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
        model = field_.related_model if field_.is_relation else None
    if isinstance(field_, ForeignKey):
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
            amount = Decimal(text)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            raise ctx.bad_request(f"filter: {name}: {raw} is not a number.", properties=[name])
        return amount
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
