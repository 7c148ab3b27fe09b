"""Benchmark of the fund engine: a random but realistic population, both engines, parity, memory.

    python bench/funds.py --rows 1000000

Builds a payroll year of employments linked to funds of every kind (period, SV-days, calendar days,
pension days and hours recalculation; fixed, age and birth-year tables; cumulative; 257/265 and
JAAR GRSL bases; deviations and fixed contributions), compiles the batch engine's kernel first (the compile
or cache-load time is reported, not counted), runs the batch engine (best of --repeat, and again under
tracemalloc for its peak memory), measures the machine's own limit in the same run (a numpy copy: the
rows per second at which the engine's input and output bytes per row could merely be moved), runs the
scalar oracle on the same data with a progress bar, checks that both agree on every field of every row,
and ends with one line of figures:

    rows=N scalar_rows_per_s=S batch_rows_per_s=B limit_rows_per_s=L share_of_limit=B/L road_rows_per_s=R
    parity=ok peak_mb=M

``road_rows_per_s`` comes from ``bench/road.py`` (the whole road from a case to result rows) when it is there.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fund_settings import fund, threshold
from inleg.funds import batch, kernel, scalar
from inleg.funds.calendar import Frequency
from inleg.funds.cases import fund_from_json
from inleg.funds.model import Case, Component, Employment, EmploymentFund, Pair, PeriodInput
from inleg.funds.population import EPOCH, NO_END, NO_START, Population
from road import road_rows_per_s

YEAR = 2025
N = 12
FUNDS_PER_EMPLOYMENT = 4

COMPONENTS = {
    10: Component(10, "Salaris", 1, 1, 1),
    20: Component(20, "Bonus", 1, 1, 1),
    30: Component(30, "Vaste toeslag", 1, 1, 1),
    40: Component(40, "Reiskosten", 1, 0, 0),
    400: Component(400, "Premie fonds 1", -1, 0, -1),
}
COLUMNS = (10, 20, 30, 40, 400, 543, 544, 545, 546, 547)


def _side(percentage: str, **thresholds: dict[str, Any]) -> dict[str, Any]:
    return {"percentage": percentage, **thresholds}


def wage_model() -> dict[int, Any]:
    """Eight funds, one of every kind the rules know."""
    op_max, op_franchise = threshold("137800.00", part_time=True), threshold("18475.00", part_time=True)
    age_table = [
        {"from": 15, "to": 24, "premium": "2.0000", "total": "6.0000"},
        {"from": 25, "to": 34, "premium": "4.0000", "total": "12.0000"},
        {"from": 35, "to": 49, "premium": "6.0000", "total": "18.0000"},
        {"from": 50, "to": 70, "premium": "8.0000", "total": "24.0000"},
    ]
    birth_year_table = [
        {"from": 1940, "to": 1969, "premium": "16000.00", "total": "16000.00"},
        {"from": 1970, "to": 2010, "premium": "18475.00", "total": "18475.00"},
    ]
    raw = [
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
            "Arbeidsongeschiktheidspensioen",
            [(10, "calculated"), (20, "calculated")],
            premium=_side("0.0000", franchise=threshold("28405.00")),
            total=_side("0.5000", franchise=threshold("28405.00")),
        ),
        fund(
            3,
            "Sectorfonds per sv-dag",
            [(257, "calculated"), (40, "excluded")],
            recalc_unit="sv_days",
            premium=_side("0.1500", max_base=threshold("304.25", "sv_day"), min_base=threshold("10.00", "sv_day")),
            total=_side("0.6000", max_base=threshold("304.25", "sv_day"), min_base=threshold("10.00", "sv_day")),
        ),
        fund(
            4,
            "Sociaal fonds over sv-loon plus premie",
            [(265, "calculated"), (400, "calculated")],
            recalc_unit="calendar_days",
            premium=_side("0.3000", max_base=threshold("79409.25", part_time=True)),
            total=_side("1.2000", max_base=threshold("79409.25", part_time=True)),
        ),
        fund(
            5,
            "Pensioen per pensioendag",
            [(10, "calculated")],
            recalc_unit="pension_days",
            premium=_side("7.5000", max_base=op_max, franchise=op_franchise),
            total=_side("22.0000", max_base=op_max, franchise=op_franchise),
        ),
        fund(
            6,
            "Uitzendfonds per uur",
            [(10, "calculated"), (20, "calculated")],
            kind="hours_incl_overtime",
            recalc_unit="hours",
            premium=_side("2.6000", franchise=threshold("9.24", "hour"), max_base=threshold("42.42", "hour")),
            total=_side("8.0000", franchise=threshold("9.24", "hour"), max_base=threshold("42.42", "hour")),
        ),
        fund(
            7,
            "Excedent leeftijdsstaffel",
            [(10, "calculated")],
            percentage_kind="age",
            percentage_age_test="period_start",
            percentage_table=age_table,
            franchise_kind="birth_year",
            franchise_table=birth_year_table,
            premium=_side("0.0000", franchise=threshold(part_time=True)),
            total=_side("0.0000", franchise=threshold(part_time=True)),
        ),
        fund(
            8,
            "Cumulatief over bruto min bonus en jaargrondslag",
            [(257, "calculated"), (20, "calculated"), (543, "fixed")],
            cumulative=True,
            premium=_side("3.0000", min_base=threshold("200.00", "period"), franchise=threshold("14000.00")),
            total=_side("9.0000", min_base=threshold("200.00", "period"), franchise=threshold("14000.00")),
        ),
    ]
    funds = {}
    for index, settings in enumerate(raw):
        parsed = fund_from_json(settings, f"funds[{index}]")
        funds[parsed.number] = parsed
    return funds


def population(rows: int, seed: int = 20251) -> Population:
    """A realistic population of at least ``rows`` employment-fund-periods, built in numpy."""
    rng = np.random.default_rng(seed)
    employments = -(-rows // (N * FUNDS_PER_EMPLOYMENT))
    first = (date(YEAR, 1, 1) - EPOCH).days
    birth = rng.integers((date(1958, 1, 1) - EPOCH).days, (date(2006, 12, 31) - EPOCH).days, employments)
    hire = np.where(
        rng.random(employments) < 0.85,
        rng.integers((date(2000, 1, 1) - EPOCH).days, first, employments),
        rng.integers(first, first + 330, employments),
    )
    leaves = rng.random(employments) < 0.08
    end = np.where(leaves, np.maximum(hire, first) + rng.integers(0, 365, employments), NO_END)
    ptf = rng.choice(np.array([4000, 5000, 6000, 6667, 8000, 8889, 9000, 10000, 10000, 10000, 11667]), employments)
    norm = rng.choice(np.array([360000, 380000, 400000]), employments)
    salary = rng.integers(200_000, 800_000, employments) * ptf // 10000
    amounts = np.zeros((employments, N, len(COLUMNS)), np.int64)
    amounts[:, :, 0] = salary[:, None] + rng.integers(-5_000, 5_000, (employments, N))
    bonus = rng.random(employments) < 0.2
    amounts[bonus, 11, 1] = salary[bonus]
    amounts[:, :, 3] = rng.choice(np.array([0, 4_500, 8_500]), employments)[:, None]
    amounts[:, :, 4] = amounts[:, :, 0] * 5 // 100
    fixed = np.zeros((employments, len(COLUMNS)), np.int64)
    fixed[:, 2] = rng.choice(np.array([0, 15_000]), employments)
    fixed[:, 5] = salary * 1296 // 100  # 543 JAAR GRSL1: 12.96 monthly salaries (with holiday pay)
    hours = (norm * ptf // 10000) * 433 // 10000  # norm hours per week * 4.33
    hour_array = np.repeat(hours[:, None], N, axis=1) + rng.integers(-500, 500, (employments, N))
    overtime = np.where(rng.random((employments, N)) < 0.1, rng.integers(100, 1_200, (employments, N)), 0)
    unpaid = np.where(rng.random((employments, N)) < 0.02, rng.integers(1, 4, (employments, N)), 0)
    links = employments * FUNDS_PER_EMPLOYMENT
    chosen = np.argsort(rng.random((employments, 8)), axis=1)[:, :FUNDS_PER_EMPLOYMENT]
    link_fund = np.sort(chosen, axis=1).reshape(-1) + 1
    kind = rng.random(links)
    has_deviation, has_fixed = kind < 0.03, (kind >= 0.03) & (kind < 0.05)
    deviation = np.stack([np.full(links, 70_000), np.full(links, 210_000)], axis=1)
    fixed_contribution = np.stack([np.full(links, 5_000), np.full(links, 15_000)], axis=1)
    dated = rng.random(links) < 0.03
    link_start = np.where(dated, first + rng.integers(0, 200, links), NO_START)
    return Population(
        year=YEAR,
        frequency=Frequency.MONTH,
        components=COMPONENTS,
        funds=wage_model(),
        columns=COLUMNS,
        ids=tuple(f"E{i}" for i in range(employments)),
        birth=birth.astype(np.int64),
        hire=hire.astype(np.int64),
        end=end.astype(np.int64),
        part_time_factor=ptf.astype(np.int64),
        norm_hours=norm.astype(np.int64),
        fixed=fixed,
        amounts=amounts,
        hours=hour_array.astype(np.int64),
        overtime=overtime.astype(np.int64),
        unpaid=unpaid.astype(np.int64),
        link_employment=np.repeat(np.arange(employments), FUNDS_PER_EMPLOYMENT).astype(np.int64),
        link_fund=link_fund.astype(np.int64),
        link_start=link_start.astype(np.int64),
        link_end=np.full(links, NO_END, np.int64),
        has_deviation=has_deviation,
        deviation=deviation.astype(np.int64),
        has_fixed=has_fixed,
        fixed_contribution=fixed_contribution.astype(np.int64),
    )


def _day(number: int) -> date | None:
    return None if number >= NO_END or number <= NO_START else EPOCH + timedelta(days=int(number))


def employments_of(pop: Population, first: int, last: int) -> list[Employment]:
    """Employments ``first..last-1`` of the population as the scalar engine's model objects."""
    result = []
    link = first * FUNDS_PER_EMPLOYMENT
    for e in range(first, last):
        periods = {
            k + 1: PeriodInput(
                k + 1,
                {COLUMNS[c]: int(v) for c, v in enumerate(pop.amounts[e, k]) if v},
                int(pop.hours[e, k]),
                int(pop.overtime[e, k]),
                int(pop.unpaid[e, k]),
            )
            for k in range(N)
        }
        links = []
        for ell in range(link, link + FUNDS_PER_EMPLOYMENT):
            dev = Pair(*map(int, pop.deviation[ell])) if pop.has_deviation[ell] else None
            fix = Pair(*map(int, pop.fixed_contribution[ell])) if pop.has_fixed[ell] else None
            links.append(
                EmploymentFund(
                    int(pop.link_fund[ell]), _day(int(pop.link_start[ell])), _day(int(pop.link_end[ell])), dev, fix
                )
            )
        link += FUNDS_PER_EMPLOYMENT
        result.append(
            Employment(
                id=pop.ids[e],
                birth_date=EPOCH + timedelta(days=int(pop.birth[e])),
                hire_date=EPOCH + timedelta(days=int(pop.hire[e])),
                end_date=_day(int(pop.end[e])),
                part_time_factor=int(pop.part_time_factor[e]),
                norm_hours_per_week=int(pop.norm_hours[e]),
                fixed={COLUMNS[c]: int(v) for c, v in enumerate(pop.fixed[e]) if v},
                funds=tuple(links),
                periods=periods,
            )
        )
    return result


