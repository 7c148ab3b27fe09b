"""``{% load money %}`` and ``{{ amount|euro }}``: every amount on the pages in Dutch notation (``€ 1.234,56``).

Whole cents (``Cents``, or an ``int`` from a ``*_cents`` field) and euros (a ``Decimal`` from Loket, such as a
salary) both come in: the type says which, so no page divides by 100 itself. Nothing is rounded: an amount
with more than two decimals is shown as it is, not as a guess.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from inleg.platform.domain.contributions.preview import euro as dutch_euro
from inleg.platform.domain.money import Cents

register = template.Library()


@register.filter(name="euro")
def euro(amount: Cents | int | Decimal | None) -> str:
    if amount is None or amount == "":
        return "—"
    if isinstance(amount, Cents):
        return dutch_euro(amount)
    if isinstance(amount, bool):
        raise TypeError(f"euro: {amount!r} is no amount")
    if isinstance(amount, int):
        return dutch_euro(Cents(amount))
    if isinstance(amount, Decimal):
        whole_cents = amount.quantize(Decimal("0.01"))
        if amount == whole_cents:
            return dutch_euro(Cents(int(whole_cents * 100)))
        return f"€ {amount}".replace(".", ",")
    raise TypeError(f"euro: {amount!r} is no amount (Cents, int cents or Decimal euros)")
