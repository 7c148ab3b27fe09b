"""The batch fund engine: whole populations, integer cents, exact to the cent.

Two paths (ADR 0009). Funds whose settings hold for the whole year go through the compiled kernel
(``inleg.funds.kernel``): their settings become a slot of integer arrays (``_FundTable``) and one
compiled pass walks every link and period. Funds with versions in the year (ADR 0008), or whose
products could leave int64, take the numpy path (``_FundPass``, ADR 0002): fund by fund, every setting
a plain Python value and every employment, link and period a lane of an array, as in OpenFisca. The
scalar engine (``inleg.funds.scalar``) is the oracle both must agree with.

Exactness: every period value is ``round_half_up(numerator / denominator)`` on integers. Products
that could leave int64 are detected up front and computed with Python integers instead (slow, but
never wrong); realistic payroll figures stay on the fast path.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np
from numpy.typing import NDArray

from inleg.funds import kernel
from inleg.funds.calendar import PayrollYear, payroll_year
from inleg.funds.model import (
    JAAR_GRSL,
    TOTALS,
    AgeMoment,
    AgeTest,
    Case,
    Component,
    Fund,
    FundKind,
    Moment,
    Origin,
    RecalcUnit,
    Side,
    TableKind,
    TableRow,
    Threshold,
    TimeUnit,
)
from inleg.funds.numbers import FACTOR_SCALE, HOURS_SCALE, NORM_SCALE, PERCENT_SCALE
from inleg.funds.population import EPOCH, I64, NO_END, NO_START, Bools, Population, from_case
from inleg.funds.results import ResultRow, SideResult

CHUNK_LINKS = 4_096  # links per pass: small temporaries are reused from the heap, not page-faulted in anew
_SAFE = 2**61  # |numerator| below this keeps 2 * numerator + denominator inside int64
_PT_UNITS = (RecalcUnit.PERIOD, RecalcUnit.SV_DAYS, RecalcUnit.CALENDAR_DAYS)

# Field order of a side's result block.
MAX, FRANCHISE, MIN, BASE, PERCENTAGE, AMOUNT = range(6)

Operand = int | I64


@dataclass(frozen=True, slots=True)
class Columns:
    """Results as arrays of shape (links, periods); row ``l * N + k`` of the case's result order."""

    ids: tuple[str, ...]
    link_employment: I64
    link_fund: I64
    participates: Bools
    sv_days: I64
    calendar_days: I64
    pension_days: I64
    hours: I64
    raw_base: I64
    sides: I64  # (2, 6, links, periods): premium and total, fields MAX .. AMOUNT

    @property
    def rows(self) -> int:
        return int(self.participates.size)

    @property
    def employer(self) -> I64:
        employer: I64 = self.sides[1, AMOUNT] - self.sides[0, AMOUNT]
        return employer

    def to_rows(self, periods: Collection[int] | None = None) -> list[ResultRow]:
        """Back to result rows (all, or only those of ``periods``), to compare or print (a Python loop)."""
        rows: list[ResultRow] = []
        links, count = self.participates.shape
        wanted = [k for k in range(count) if periods is None or k + 1 in periods]
        sides = self.sides.tolist()
        part, sv, cal, pen = (
            a.tolist() for a in (self.participates, self.sv_days, self.calendar_days, self.pension_days)
        )
        hours, raw = self.hours.tolist(), self.raw_base.tolist()
        for link in range(links):
            employment = self.ids[int(self.link_employment[link])]
            fund = int(self.link_fund[link])
            for k in wanted:
                premium, total = (SideResult(*(sides[s][f][link][k] for f in range(6))) for s in (0, 1))
                rows.append(
                    ResultRow(
                        employment,
                        fund,
                        k + 1,
                        part[link][k],
                        sv[link][k],
                        cal[link][k],
                        pen[link][k],
                        hours[link][k],
                        raw[link][k],
                        premium,
                        total,
                    )
                )
        return rows


def calculate(case: Case) -> list[ResultRow]:
    """The batch engine over a case, as rows: the same contract as ``scalar.calculate``."""
    return compute(from_case(case)).to_rows()


def compute(pop: Population, *, compiled: bool = True) -> Columns:
    """All result columns of a population. ``compiled=False`` takes the numpy path for every fund.

    Every fund whose settings hold for the whole year goes through the compiled kernel
    (``inleg.funds.kernel``, ADR 0009): one pass over the links in the results' order. A fund with
    versions in the year, or whose products could leave int64, takes the numpy path (ADR 0002, 0008).
    """
    year = payroll_year(pop.year, pop.frequency)
    shape = (pop.n_links, year.n)
    out = Columns(
        ids=pop.ids,
        link_employment=pop.link_employment,
        link_fund=pop.link_fund,
        participates=np.zeros(shape, np.bool_),
        sv_days=np.zeros(shape, np.int64),
        calendar_days=np.zeros(shape, np.int64),
        pension_days=np.zeros(shape, np.int64),
        hours=np.zeros(shape, np.int64),
        raw_base=np.zeros(shape, np.int64),
        sides=np.zeros((2, 6, *shape), np.int64),
    )
    calendar = _Calendar.of(year)
    whole_year = {number: _segments(year, fund) for number, fund in pop.funds.items()}
    on_numpy = [number for number, segments in whole_year.items() if not compiled or len(segments) > 1]
    if compiled and pop.n_links:
        kernel_funds = {number: segments[0][1] for number, segments in whole_year.items() if len(segments) == 1}
        on_numpy += _compiled(pop, calendar, kernel_funds, out)
    for number in on_numpy:
        for links in _chunks(np.flatnonzero(pop.link_fund == number)):
            _FundPass(pop, calendar, whole_year[number], links).run(out)
    return out


