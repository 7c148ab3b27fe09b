"""Benchmark of the fund engine's whole road: from a bulk case file to result rows, stage by stage.

    python bench/road.py --employments 100000

A payroll bureau's year: 100,000 employments with three funds for twelve periods (3.6 million
employment-fund-period rows), written as a bulk (columnar) case file (``docs/fund-cases.md``, "Bulk
(columnar) input"). The road is timed per stage: read the file, validate it column by column into a
population, compute (the batch engine), and the result rows as columns. It is checked against the
scalar oracle on a sample of employments given as case JSON; the JSON case road is timed too, on a
smaller case (its per-object parse is what the bulk input avoids). The last line:

    road_rows_per_s=R rows=N peak_mb=M
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from fund_settings import fund, threshold
from inleg.funds import batch, calculate_case, parse_case
from inleg.funds.bulk import read_bulk, result_columns, write_bulk, write_results
from inleg.funds.numbers import format_fixed, format_money
from inleg.funds.population import EPOCH, from_case
from inleg.funds.results import results_json

YEAR = 2025
N = 12
FUNDS = (1, 2, 3)
COMPONENTS = {
    "10": {"name": "Salaris", "sign": 1, "in_257": 1, "in_265": 1},
    "20": {"name": "Bonus", "sign": 1, "in_257": 1, "in_265": 1},
    "30": {"name": "Vaste toeslag", "sign": 1, "in_257": 1, "in_265": 1},
    "40": {"name": "Reiskosten", "sign": 1, "in_257": 0, "in_265": 0},
    "400": {"name": "Premie fonds 1", "sign": -1, "in_257": 0, "in_265": -1},
}
NOTHING = {"amount": "0.00", "unit": "year", "part_time": False}


def _side(percentage: str, **thresholds: dict[str, Any]) -> dict[str, Any]:
    return {"percentage": percentage, "min_base": NOTHING, "max_base": NOTHING, "franchise": NOTHING, **thresholds}


def wage_model() -> dict[str, Any]:
    """A wage model of three funds, as many employers have: pension, a sector fund per SV-day, a social fund."""
    op_max, op_franchise = threshold("137800.00", part_time=True), threshold("18475.00", part_time=True)
    sv_max, sv_min = threshold("304.25", "sv_day"), threshold("10.00", "sv_day")
    social_max = threshold("79409.25", part_time=True)
    funds = [
        fund(
            1,
            "Pensioen OP/NP",
            [(10, "calculated"), (30, "fixed")],
            entry={"age": 21, "moment": "month_start", "extra_months": 0},
            exit={"age": 67, "moment": "next_month_start", "extra_months": 3},
            premium=_side("8.1000", max_base=op_max, franchise=op_franchise),
            total=_side("27.0000", max_base=op_max, franchise=op_franchise),
        ),
        fund(
            2,
            "Sectorfonds per sv-dag",
            [(257, "calculated"), (40, "excluded")],
            recalc_unit="sv_days",
            premium=_side("0.1500", max_base=sv_max, min_base=sv_min),
            total=_side("0.6000", max_base=sv_max, min_base=sv_min),
        ),
        fund(
            3,
            "Sociaal fonds over sv-loon plus premie",
            [(265, "calculated"), (400, "calculated")],
            recalc_unit="calendar_days",
            premium=_side("0.3000", max_base=social_max),
            total=_side("1.2000", max_base=social_max),
        ),
    ]
    return {"year": YEAR, "frequency": "month", "components": COMPONENTS, "funds": funds}


def _dates(days: NDArray[np.int64]) -> NDArray[np.datetime64]:
    return days.astype("datetime64[D]")


def bulk_case(employments: int, seed: int = 20251) -> dict[str, NDArray[Any]]:
    """A realistic payroll year of ``employments`` with three funds each, as bulk arrays (built in numpy)."""
    rng = np.random.default_rng(seed)
    e = employments
    first = (date(YEAR, 1, 1) - EPOCH).days
    birth = rng.integers((date(1958, 1, 1) - EPOCH).days, (date(2006, 12, 31) - EPOCH).days, e)
    hire = np.where(
        rng.random(e) < 0.85,
        rng.integers((date(2000, 1, 1) - EPOCH).days, first, e),
        rng.integers(first, first + 330, e),
    )
    leaves = rng.random(e) < 0.08
    end = np.where(leaves, np.maximum(hire, first) + rng.integers(0, 365, e), np.iinfo(np.int64).min)
    ptf = rng.choice(np.array([4000, 5000, 6000, 6667, 8000, 8889, 9000, 10000, 10000, 10000, 11667]), e)
    norm = rng.choice(np.array([360000, 380000, 400000]), e)
    salary = rng.integers(200_000, 800_000, e) * ptf // 10000
    bonus = np.zeros((e, N), np.int64)
    gets_bonus = rng.random(e) < 0.2
    bonus[gets_bonus, 11] = salary[gets_bonus]
    gross = salary[:, None] + rng.integers(-5_000, 5_000, (e, N))
    hours = (norm * ptf // 10000) * 433 // 10000
    links = e * len(FUNDS)
    kind = rng.random(links)
    has_deviation, has_fixed = kind < 0.03, (kind >= 0.03) & (kind < 0.05)
    dated = rng.random(links) < 0.03
    link_employment = np.repeat(np.arange(e, dtype=np.int64), len(FUNDS))
    link_number = np.tile(np.array(FUNDS, np.int64), e)
    start = np.where(dated, first + rng.integers(0, 200, links), np.iinfo(np.int64).min)
    link_end = np.full(links, np.iinfo(np.int64).min, np.int64)
    # One employment in a hundred changes its pension terms mid-year: the first link ends, a second
    # (with a deviation) starts the next day.
    changes = np.flatnonzero((rng.random(e) < 0.01) & ~dated[0 :: len(FUNDS)] & ~has_fixed[0 :: len(FUNDS)])
    switch = first + rng.integers(60, 300, changes.size)
    link_end[changes * len(FUNDS)] = switch - 1
    later = changes.size
    return {
        "case": np.array(json.dumps(wage_model())),
        "employments.id": np.array([f"E{i}" for i in range(e)]),
        "employments.birth_date": _dates(birth),
        "employments.hire_date": _dates(hire),
        "employments.end_date": _dates(end),
        "employments.part_time_factor": ptf.astype(np.int64),
        "employments.norm_hours_per_week": norm.astype(np.int64),
        "employments.fixed.30": rng.choice(np.array([0, 15_000]), e).astype(np.int64),
        "periods.components.10": gross,
        "periods.components.20": bonus,
        "periods.components.40": np.repeat(rng.choice(np.array([0, 4_500, 8_500]), e)[:, None], N, axis=1),
        "periods.components.400": gross * 5 // 100,
        "periods.hours": hours[:, None] + rng.integers(-500, 500, (e, N)),
        "periods.overtime_hours": np.where(rng.random((e, N)) < 0.1, rng.integers(100, 1_200, (e, N)), 0),
        "periods.unpaid_days": np.where(rng.random((e, N)) < 0.02, rng.integers(1, 4, (e, N)), 0),
        "employment_funds.employment": np.r_[link_employment, changes],
        "employment_funds.number": np.r_[link_number, np.full(later, 1, np.int64)],
        "employment_funds.start_date": _dates(np.r_[start, switch]),
        "employment_funds.end_date": _dates(np.r_[link_end, np.full(later, np.iinfo(np.int64).min)]),
        "employment_funds.has_deviation": np.r_[has_deviation, np.ones(later, np.bool_)],
        "employment_funds.deviation.premium": np.r_[np.where(has_deviation, 70_000, 0), np.full(later, 90_000)],
        "employment_funds.deviation.total": np.r_[np.where(has_deviation, 210_000, 0), np.full(later, 250_000)],
        "employment_funds.has_fixed_contribution": np.r_[has_fixed, np.zeros(later, np.bool_)],
        "employment_funds.fixed_contribution.premium": np.r_[np.where(has_fixed, 5_000, 0), np.zeros(later, np.int64)],
        "employment_funds.fixed_contribution.total": np.r_[np.where(has_fixed, 15_000, 0), np.zeros(later, np.int64)],
    }


def case_json(arrays: dict[str, NDArray[Any]], rows: list[int]) -> dict[str, Any]:
    """The employments at ``rows`` of bulk arrays as a case in the JSON case format."""
    data: dict[str, Any] = json.loads(str(arrays["case"]))

    def day(column: str, row: int) -> str | None:
        value = arrays[column][row]
        return None if np.isnat(value) else str(value)

    link_rows: dict[int, list[int]] = {}
    for index, row in enumerate(arrays["employment_funds.employment"].tolist()):
        link_rows.setdefault(row, []).append(index)
    amount_columns = {name.rsplit(".", 1)[1]: a for name, a in arrays.items() if name.startswith("periods.components.")}
    fixed_columns = {name.rsplit(".", 1)[1]: a for name, a in arrays.items() if name.startswith("employments.fixed.")}
    employments = []
    for row in rows:
        links = []
        for index in link_rows.get(row, []):
            link: dict[str, Any] = {
                "number": int(arrays["employment_funds.number"][index]),
                "start_date": day("employment_funds.start_date", index),
                "end_date": day("employment_funds.end_date", index),
            }
            if arrays["employment_funds.has_deviation"][index]:
                link["deviation"] = {
                    s: format_fixed(int(arrays[f"employment_funds.deviation.{s}"][index]), 4)
                    for s in ("premium", "total")
                }
            if arrays["employment_funds.has_fixed_contribution"][index]:
                link["fixed_contribution"] = {
                    s: format_money(int(arrays[f"employment_funds.fixed_contribution.{s}"][index]))
                    for s in ("premium", "total")
                }
            links.append(link)
        periods = [
            {
                "period": k + 1,
                "components": {c: format_money(int(a[row, k])) for c, a in amount_columns.items() if a[row, k]},
                "hours": format_fixed(int(arrays["periods.hours"][row, k]), 2),
                "overtime_hours": format_fixed(int(arrays["periods.overtime_hours"][row, k]), 2),
                "unpaid_days": int(arrays["periods.unpaid_days"][row, k]),
            }
            for k in range(N)
        ]
        employments.append(
            {
                "id": str(arrays["employments.id"][row]),
                "birth_date": day("employments.birth_date", row),
                "hire_date": day("employments.hire_date", row),
                "end_date": day("employments.end_date", row),
                "part_time_factor": format_fixed(int(arrays["employments.part_time_factor"][row]), 4),
                "norm_hours_per_week": format_fixed(int(arrays["employments.norm_hours_per_week"][row]), 4),
                "fixed": {c: format_money(int(a[row])) for c, a in fixed_columns.items() if a[row]},
                "funds": links,
                "periods": periods,
            }
        )
    data["employments"] = employments
    return data


@dataclass
class Road:
    """A run of the road: seconds per stage (best run), rows, and the peak of traced memory."""

    rows: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    peak: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(self.stages.values())

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds


def _road_once(path: Path) -> tuple[dict[str, float], dict[str, NDArray[Any]]]:
    """The bulk road once: file to population to results to result rows (as columns)."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    pop = read_bulk(path)  # reads and validates; split below
    times["read+validate+populate"] = time.perf_counter() - started
    started = time.perf_counter()
    columns = batch.compute(pop)
    times["compute"] = time.perf_counter() - started
    started = time.perf_counter()
    rows = result_columns(columns)
    times["result rows"] = time.perf_counter() - started
    return times, rows


