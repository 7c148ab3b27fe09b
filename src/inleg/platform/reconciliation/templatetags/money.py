"""Cents as euros in Dutch notation (``€ 1.234,56``), whatever the page's language: amounts of a Dutch payroll."""

from __future__ import annotations

from django import template

from inleg.platform.domain.contributions.preview import euro
from inleg.platform.domain.money import Cents

register = template.Library()


@register.filter
def cents(value: int | Cents | None) -> str:
    if value is None:
        return "—"
    return euro(value if isinstance(value, Cents) else Cents(int(value)))