# --- the compiled path: the funds' settings as the integers the kernel reads --------------------------

_UNIT = {
    RecalcUnit.PERIOD: kernel.UNIT_PERIOD,
    RecalcUnit.SV_DAYS: kernel.UNIT_SV_DAYS,
    RecalcUnit.CALENDAR_DAYS: kernel.UNIT_CALENDAR_DAYS,
    RecalcUnit.PENSION_DAYS: kernel.UNIT_PENSION_DAYS,
    RecalcUnit.HOURS: kernel.UNIT_HOURS,
}
_KIND = {
    TableKind.FIXED: kernel.KIND_FIXED,
    TableKind.AGE: kernel.KIND_AGE,
    TableKind.BIRTH_YEAR: kernel.KIND_BIRTH_YEAR,
}


def _compiled(pop: Population, calendar: _Calendar, funds: dict[int, Fund], out: Columns) -> list[int]:
    """The funds' links through the kernel; returns the funds whose products could leave int64 (cleared)."""
    year = calendar.year
    numbers = list(funds)
    fund_slot = np.full(pop.n_links, -1, np.int64)
    first_day = np.zeros(pop.n_links, np.int64)
    last_day = np.zeros(pop.n_links, np.int64)
    born = np.ascontiguousarray(np.stack(_ymd(pop.birth), axis=1))
    for slot, number in enumerate(numbers):
        links = np.flatnonzero(pop.link_fund == number)
        fund_slot[links] = slot
        first_day[links], last_day[links] = _span(pop, year, funds[number], born, pop.link_employment[links])
    terms = _LinkTerms.of(pop, np.arange(pop.n_links))
    table = _FundTable.of(pop, calendar, [funds[number] for number in numbers])
    overflow = np.zeros(len(numbers), np.bool_)
    kernel.compute_links(
        fund_slot,
        np.ascontiguousarray(pop.link_employment),
        first_day,
        last_day,
        terms.start,
        terms.end,
        terms.has_deviation,
        np.ascontiguousarray(terms.deviation),
        terms.has_fixed,
        np.ascontiguousarray(terms.fixed_contribution),
        born,
        _per_period(pop.part_time_factor, calendar.start.shape[0]),
        _per_period(pop.norm_hours, calendar.start.shape[0]),
        _fixed_per_period(pop.fixed),
        np.ascontiguousarray(pop.amounts),
        np.ascontiguousarray(pop.hours),
        np.ascontiguousarray(pop.overtime),
        np.ascontiguousarray(pop.unpaid),
        calendar.start,
        calendar.end,
        year.sv_year,
        year.cal_year,
        table.settings,
        table.weights,
        table.weight_counts,
        table.thresholds,
        table.threshold_amounts,
        table.percentages,
        table.tables,
        table.table_rows,
        table.test_days,
        out.participates,
        out.sv_days,
        out.calendar_days,
        out.pension_days,
        out.hours,
        out.raw_base,
        out.sides,
        overflow,
    )
    beyond = [number for number, flagged in zip(numbers, overflow.tolist(), strict=True) if flagged]
    for number in beyond:
        _clear(out, np.flatnonzero(pop.link_fund == number))  # the numpy path computes these exactly
    return beyond


def _fixed_per_period(fixed: I64) -> I64:
    """(employments, periods or 1, columns), C-ordered: one map for the year is one period the kernel reads for all
    (a view, no copy per period)."""
    return np.ascontiguousarray(fixed[:, None, :] if fixed.ndim == 2 else fixed)


def _per_period(values: I64, n: int) -> I64:
    """(employments, periods), C-ordered: a population with one value per employment holds it in every period."""
    if values.ndim == 1:
        return np.repeat(values.reshape(-1, 1), n, axis=1)
    return np.ascontiguousarray(values)


def _span(pop: Population, year: PayrollYear, fund: Fund, born: I64, e: I64) -> tuple[I64, I64]:
    """Section 3: per link the fund's first and last day before the link's own dates (hire, entry, end, exit)."""
    by, bm, bd = born[e, 0], born[e, 1], born[e, 2]
    first = np.maximum(pop.hire[e], (year.first_day - EPOCH).days)
    if fund.entry is not None:
        first = np.maximum(first, _moment_days(by, bm, bd, fund.entry))
    last = pop.end[e]
    if fund.exit is not None:
        last = np.minimum(last, _moment_days(by, bm, bd, fund.exit) - 1)
    return first, last


def _clear(out: Columns, links: I64) -> None:
    for array in (out.participates, out.sv_days, out.calendar_days, out.pension_days, out.hours, out.raw_base):
        array[links] = 0
    out.sides[:, :, links] = 0