def _split_read(path: Path) -> tuple[float, float]:
    """The first stage again, split: reading the arrays, and validating them into a population."""
    from inleg.funds.bulk import population_of

    started = time.perf_counter()
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    read = time.perf_counter() - started
    started = time.perf_counter()
    population_of(arrays)
    return read, time.perf_counter() - started


def _check_parity(arrays: dict[str, NDArray[Any]], rows: dict[str, NDArray[Any]], sample: list[int]) -> int:
    """Compares the road's result rows of the sampled employments with the scalar oracle's on case JSON."""
    oracle = calculate_case(case_json(arrays, sample), engine="scalar")["results"]
    mine = np.flatnonzero(np.isin(rows["employment"], np.array(sample)))
    order = {row: i for i, row in enumerate(sample)}
    mine = mine[np.argsort([order[int(r)] for r in rows["employment"][mine]], kind="stable")]
    mismatches = 0 if len(mine) == len(oracle) else 1 + abs(len(mine) - len(oracle))
    ids = rows["employments.id"]
    for i, want in zip(mine.tolist(), oracle, strict=False):
        got = {
            "employment": str(ids[rows["employment"][i]]),
            "fund": int(rows["fund"][i]),
            "period": int(rows["period"][i]),
            "participates": bool(rows["participates"][i]),
            "sv_days": int(rows["sv_days"][i]),
            "calendar_days": int(rows["calendar_days"][i]),
            "pension_days": int(rows["pension_days"][i]),
            "hours": format_fixed(int(rows["hours"][i]), 2),
            "raw_base": format_money(int(rows["raw_base"][i])),
            "premium": _side_json(rows, "premium", i),
            "total": _side_json(rows, "total", i),
            "employer": format_money(int(rows["employer"][i])),
        }
        if got != want:
            mismatches += 1
            if mismatches <= 3:
                print(f"mismatch:\n  oracle {want}\n  road   {got}", file=sys.stderr)
    return mismatches


