"""The jaarruimte and the tax back, estimated from the dated figures in ``figures.json`` (no framework).

Jaarruimte (as the 2025 formula reads): 30% × (premiegrondslag − AOW-franchise) − 6,27 × factor A, where the
premiegrondslag is the income of the year before, at most the maximum; never below 0. The tax back: the box 1
tax on the income minus the tax on the income less the deduction (so a deduction that crosses a bracket is
counted at both rates); heffingskortingen are left out (said on the page). Amounts in whole cents, rounded
half away from zero where a percentage makes fractions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from inleg.platform.domain.rounding import round_cents

FIGURES = Path(__file__).with_name("figures.json")


@dataclass(frozen=True)
class Figure:
    key: str
    value: Decimal
    unit: str
    year: int
    source: str
    up_to: Decimal | None = None


@cache
def figures() -> dict[str, Figure]:
    raw = json.loads(FIGURES.read_text(encoding="utf-8"))["figures"]
    result = {}
    for key, f in raw.items():
        up_to = f.get("up_to")
        result[key] = Figure(
            key, Decimal(f["value"]), f["unit"], int(f["year"]), f["source"], Decimal(up_to) if up_to else None
        )
    return result


def unknown() -> list[str]:
    return list(json.loads(FIGURES.read_text(encoding="utf-8"))["unknown"])


@dataclass(frozen=True)
class Estimate:
    year: int
    income: Decimal
    premiegrondslag: Decimal
    jaarruimte: Decimal
    deduction: Decimal  # what is deducted: the deposits, at most the jaarruimte
    tax_back: Decimal


def jaarruimte(income: Decimal, factor_a: Decimal = Decimal(0)) -> tuple[Decimal, Decimal]:
    """(premiegrondslag, jaarruimte) for ``income`` (euros a year) and the factor A of the year before."""
    f = figures()
    if income < 0 or factor_a < 0:
        raise ValueError(f"income {income} and factor A {factor_a} must not be negative")
    capped = min(income, f["maximum_premiegrondslag_income"].value)
    base = max(Decimal(0), capped - f["jaarruimte_aow_franchise"].value)
    room = base * f["jaarruimte_percentage"].value / 100 - f["factor_a_multiplier"].value * factor_a
    return round_cents(base), round_cents(max(Decimal(0), room))


def box1_tax(income: Decimal) -> Decimal:
    """Box 1 tax before heffingskortingen, for someone below AOW age (the figures' year)."""
    f = figures()
    tax, lower = Decimal(0), Decimal(0)
    for key in ("box1_bracket_1_rate", "box1_bracket_2_rate", "box1_bracket_3_rate"):
        bracket = f[key]
        upper = bracket.up_to if bracket.up_to is not None else max(income, lower)
        if income > lower:
            tax += (min(income, upper) - lower) * bracket.value / 100
        lower = upper
    return tax


def estimate(income: Decimal, yearly_deposits: Decimal, factor_a: Decimal = Decimal(0)) -> Estimate:
    """What fits in the jaarruimte of the deposits of a year, and the tax that comes back for it."""
    base, room = jaarruimte(income, factor_a)
    deduction = min(max(Decimal(0), yearly_deposits), room)
    back = round_cents(box1_tax(income) - box1_tax(max(Decimal(0), income - deduction)))
    return Estimate(figures()["jaarruimte_percentage"].year, income, base, room, round_cents(deduction), back)
