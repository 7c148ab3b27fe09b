"""The fund engine (fondsen): Loket.nl's fund premium rules, exact to the cent.

``calculate_case(data)`` takes a case in the JSON shape of ``docs/fund-cases.md`` and returns its
results in the same JSON shape; ``parse_case`` and ``scalar.calculate`` / ``batch.calculate`` are the
parts. ``recalculate_json`` / ``recalculate`` give the corrections (herrekening) that a change to
earlier periods of the year books in the current period. This package imports no framework: the
sandbox's payroll run and the platform both use it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

from inleg.funds import batch
from inleg.funds.cases import parse_case
from inleg.funds.errors import FundError
from inleg.funds.population import from_case
from inleg.funds.recalculation import Correction, Recalculation, recalculate, recalculate_json
from inleg.funds.results import ResultRow, results_json
from inleg.funds.scalar import calculate

__all__ = [
    "Correction",
    "FundError",
    "Recalculation",
    "ResultRow",
    "calculate",
    "calculate_case",
    "parse_case",
    "recalculate",
    "recalculate_json",
]


def calculate_case(
    data: Any, *, engine: Literal["scalar", "batch"] = "scalar", periods: Collection[int] | None = None
) -> dict[str, Any]:
    """Results JSON of a case given as parsed JSON; raises ``FundError`` on bad input.

    Both engines give the same results (a property test holds them to it); ``batch`` is the fast one for
    a whole payroll, ``scalar`` the reference. ``periods`` keeps only those periods' rows (a payroll run
    needs the whole year computed, for cumulative funds and pension days, but only its own period back).
    """
    case = parse_case(data)
    if engine == "batch":
        rows = batch.compute(from_case(case)).to_rows(periods)
    else:
        rows = [row for row in calculate(case) if periods is None or row.period in periods]
    return results_json(rows)