def _side_json(rows: dict[str, NDArray[Any]], side: str, i: int) -> dict[str, str]:
    return {
        f: format_fixed(int(rows[f"{side}.{f}"][i]), 4)
        if f == "percentage"
        else format_money(int(rows[f"{side}.{f}"][i]))
        for f in ("max", "franchise", "min", "base", "percentage", "amount")
    }


def json_road(arrays: dict[str, NDArray[Any]], employments: int) -> tuple[int, dict[str, float]]:
    """The JSON case road on the first ``employments``: text to dicts to model to population to rows."""
    text = json.dumps(case_json(arrays, list(range(employments))))
    times: dict[str, float] = {}
    started = time.perf_counter()
    data = json.loads(text)
    times["json.loads"] = time.perf_counter() - started
    started = time.perf_counter()
    case = parse_case(data)
    times["parse_case"] = time.perf_counter() - started
    started = time.perf_counter()
    pop = from_case(case)
    times["from_case"] = time.perf_counter() - started
    started = time.perf_counter()
    columns = batch.compute(pop)
    times["compute"] = time.perf_counter() - started
    started = time.perf_counter()
    rows = columns.to_rows()
    times["to_rows"] = time.perf_counter() - started
    started = time.perf_counter()
    results_json(rows)
    times["results_json"] = time.perf_counter() - started
    return len(rows), times


