"""The fund engine (fondsen): Loket.nl's fund premium rules, exact to the cent.

``calculate_case(data)`` takes a case in the JSON shape of ``docs/fund-cases.md`` and returns its
results in the same JSON shape; ``parse_case`` and ``scalar.calculate`` / ``batch.calculate`` are the
parts. This package imports no framework: the sandbox's payroll run and the platform both use it.
"""

from __future__ import annotations

from typing import Any

from inleg.funds.cases import parse_case
from inleg.funds.errors import FundError
from inleg.funds.results import ResultRow, results_json
from inleg.funds.scalar import calculate

__all__ = ["FundError", "ResultRow", "calculate", "calculate_case", "parse_case"]


def calculate_case(data: Any) -> dict[str, Any]:
    """Results JSON of a case given as parsed JSON; raises ``FundError`` on bad input."""
    return results_json(calculate(parse_case(data)))