FIELDS = ("participates", "sv_days", "calendar_days", "pension_days", "hours", "raw_base")


def check_parity(pop: Population, columns: batch.Columns) -> tuple[float, int]:
    """Runs the scalar oracle over the population in slices and compares every field; returns its time."""
    employments = len(pop.ids)
    step = 500
    seconds, rows, mismatches = 0.0, 0, 0
    progress = Progress(
        TextColumn("scalaire controle"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
    )
    with progress:
        task = progress.add_task("scalar", total=employments)
        for first in range(0, employments, step):
            last = min(first + step, employments)
            case = Case(YEAR, Frequency.MONTH, COMPONENTS, pop.funds, tuple(employments_of(pop, first, last)))
            started = time.perf_counter()
            result = scalar.calculate(case)
            seconds += time.perf_counter() - started
            rows += len(result)
            lo, hi = first * FUNDS_PER_EMPLOYMENT, last * FUNDS_PER_EMPLOYMENT
            got = [getattr(columns, f)[lo:hi].reshape(-1).tolist() for f in FIELDS]
            sides = columns.sides[:, :, lo:hi].reshape(2, 6, -1).tolist()
            for i, row in enumerate(result):
                mine = tuple(g[i] for g in got)
                oracle = (row.participates, row.sv_days, row.calendar_days, row.pension_days, row.hours, row.raw_base)
                premium = tuple(sides[0][f][i] for f in range(6))
                total = tuple(sides[1][f][i] for f in range(6))
                if mine != oracle or premium != _side_tuple(row.premium) or total != _side_tuple(row.total):
                    mismatches += 1
                    if mismatches <= 3:
                        print(f"mismatch: {row}\n  batch: {mine} {premium} {total}", file=sys.stderr)
            progress.advance(task, last - first)
    return seconds, mismatches


def copy_bandwidth(megabytes: int = 400) -> float:
    """Bytes per second that one core moves in a large numpy copy (read + write), best of 5."""
    source = np.ones(megabytes * 1_000_000 // 8, np.int64)
    target = np.empty_like(source)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        np.copyto(target, source)
        best = min(best, time.perf_counter() - started)
    return 2 * source.nbytes / best


def input_bytes(pop: Population) -> int:
    """The bytes of the population's arrays (its later links too): what the engine reads."""
    holders: list[Any] = [pop] if pop.later_links is None else [pop, pop.later_links]
    values = [getattr(holder, f.name) for holder in holders for f in dataclasses.fields(holder)]
    return sum(value.nbytes for value in values if isinstance(value, np.ndarray))


def output_bytes(columns: batch.Columns) -> int:
    """The bytes of the result columns: what the engine writes."""
    written = (columns.participates, columns.sv_days, columns.calendar_days, columns.pension_days, columns.hours)
    return sum(a.nbytes for a in (*written, columns.raw_base, columns.sides))


def warm_up() -> float:
    """Compiles the kernel (or loads it from numba's cache) on a small population; its seconds."""
    started = time.perf_counter()
    batch.compute(population(N * FUNDS_PER_EMPLOYMENT * 10, seed=1))
    return time.perf_counter() - started


def road() -> str:
    """``road_rows_per_s`` of bench/road.py: the road from a bulk case to result rows, 100,000 employments."""
    return f"{road_rows_per_s():.0f}"


def _euros(cents: int) -> str:
    return f"{Decimal(cents).scaleb(-2):,.2f}"


def _side_tuple(side: Any) -> tuple[int, ...]:
    return (side.max, side.franchise, side.min, side.base, side.percentage, side.amount)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="employment-fund-periods (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=5, help="batch runs; the best counts (default 5)")
    args = parser.parse_args()

    seconds = warm_up()
    how = "loaded from numba's cache" if kernel.loaded_from_cache() else "compiled"
    print(f"kernel: {how} in {seconds:.2f} s (not counted below)")

    pop = population(args.rows)
    rows = pop.n_links * N
    print(
        f"population: {len(pop.ids):,} employments, {pop.n_links:,} fund links, {rows:,} rows, {len(pop.funds)} funds"
    )

    timings = []
    columns = None
    for _ in range(args.repeat):
        columns = None  # free the last results first: a payroll process holds one month's results at a time
        started = time.perf_counter()
        columns = batch.compute(pop)
        timings.append(time.perf_counter() - started)
    batch_seconds = min(timings)
    print(f"batch: {batch_seconds:.3f} s best of {args.repeat} ({', '.join(f'{t:.3f}' for t in timings)})")

    del columns
    tracemalloc.start()
    pop = population(args.rows)
    columns = batch.compute(pop)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"batch memory: population + results + working set peak {peak / 1e6:.1f} MB, {peak / rows:.0f} bytes/row")

    bandwidth = copy_bandwidth()
    read, written = input_bytes(pop) / rows, output_bytes(columns) / rows
    limit = bandwidth / (read + written)
    batch_rate = rows / batch_seconds
    print(
        f"bandwidth: numpy copy {bandwidth / 1e9:.1f} GB/s; the engine reads {read:.0f} and writes {written:.0f} "
        f"bytes/row, so a copy of them runs at {limit:,.0f} rows/s; the engine at {batch_rate:,.0f} "
        f"({batch_rate * (read + written) / 1e9:.2f} GB/s)"
    )
    road_rate = road()
    scalar_seconds, mismatches = check_parity(pop, columns)
    print(f"scalar: {scalar_seconds:.1f} s")
    premium = int(columns.sides[0, 5].sum())
    total = int(columns.sides[1, 5].sum())
    print(f"year totals: premie {_euros(premium)}  afdracht {_euros(total)}  werkgever {_euros(total - premium)}")
    parity = "ok" if mismatches == 0 else f"FAILED({mismatches})"
    print(
        f"rows={rows} scalar_rows_per_s={rows / scalar_seconds:.0f} batch_rows_per_s={batch_rate:.0f} "
        f"limit_rows_per_s={limit:.0f} share_of_limit={batch_rate / limit:.3f} road_rows_per_s={road_rate} "
        f"parity={parity} peak_mb={peak / 1e6:.1f}"
    )
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
