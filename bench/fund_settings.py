"""A fund's settings in the case format, written compactly: shared by the fund benchmarks (funds.py, road.py)."""

from __future__ import annotations

from typing import Any


def threshold(amount: str = "0.00", unit: str = "year", part_time: bool = False) -> dict[str, Any]:
    return {"amount": amount, "unit": unit, "part_time": part_time}


def fund(number: int, name: str, base: list[tuple[int, str]], **settings: Any) -> dict[str, Any]:
    """The case format's defaults for every setting not given (period recalculation, fixed tables, no moments)."""
    settings_of: dict[str, Any] = {
        "number": number,
        "name": name,
        "kind": "none",
        "external_code": "",
        "entry": None,
        "exit": None,
        "recalc_unit": "period",
        "cumulative": False,
        "franchise_kind": "fixed",
        "franchise_age_test": "jan1",
        "franchise_table": [],
        "percentage_kind": "fixed",
        "percentage_age_test": "jan1",
        "percentage_table": [],
        "base": [{"component": c, "origin": o} for c, o in base],
    }
    settings_of.update(settings)
    return settings_of
