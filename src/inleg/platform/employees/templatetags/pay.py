"""The part-time factor as payroll people read it: "80,00 %" (in the page's language). Amounts: ``money``'s ``euro``.

The part-time factor is shown as a percentage, as Loket's screens and payslips show the deeltijdpercentage; its four
decimals are exactly a percentage's two, so nothing is rounded. None (Loket has none) is "—".
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

NONE = "—"


@register.filter
def percentage(factor: Decimal | None) -> str:
    if factor is None:
        return NONE
    return number_format(factor * 100, 2, use_l10n=True, force_grouping=True) + " %"