@dataclass(frozen=True, slots=True)
class _FundTable:
    """The settings of the kernel's funds, one slot per fund, in the layout ``inleg.funds.kernel`` names."""

    settings: I64  # (F, 5)
    weights: I64  # (F, 3, 2, M) by origin: columns and weights of the raw base (section 4)
    weight_counts: I64  # (F, 3)
    thresholds: I64  # (F, 2, 3, 5) per side and threshold: its factors to the period (section 5)
    threshold_amounts: I64  # (F, 2, 3)
    percentages: I64  # (F, 2)
    tables: I64  # (F, 2, R, 4) franchise and percentage table (section 6)
    table_rows: I64  # (F, 2)
    test_days: I64  # (F, 2, N, 3) per period the (year, month, day) of each table's age test

    @classmethod
    def of(cls, pop: Population, calendar: _Calendar, funds: list[Fund]) -> _FundTable:
        count, n = len(funds), calendar.year.n
        weights_by_fund = [[_weight_pairs(w) for w in _weights(pop, fund)] for fund in funds]
        width = max((len(pairs) for by_origin in weights_by_fund for pairs in by_origin), default=0)
        rows = max((len(t) for fund in funds for t in (fund.franchise_table, fund.percentage_table)), default=0)
        table = cls(
            settings=np.zeros((count, 5), np.int64),
            weights=np.zeros((count, 3, 2, max(width, 1)), np.int64),
            weight_counts=np.zeros((count, 3), np.int64),
            thresholds=np.zeros((count, 2, 3, 5), np.int64),
            threshold_amounts=np.zeros((count, 2, 3), np.int64),
            percentages=np.zeros((count, 2), np.int64),
            tables=np.zeros((count, 2, max(rows, 1), 4), np.int64),
            table_rows=np.zeros((count, 2), np.int64),
            test_days=np.zeros((count, 2, n, 3), np.int64),
        )
        for f, fund in enumerate(funds):
            table.settings[f] = (
                _UNIT[fund.recalc_unit],
                fund.kind is FundKind.HOURS_INCL_OVERTIME,
                fund.cumulative,
                _KIND[fund.franchise_kind],
                _KIND[fund.percentage_kind],
            )
            for origin, pairs in enumerate(weights_by_fund[f]):
                table.weight_counts[f, origin] = len(pairs)
                for c, (column, weight) in enumerate(pairs):
                    table.weights[f, origin, :, c] = (column, weight)
            for s, side in enumerate((fund.premium, fund.total)):
                table.percentages[f, s] = side.percentage
                for t, threshold in enumerate((side.max_base, side.franchise, side.min_base)):
                    table.thresholds[f, s, t] = _threshold_terms(calendar.year, fund, threshold)
                    table.threshold_amounts[f, s, t] = threshold.amount
            for which, (kind_rows, test) in enumerate(
                ((fund.franchise_table, fund.franchise_age_test), (fund.percentage_table, fund.percentage_age_test))
            ):
                table.table_rows[f, which] = len(kind_rows)
                for r, row in enumerate(kind_rows):
                    table.tables[f, which, r] = (row.low, row.high, row.premium, row.total)
                table.test_days[f, which] = _test_days(calendar, test)
        return table


