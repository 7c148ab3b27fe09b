"""A period's outcome for one employment and fund, and its JSON form (``docs/fund-cases.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inleg.funds.numbers import format_hours, format_money, format_percent


@dataclass(frozen=True, slots=True)
class SideResult:
    """Premium (premie) or total (afdracht): thresholds as period values, base b3, percentage, amount."""

    max: int = 0
    franchise: int = 0
    min: int = 0
    base: int = 0
    percentage: int = 0
    amount: int = 0

    def to_json(self) -> dict[str, str]:
        return {
            "max": format_money(self.max),
            "franchise": format_money(self.franchise),
            "min": format_money(self.min),
            "base": format_money(self.base),
            "percentage": format_percent(self.percentage),
            "amount": format_money(self.amount),
        }


NOTHING = SideResult()


@dataclass(frozen=True, slots=True)
class ResultRow:
    employment: str
    fund: int
    period: int
    participates: bool = False
    sv_days: int = 0
    calendar_days: int = 0
    pension_days: int = 0
    hours: int = 0  # hundredths
    raw_base: int = 0  # cents
    premium: SideResult = NOTHING
    total: SideResult = NOTHING

    @property
    def employer(self) -> int:
        """Werkgeversdeel: what the employer pays on top of the employee's premium."""
        return self.total.amount - self.premium.amount

    def to_json(self) -> dict[str, Any]:
        return {
            "employment": self.employment,
            "fund": self.fund,
            "period": self.period,
            "participates": self.participates,
            "sv_days": self.sv_days,
            "calendar_days": self.calendar_days,
            "pension_days": self.pension_days,
            "hours": format_hours(self.hours),
            "raw_base": format_money(self.raw_base),
            "premium": self.premium.to_json(),
            "total": self.total.to_json(),
            "employer": format_money(self.employer),
        }


def results_json(rows: list[ResultRow]) -> dict[str, Any]:
    return {"results": [row.to_json() for row in rows]}
