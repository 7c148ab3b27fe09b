"""Small cases for rule tests: one fund, one employment, overrides where a test needs them."""

from __future__ import annotations

import copy
from typing import Any

from inleg.funds import calculate_case

NOTHING = {"amount": "0.00", "unit": "year", "part_time": False}


def threshold(amount: str, unit: str = "year", part_time: bool = False) -> dict[str, Any]:
    return {"amount": amount, "unit": unit, "part_time": part_time}


def fund(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "number": 1,
        "name": "Testfonds",
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
        "premium": {"percentage": "10.0000", "min_base": NOTHING, "max_base": NOTHING, "franchise": NOTHING},
        "total": {"percentage": "30.0000", "min_base": NOTHING, "max_base": NOTHING, "franchise": NOTHING},
        "base": [{"component": 10, "origin": "calculated"}],
    }
    base.update(copy.deepcopy(overrides))
    return base


def employment(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "E1",
        "birth_date": "1980-06-15",
        "hire_date": "2015-01-01",
        "end_date": None,
        "part_time_factor": "1.0000",
        "norm_hours_per_week": "40",
        "fixed": {},
        "funds": [{"number": 1}],
        "periods": [{"period": k, "components": {"10": "3000.00"}} for k in range(1, 13)],
    }
    base.update(copy.deepcopy(overrides))
    return base


def case(
    funds: list[dict[str, Any]] | None = None, employments: list[dict[str, Any]] | None = None, **top: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": 2024,
        "frequency": "month",
        "components": {
            "10": {"name": "Salaris", "sign": 1, "in_257": 1, "in_265": 1},
            "20": {"name": "Bonus", "sign": 1, "in_257": 1, "in_265": 1},
            "50": {"name": "Inhouding", "sign": -1},
        },
        "funds": funds if funds is not None else [fund()],
        "employments": employments if employments is not None else [employment()],
    }
    data.update(top)
    return data


def rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Result rows; checks that the batch engine gives the same, so every rule test covers both."""
    from inleg.funds import batch, parse_case
    from inleg.funds.results import results_json

    result = calculate_case(data)["results"]
    assert results_json(batch.calculate(parse_case(data)))["results"] == result
    return result


def period(data: dict[str, Any], k: int, employment: str = "E1", fund_number: int = 1) -> dict[str, Any]:
    return next(
        r for r in rows(data) if r["period"] == k and r["employment"] == employment and r["fund"] == fund_number
    )
