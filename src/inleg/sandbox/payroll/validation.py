"""Checks a fund's settings with the fund engine before they are stored."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from inleg.funds import FundError, calculate_case

TOTAL_COMPONENTS = frozenset({257, 265, 543, 544, 545, 546, 547})


def check_fund(fund: dict[str, Any], year: int = 2024, frequency: str = "month") -> None:
    """Raise ``ValidationError`` with the engine's message (naming field and value) when a fund is bad."""
    components: dict[str, dict[str, Any]] = {}
    for item in fund.get("base", []) if isinstance(fund.get("base"), list) else []:
        key = item.get("component") if isinstance(item, dict) else None
        if isinstance(key, int) and key not in TOTAL_COMPONENTS:
            components[str(key)] = {"name": f"component {key}"}
    case = {"year": year, "frequency": frequency, "components": components, "funds": [fund], "employments": []}
    try:
        calculate_case(case)
    except FundError as error:
        raise ValidationError(str(error)) from error