def _threshold_terms(year: PayrollYear, fund: Fund, threshold: Threshold) -> list[int]:
    """Section 5 as the kernel's factors: amount * numerator [* norm] [* period factor] [* ptf] / denominator."""
    unit = fund.recalc_unit
    numerator, denominator, norm_above, norm_below = 1, 1, False, False
    hour_unit = threshold.unit is TimeUnit.HOUR
    if unit is RecalcUnit.HOURS and hour_unit:
        denominator = HOURS_SCALE  # A * 52 * norm per year, times h / (52 * norm): the norm cancels
    else:
        if hour_unit:
            numerator, denominator, norm_above = 52, NORM_SCALE, True
        else:
            numerator = {TimeUnit.YEAR: 1, TimeUnit.PERIOD: year.n, TimeUnit.SV_DAY: year.sv_year}.get(
                threshold.unit, year.cal_year
            )
        if unit is RecalcUnit.PERIOD:
            denominator *= year.n
        elif unit in (RecalcUnit.SV_DAYS, RecalcUnit.PENSION_DAYS):
            denominator *= year.sv_year
        elif unit is RecalcUnit.CALENDAR_DAYS:
            denominator *= year.cal_year
        else:  # hours: h / (52 * norm) of the year
            numerator *= NORM_SCALE
            denominator *= HOURS_SCALE * 52
            norm_below = True
    part_time = threshold.part_time and unit in _PT_UNITS
    if part_time:
        denominator *= FACTOR_SCALE
    common = math.gcd(numerator, denominator)
    return [numerator // common, denominator // common, norm_above, norm_below, part_time]


def _weight_pairs(weights: dict[int, int]) -> list[tuple[int, int]]:
    return sorted((column, weight) for column, weight in weights.items() if weight)


def _test_days(calendar: _Calendar, test: AgeTest) -> I64:
    """Per period the (year, month, day) on which a table's age is measured (section 6)."""
    year = calendar.year.year
    fixed = {AgeTest.JAN1: date(year, 1, 1), AgeTest.DEC31: date(year, 12, 31)}.get(test)
    days = [fixed or (period.start if test is AgeTest.PERIOD_START else period.end) for period in calendar.year.periods]
    return np.array([(d.year, d.month, d.day) for d in days], np.int64).reshape(-1, 3)


Segment = tuple[slice, Fund]


def _segments(year: PayrollYear, fund: Fund) -> list[Segment]:
    """Runs of periods computed with one version of the fund: each period takes the one valid on its last day."""
    versions = [fund.in_period(period.end) for period in year.periods]
    segments: list[Segment] = []
    first = 0
    for k in range(1, year.n + 1):
        if k == year.n or versions[k] is not versions[first]:
            segments.append((slice(first, k), versions[first]))
            first = k
    return segments


def _join[A: np.ndarray](parts: list[A]) -> A:
    if len(parts) == 1:
        return parts[0]
    return cast(A, np.concatenate(parts, axis=1))


@dataclass(frozen=True, slots=True)
class _Days:
    """One segment's participation, days and hours; ``rank`` the link that applies (None: one link)."""

    part: Bools
    sv: I64
    cal: I64
    hours: I64
    rank: I64 | None


def _cols(values: I64, cols: slice) -> I64:
    """A (links, periods) array's columns of a segment; a (links, 1) array holds for every period."""
    return values if values.shape[1] == 1 else values[:, cols]


@dataclass(frozen=True, slots=True)
class _LinkTerms:
    """A chunk's links by rank: row 0 the first link of each employment-fund, rows 1.. its later ones."""

    start: I64  # (R, links)
    end: I64
    has_deviation: Bools
    deviation: I64  # (R, links, 2)
    has_fixed: Bools
    fixed_contribution: I64  # (R, links, 2)

    @classmethod
    def of(cls, pop: Population, links: I64) -> _LinkTerms:
        first = cls(
            pop.link_start[links][None],
            pop.link_end[links][None],
            pop.has_deviation[links][None],
            pop.deviation[links][None],
            pop.has_fixed[links][None],
            pop.fixed_contribution[links][None],
        )
        later = pop.later_links
        if later is None:
            return first
        at = np.searchsorted(links, later.series)
        mine = np.flatnonzero((at < links.size) & (links[np.minimum(at, links.size - 1)] == later.series))
        if mine.size == 0:
            return first
        # A slot per later link of its employment-fund: its place among that employment-fund's later links.
        mine = mine[np.argsort(at[mine], kind="stable")]
        position = at[mine]
        run_start = np.r_[True, position[1:] != position[:-1]]
        index = np.arange(mine.size)
        rank = index - np.maximum.accumulate(np.where(run_start, index, 0)) + 1
        count = int(rank.max()) + 1
        start = np.full((count, links.size), NO_END, np.int64)  # an empty slot: starts after it ends
        end = np.full((count, links.size), NO_START, np.int64)
        has_deviation = np.zeros((count, links.size), np.bool_)
        deviation = np.zeros((count, links.size, 2), np.int64)
        has_fixed = np.zeros((count, links.size), np.bool_)
        fixed_contribution = np.zeros((count, links.size, 2), np.int64)
        for target, source in (
            (start, first.start),
            (end, first.end),
            (has_deviation, first.has_deviation),
            (deviation, first.deviation),
            (has_fixed, first.has_fixed),
            (fixed_contribution, first.fixed_contribution),
        ):
            target[0] = source[0]
        start[rank, position] = later.start[mine]
        end[rank, position] = later.end[mine]
        has_deviation[rank, position] = later.has_deviation[mine]
        deviation[rank, position] = later.deviation[mine]
        has_fixed[rank, position] = later.has_fixed[mine]
        fixed_contribution[rank, position] = later.fixed_contribution[mine]
        return cls(start, end, has_deviation, deviation, has_fixed, fixed_contribution)


def _chunks(links: I64) -> Iterator[I64]:
    for start in range(0, links.size, CHUNK_LINKS):
        yield links[start : start + CHUNK_LINKS]


# --- dates as day numbers ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Calendar:
    year: PayrollYear
    start: I64  # (N,) first day of each period
    end: I64

    @classmethod
    def of(cls, year: PayrollYear) -> _Calendar:
        return cls(
            year,
            np.array([(p.start - EPOCH).days for p in year.periods], np.int64),
            np.array([(p.end - EPOCH).days for p in year.periods], np.int64),
        )


def _ymd(days: I64) -> tuple[I64, I64, I64]:
    d = days.astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    m = months.astype(np.int64)
    return m // 12 + 1970, m % 12 + 1, (d - months.astype("datetime64[D]")).astype(np.int64) + 1


def _days(year: I64, month: I64, day: I64) -> I64:
    """Day numbers of (year, month, day), the day clipped to the month's length."""
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]").astype(np.int64)
    length = (months + np.timedelta64(1, "M")).astype("datetime64[D]").astype(np.int64) - first
    result: I64 = first + np.minimum(day, length) - 1
    return result


def _is_leap(year: I64) -> Bools:
    result: Bools = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return result


def _birthday(by: I64, bm: I64, bd: I64, year: I64) -> tuple[I64, I64]:
    """Month and day of the birthday in ``year``: 29 February becomes 1 March in other years."""
    shifted = (bm == 2) & (bd == 29) & ~_is_leap(year)
    return np.where(shifted, 3, bm), np.where(shifted, 1, bd)