def measure(
    employments: int = 100_000,
    *,
    repeat: int = 3,
    seed: int = 20251,
    sample: int = 200,
    say: Callable[[str], None] | None = None,
) -> Road:
    """The bulk road over ``employments`` (best of ``repeat`` runs), its peak memory and its parity."""
    arrays = bulk_case(employments, seed)
    road = Road()
    with tempfile.TemporaryDirectory(prefix="inleg-road-") as folder:
        path = Path(folder) / "payroll.npz"
        write_bulk(path, arrays)
        size = path.stat().st_size
        best: dict[str, float] | None = None
        rows: dict[str, NDArray[Any]] = {}
        for _ in range(repeat):
            rows = {}  # the last run's results freed first, as a payroll process holds one run's results
            times, rows = _road_once(path)
            if best is None or sum(times.values()) < sum(best.values()):
                best = times
        assert best is not None
        road.stages = best
        road.rows = int(rows["period"].size)
        read, validate = _split_read(path)
        road.notes.append(
            f"bulk file {size / 1e6:.0f} MB ({size / road.rows:.0f} bytes a row); its first stage split: "
            f"read {read:.3f} s, validate and populate {validate:.3f} s"
        )
        step = max(1, employments // sample)
        picked = sorted(
            set(range(0, employments, step))
            | set(arrays["employment_funds.employment"][3 * employments :].tolist()[:20])
        )
        mismatches = _check_parity(arrays, rows, picked)
        road.notes.append(
            f"parity with the scalar oracle on {len(picked)} employments given as case JSON: "
            + ("ok" if mismatches == 0 else f"FAILED ({mismatches})")
        )
        if mismatches:
            raise AssertionError(f"the road disagrees with the scalar oracle on {mismatches} rows")
        del rows
        started = time.perf_counter()
        write_results(Path(folder) / "results.npz", batch.compute(read_bulk(path)))
        written = time.perf_counter() - started
        size = (Path(folder) / "results.npz").stat().st_size
        road.notes.append(
            f"not in the road: the same road writing its result columns as an .npz too takes {written:.3f} s "
            f"({size / 1e6:.0f} MB)"
        )
        tracemalloc.start()
        _road_once(path)
        road.peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if say is not None:
        for name, seconds in road.stages.items():
            say(f"  {name:<24} {seconds:7.3f} s")
        for note in road.notes:
            say(note)
    return road


def road_rows_per_s(employments: int = 100_000, *, repeat: int = 3, seed: int = 20251) -> float:
    """Employment-fund-period rows a second on the whole bulk road (file to result rows), best of ``repeat``."""
    return measure(employments, repeat=repeat, seed=seed).rows_per_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employments", type=int, default=100_000, help="employments (default 100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="road runs; the best counts (default 3)")
    parser.add_argument("--json-employments", type=int, default=2_000, help="employments on the JSON road (2,000)")
    args = parser.parse_args()

    arrays = bulk_case(min(args.json_employments, args.employments))
    json_rows, json_times = json_road(arrays, min(args.json_employments, args.employments))
    json_seconds = sum(json_times.values())
    print(f"JSON case road, {json_rows:,} rows: {json_rows / json_seconds:,.0f} rows/s")
    for name, seconds in json_times.items():
        print(f"  {name:<24} {seconds:7.3f} s  ({json_rows / seconds:,.0f} rows/s)")
    del arrays

    print(f"bulk road, {args.employments:,} employments x {len(FUNDS)} funds x {N} periods:")
    road = measure(args.employments, repeat=args.repeat, say=print)
    print(f"road: {road.seconds:.3f} s best of {args.repeat}")
    print(f"road_rows_per_s={road.rows_per_s:.0f} rows={road.rows} peak_mb={road.peak / 1e6:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