def _moment_days(by: I64, bm: I64, bd: I64, moment: AgeMoment) -> I64:
    year = by + moment.age
    month, day = _birthday(by, bm, bd, year)
    if moment.moment is Moment.MONTH_START:
        day = np.ones_like(day)
    elif moment.moment is Moment.NEXT_MONTH_START:
        day, month = np.ones_like(day), month + 1
    month = month - 1 + moment.extra_months
    return _days(year + month // 12, month % 12 + 1, day)


def _age(by: I64, bm: I64, bd: I64, on: I64) -> I64:
    """Completed years on day numbers ``on`` (broadcasting)."""
    oy, om, od = _ymd(on)
    month, day = _birthday(by, bm, bd, oy)
    before = (om < month) | ((om == month) & (od < day))
    result: I64 = oy - by - before
    return result


def _weekdays_before(days: I64) -> I64:
    """Weekdays (SV-days) from Monday 1969-12-29 up to, not including, each day."""
    since_monday = days + 3
    result: I64 = 5 * (since_monday // 7) + np.minimum(since_monday % 7, 5)
    return result


# --- exact integer arithmetic --------------------------------------------------------------------


def _div_half_up(numerator: I64, denominator: Operand) -> I64:
    q = (2 * np.abs(numerator) + denominator) // (2 * denominator)
    result: I64 = np.where(numerator < 0, -q, q)
    return result


def _bound(operand: Operand) -> float:
    if isinstance(operand, int):
        return float(abs(operand))
    return float(np.max(np.abs(operand), initial=0))


def muldiv(factors: list[Operand], denominators: list[Operand]) -> I64:
    """``round_half_up(prod(factors) / prod(denominators))``, elementwise and exact.

    Scalar parts are multiplied and reduced by their gcd in Python first; the array parts then stay in
    int64 when a bound on the product allows, else they are computed with Python integers.
    """
    num_scalar = math.prod(f for f in factors if isinstance(f, int))
    den_scalar = math.prod(d for d in denominators if isinstance(d, int))
    common = math.gcd(num_scalar, den_scalar) or 1
    num_scalar, den_scalar = num_scalar // common, den_scalar // common
    arrays = [f for f in factors if not isinstance(f, int)]
    den_arrays = [d for d in denominators if not isinstance(d, int)]
    bound = float(abs(num_scalar)) * math.prod(_bound(a) for a in arrays)
    den_bound = float(den_scalar) * math.prod(_bound(d) for d in den_arrays)
    if bound < _SAFE and den_bound < _SAFE:
        numerator: Operand = num_scalar
        for a in arrays:
            numerator = numerator * a
        denominator: Operand = den_scalar
        for d in den_arrays:
            denominator = denominator * d
        return _div_half_up(np.asarray(numerator, np.int64), denominator)
    return _muldiv_exact(num_scalar, arrays, den_scalar, den_arrays)


def _muldiv_exact(num_scalar: int, arrays: list[I64], den_scalar: int, den_arrays: list[I64]) -> I64:
    """The slow path of ``muldiv``: Python integers in object arrays, for products beyond int64."""
    numerator: NDArray[np.object_] = np.asarray(num_scalar, dtype=object)
    for a in arrays:
        numerator = numerator * a.astype(object)
    denominator: NDArray[np.object_] = np.asarray(den_scalar, dtype=object)
    for d in den_arrays:
        denominator = denominator * d.astype(object)
    q = (2 * abs(numerator) + denominator) // (2 * denominator)
    signed = np.where(numerator < 0, -q, q)
    return np.asarray(signed, dtype=np.int64)


# --- one fund over a chunk of links ----------------------------------------------------------------


class _FundPass:
    """One fund over a chunk of its links: arrays of shape (links,) or (links, periods).

    A fund with versions splits the year into segments of periods; each segment's settings are plain
    Python values again, and the section methods work on that segment's columns (``_enter``). What runs
    over the year (pension days, cumulative sums) is computed over all columns.
    """

    def __init__(self, pop: Population, calendar: _Calendar, segments: list[Segment], links: I64) -> None:
        self.pop, self.calendar, self.segments, self.links = pop, calendar, segments, links
        self.year = calendar.year
        self.e = pop.link_employment[links]
        by, bm, bd = _ymd(pop.birth[self.e])
        self.by, self.bm, self.bd = by[:, None], bm[:, None], bd[:, None]
        # Per link and period (L, N): each period's own factor and norm. A population with one value per
        # employment for the whole year ((E,): bench/funds.py) holds it in every period.
        ptf, norm, n = pop.part_time_factor[self.e], pop.norm_hours[self.e], calendar.start.shape[0]
        self.all_ptf = ptf if ptf.ndim == 2 else np.broadcast_to(ptf[:, None], (ptf.shape[0], n))
        self.all_norm = norm if norm.ndim == 2 else np.broadcast_to(norm[:, None], (norm.shape[0], n))
        self.terms = _LinkTerms.of(pop, links)

    def _enter(self, cols: slice, fund: Fund) -> None:
        """Point the section methods at one segment: its settings and its columns (views)."""
        self.fund, self.cols = fund, cols
        self.cal_start, self.cal_end = self.calendar.start[cols], self.calendar.end[cols]
        self.part = self.all_part[:, cols]
        self.sv, self.cal = self.all_sv[:, cols], self.all_cal[:, cols]
        self.pension, self.hours = self.all_pension[:, cols], self.all_hours[:, cols]
        self.ptf, self.norm = self.all_ptf[:, cols], self.all_norm[:, cols]
        self.has_deviation = _cols(self.all_has_deviation, cols)
        self.deviation = [_cols(d, cols) for d in self.all_deviation]

    def run(self, out: Columns) -> None:
        links = self.links
        days = [self._days(cols, fund) for cols, fund in self.segments]
        part: Bools = _join([d.part for d in days])
        sv, cal, hours = _join([d.sv for d in days]), _join([d.cal for d in days]), _join([d.hours for d in days])
        # Pension days: ceil of the year's sum so far of each period's factor times its SV-days (ADR 0008).
        counted = np.cumsum(self.all_ptf * sv, axis=1)
        pension_total = (counted + FACTOR_SCALE - 1) // FACTOR_SCALE
        pension = np.diff(pension_total, axis=1, prepend=0)
        self.all_part, self.all_sv, self.all_cal, self.all_pension, self.all_hours = part, sv, cal, pension, hours
        terms = self.terms
        if terms.start.shape[0] == 1:
            self.all_has_deviation = terms.has_deviation[0][:, None]
            self.all_deviation = [terms.deviation[0, :, s][:, None] for s in (0, 1)]
            has_fixed = terms.has_fixed[0][:, None]
            fixed_amounts = [terms.fixed_contribution[0, :, s][:, None] for s in (0, 1)]
        else:
            # Per period the terms of the link valid on the last day the fund applies in it.
            rank, lane = _join([d.rank for d in days if d.rank is not None]), np.arange(links.size)[:, None]
            self.all_has_deviation = terms.has_deviation[rank, lane]
            self.all_deviation = [terms.deviation[rank, lane, s] for s in (0, 1)]
            has_fixed = terms.has_fixed[rank, lane]
            fixed_amounts = [terms.fixed_contribution[rank, lane, s] for s in (0, 1)]
        raws = []
        for cols, fund in self.segments:
            self._enter(cols, fund)
            raws.append(np.where(self.part, self._raw_base(), 0))
        raw = _join(raws)
        out.participates[links] = part
        out.sv_days[links] = sv
        out.calendar_days[links] = cal
        out.pension_days[links] = pension
        out.hours[links] = hours
        out.raw_base[links] = raw
        fixed = has_fixed & part
        # Fixed-contribution periods skip the calculation, so they stay out of a cumulative year to date.
        calc = part if terms.start.shape[0] == 1 else part & ~fixed
        for s in (0, 1):
            block = self._sides(s, raw, calc)
            block[:, fixed] = 0
            block[AMOUNT] = np.where(fixed, fixed_amounts[s], block[AMOUNT])
            out.sides[s][:, links] = block

    # section 3
    def _days(self, cols: slice, fund: Fund) -> _Days:
        pop, e, year = self.pop, self.e, self.year
        first_day = (year.first_day - EPOCH).days
        start = np.maximum(pop.hire[e], first_day)
        if fund.entry is not None:
            start = np.maximum(start, _moment_days(self.by[:, 0], self.bm[:, 0], self.bd[:, 0], fund.entry))
        end = pop.end[e]
        if fund.exit is not None:
            end = np.minimum(end, _moment_days(self.by[:, 0], self.bm[:, 0], self.bd[:, 0], fund.exit) - 1)
        cal_start, cal_end = self.calendar.start[cols][None, :], self.calendar.end[cols][None, :]
        terms = self.terms
        rank: I64 | None = None
        if terms.start.shape[0] == 1:
            lo = np.maximum(np.maximum(start, terms.start[0])[:, None], cal_start)
            hi = np.minimum(np.minimum(end, terms.end[0])[:, None], cal_end)
            part: Bools = lo <= hi
            cal = np.where(part, hi - lo + 1, 0)
            weekdays = _weekdays_before(hi + 1) - _weekdays_before(lo)
        else:
            # Links of one fund never overlap: a period's days are the sum over its links.
            shape = (e.size, cal_start.shape[1])
            part, cal, weekdays = np.zeros(shape, np.bool_), np.zeros(shape, np.int64), np.zeros(shape, np.int64)
            rank, last = np.zeros(shape, np.int64), np.full(shape, NO_START, np.int64)
            for r in range(terms.start.shape[0]):
                lo = np.maximum(np.maximum(start, terms.start[r])[:, None], cal_start)
                hi = np.minimum(np.minimum(end, terms.end[r])[:, None], cal_end)
                inside = lo <= hi
                part |= inside
                cal += np.where(inside, hi - lo + 1, 0)
                weekdays += np.where(inside, _weekdays_before(hi + 1) - _weekdays_before(lo), 0)
                later = inside & (hi > last)
                rank, last = np.where(later, r, rank), np.where(later, hi, last)
        sv = np.where(part, np.maximum(weekdays - pop.unpaid[e][:, cols], 0), 0)
        hours = pop.hours[e][:, cols]
        if fund.kind is FundKind.HOURS_INCL_OVERTIME:
            hours = hours + pop.overtime[e][:, cols]
        return _Days(part, sv, cal, np.where(part, hours, 0), rank)

    # section 4
    def _raw_base(self) -> I64:
        pop, e = self.pop, self.e
        calculated, fixed, annual = _weights(self.pop, self.fund)
        base = np.zeros(self.sv.shape, np.int64)
        for column, weight in calculated.items():
            if weight:
                base += weight * pop.amounts[e, self.cols, column]
        if pop.fixed.ndim == 2:
            # One fixed map for the whole year: the fixed part is the same in every period of a link.
            per_link = np.zeros(self.links.size, np.int64)
            for column, weight in fixed.items():
                if weight:
                    per_link += weight * pop.fixed[e, column]
            base += per_link[:, None]
        else:
            for column, weight in fixed.items():
                if weight:
                    base += weight * pop.fixed[e, self.cols, column]
        for column, weight in annual.items():
            if weight:
                annual_base = pop.fixed[e, column][:, None] if pop.fixed.ndim == 2 else pop.fixed[e, self.cols, column]
                base += weight * self._annual_to_period(annual_base)
        return base

    def _annual_to_period(self, annual: I64) -> I64:
        year, unit = self.year, self.fund.recalc_unit
        if unit is RecalcUnit.PERIOD:
            return np.broadcast_to(muldiv([annual], [year.n]), self.sv.shape)
        if unit is RecalcUnit.CALENDAR_DAYS:
            return muldiv([annual, self.cal], [year.cal_year])
        return muldiv([annual, self.sv], [year.sv_year])

    # sections 5 and 6
    def _age_key(self, kind: TableKind, test: AgeTest) -> I64:
        if kind is TableKind.BIRTH_YEAR:
            return np.broadcast_to(self.by, self.sv.shape)
        year = self.year.year
        on: I64 = {
            AgeTest.JAN1: np.array([(_date(year, 1, 1))], np.int64),
            AgeTest.DEC31: np.array([(_date(year, 12, 31))], np.int64),
            AgeTest.PERIOD_START: self.cal_start,
            AgeTest.PERIOD_END: self.cal_end,
        }[test][None, :]
        return np.broadcast_to(_age(self.by, self.bm, self.bd, on), self.sv.shape)

    def _from_table(self, table: tuple[TableRow, ...], kind: TableKind, test: AgeTest, side: int) -> I64:
        key = self._age_key(kind, test)
        value = np.zeros(key.shape, np.int64)
        for row in table:
            value[(key >= row.low) & (key <= row.high)] = row.premium if side == 0 else row.total
        return value

    def _period_value(self, threshold: Threshold, amount: Operand) -> I64:
        """Section 5: the amount per time unit, to the year, to the period (rounded)."""
        year, unit = self.year, self.fund.recalc_unit
        factors: list[Operand] = [amount]
        denominators: list[Operand] = []
        hour_unit = threshold.unit is TimeUnit.HOUR
        if unit is RecalcUnit.HOURS and hour_unit:
            # A * 52 * norm per year, times h / (52 * norm): the norm cancels.
            factors.append(self.hours)
            denominators.append(HOURS_SCALE)
        else:
            if hour_unit:
                factors += [52, self.norm]
                denominators.append(NORM_SCALE)
            else:
                factors.append(
                    {TimeUnit.YEAR: 1, TimeUnit.PERIOD: year.n, TimeUnit.SV_DAY: year.sv_year}.get(
                        threshold.unit, year.cal_year
                    )
                )
            if unit is RecalcUnit.PERIOD:
                denominators.append(year.n)
            elif unit is RecalcUnit.SV_DAYS:
                factors.append(self.sv)
                denominators.append(year.sv_year)
            elif unit is RecalcUnit.CALENDAR_DAYS:
                factors.append(self.cal)
                denominators.append(year.cal_year)
            elif unit is RecalcUnit.PENSION_DAYS:
                factors.append(self.pension)
                denominators.append(year.sv_year)
            else:
                factors += [self.hours, NORM_SCALE]
                denominators += [HOURS_SCALE, 52, np.where(self.norm == 0, 1, self.norm)]
        if threshold.part_time and unit in _PT_UNITS:
            factors.append(self.ptf)
            denominators.append(FACTOR_SCALE)
        value = muldiv(factors, denominators)
        return np.where(self.part, np.broadcast_to(value, self.sv.shape), 0)

    def _percentage(self, s: int, side: Side) -> I64:
        fund = self.fund
        if fund.percentage_kind is TableKind.FIXED:
            percentage = np.full(self.sv.shape, side.percentage, np.int64)
        else:
            percentage = self._from_table(fund.percentage_table, fund.percentage_kind, fund.percentage_age_test, s)
        return np.where(self.has_deviation, self.deviation[s], percentage)

    # section 7
    def _sides(self, s: int, raw: I64, calc: Bools) -> I64:
        """Premium (s = 0) or total (s = 1) over all periods, segment by segment."""
        if len(self.segments) == 1:
            cols, fund = self.segments[0]
            self._enter(cols, fund)
            block, used = self._side(s, fund.premium if s == 0 else fund.total, raw, own=not fund.cumulative)
            if fund.cumulative:
                self._cumulative(block, raw, calc, [(cols, used)])
            return block
        block = np.zeros((6, *raw.shape), np.int64)
        cumulative: list[tuple[slice, _Used]] = []
        for cols, fund in self.segments:
            self._enter(cols, fund)
            block[:, :, cols], used = self._side(s, fund.premium if s == 0 else fund.total, raw[:, cols], own=True)
            if fund.cumulative:
                cumulative.append((cols, used))
        if cumulative:
            self._cumulative(block, raw, calc, cumulative)
        return block

    def _side(self, s: int, side: Side, raw: I64, *, own: bool) -> tuple[I64, _Used]:
        """One segment's thresholds and percentage, and (``own``) its base and amount on its own."""
        fund = self.fund
        if fund.franchise_kind is TableKind.FIXED:
            franchise_amount: Operand = side.franchise.amount
            franchise_used: Bools | bool = side.franchise.amount != 0
        else:
            table_amount = self._from_table(fund.franchise_table, fund.franchise_kind, fund.franchise_age_test, s)
            franchise_amount, franchise_used = table_amount, table_amount != 0
        maximum = self._period_value(side.max_base, side.max_base.amount) if side.max_base.amount else 0
        franchise = self._period_value(side.franchise, franchise_amount) if np.any(franchise_used) else 0
        minimum = self._period_value(side.min_base, side.min_base.amount) if side.min_base.amount else 0
        percentage = self._percentage(s, side)
        block = np.zeros((6, *self.sv.shape), np.int64)
        block[MAX], block[FRANCHISE], block[MIN] = maximum, franchise, minimum
        block[PERCENTAGE] = np.where(self.part, percentage, 0)
        used = (side.max_base.amount != 0, franchise_used, side.min_base.amount != 0)
        if own:
            b3 = _apply(raw, raw, block[MAX], block[FRANCHISE], block[MIN], *used)
            block[BASE] = np.where(self.part, b3, 0)
            block[AMOUNT] = np.where(self.part, muldiv([b3, percentage], [100 * PERCENT_SCALE]), 0)
        return block, used

    def _cumulative(self, block: I64, raw: I64, calc: Bools, segments: list[tuple[slice, _Used]]) -> None:
        """Cumulatief: steps 1-4 on the year to date, less what the earlier calculated periods took.

        The year to date sums every calculated period so far (base and rounded thresholds), whichever
        version computed it; a cumulative period applies its own settings and percentage to those sums.
        """
        whole = calc is self.all_part  # nothing to leave out: the sums run over every participating period
        ytd = [np.cumsum(a if whole else np.where(calc, a, 0), axis=1) for a in (raw, block[MAX], block[FRANCHISE])]
        ytd.append(np.cumsum(block[MIN] if whole else np.where(calc, block[MIN], 0), axis=1))
        if len(segments) == 1 and segments[0][0] == slice(0, raw.shape[1]):
            used = segments[0][1]
            b3 = _apply(ytd[0], ytd[0], ytd[1], ytd[2], ytd[3], *used)
            amount = muldiv([b3, block[PERCENTAGE]], [100 * PERCENT_SCALE])
            block[BASE] = np.where(calc, b3 - _previous(b3, calc), 0)
            block[AMOUNT] = np.where(calc, amount - _previous(amount, calc), 0)
            return
        is_cumulative = np.zeros(raw.shape[1], np.bool_)
        year_b3, year_amount = np.zeros_like(raw), np.zeros_like(raw)
        for cols, used in segments:
            base, maximum, franchise, minimum = (a[:, cols] for a in ytd)
            b3 = _apply(base, base, maximum, franchise, minimum, *used)
            year_b3[:, cols] = b3
            year_amount[:, cols] = muldiv([b3, block[PERCENTAGE][:, cols]], [100 * PERCENT_SCALE])
            is_cumulative[cols] = True
        taking = calc & is_cumulative[None, :]
        own = calc & ~is_cumulative[None, :]
        for field, year_to_date in ((BASE, year_b3), (AMOUNT, year_amount)):
            taken = _taken_before(year_to_date, np.where(own, block[field], 0), taking)
            block[field] = np.where(taking, year_to_date - taken, block[field])


_Used = tuple[bool, "Bools | bool", bool]  # max, franchise and min used


def _previous(values: I64, mask: Bools) -> I64:
    """Per period, the value at the latest earlier period of ``mask`` (0 if none)."""
    periods = np.arange(values.shape[1])
    last = np.maximum.accumulate(np.where(mask, periods, -1), axis=1)
    earlier = np.concatenate([np.full((values.shape[0], 1), -1), last[:, :-1]], axis=1)
    taken = np.take_along_axis(values, np.maximum(earlier, 0), axis=1)
    result: I64 = np.where(earlier >= 0, taken, 0)
    return result


def _taken_before(year_to_date: I64, own: I64, taking: Bools) -> I64:
    """What the calculated periods before each period took: at the latest cumulative period the year to
    date, plus what later periods computed on their own took (``own``, zero elsewhere)."""
    periods = np.arange(own.shape[1])
    running = np.cumsum(own, axis=1)
    latest = np.maximum.accumulate(np.where(taking, periods, -1), axis=1)
    at = np.maximum(latest, 0)
    settled = np.where(
        latest >= 0,
        np.take_along_axis(year_to_date, at, axis=1) - np.take_along_axis(running, at, axis=1),
        0,
    )
    so_far = settled + running  # taken up to and including each period
    result: I64 = np.concatenate([np.zeros((own.shape[0], 1), np.int64), so_far[:, :-1]], axis=1)
    return result


def _apply(
    base: I64,
    test: I64,
    maximum: I64,
    franchise: I64,
    minimum: I64,
    max_used: bool,
    franchise_used: Bools | bool,
    min_used: bool,
) -> I64:
    """Section 7 steps 1-3 on arrays: max before franchise, franchise, min after franchise."""
    b1 = np.minimum(base, maximum) if max_used else base
    b2 = np.where(franchise_used, np.maximum(b1 - franchise, 0), b1)
    if not min_used:
        return b2
    result: I64 = np.where(test > 0, np.maximum(b2, minimum), b2)
    return result


def _date(year: int, month: int, day: int) -> int:
    return (date(year, month, day) - EPOCH).days


def _component(pop: Population, number: int) -> Component:
    return pop.components.get(number) or Component(number)


# section 4
def _weights(pop: Population, fund: Fund) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """The raw base as weights on the amount columns: calculated, fixed and annual (JAAR GRSL)."""
    present = fund.totals_in_base
    calculated: dict[int, int] = {}
    fixed: dict[int, int] = {}
    annual: dict[int, int] = {}

    def add(weights: dict[int, int], column: int, weight: int) -> None:
        weights[column] = weights.get(column, 0) + weight

    for entry in fund.base:
        if entry.component in TOTALS:
            if entry.origin is Origin.CALCULATED:
                # 257 BRUTO / 265 V/H SOC.PLLOON: each calculated amount by its coefficient in the total.
                for index, number in enumerate(pop.columns):
                    add(calculated, index, _component(pop, number).coefficient(entry.component))
            continue
        found = pop.column(entry.component)
        if entry.origin is Origin.EXCLUDED or found is None:
            continue
        column = found
        component = _component(pop, entry.component)
        coefficients = [component.coefficient(total) for total in present]
        # Tegengesteld: a part of a total present counts opposite to how it counts in that total.
        weight = -sum(coefficients) if any(coefficients) else component.sign
        if entry.component in JAAR_GRSL:
            add(annual, column, weight)
        else:
            add(fixed if entry.origin is Origin.FIXED else calculated, column, weight)
    return calculated, fixed, annual
