"""A payroll population as columns: the batch engine's input.

Fund settings stay ``Fund`` objects (a wage model has at most 35); everything per employment, per
employment-fund link and per period is a numpy array, so a month of a payroll bureau fits in a few
arrays. Dates are days since 1970-01-01 (int64), money integer cents, factors ten-thousandths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from inleg.funds.calendar import Frequency
from inleg.funds.model import JAAR_GRSL, TOTALS, Case, Component, Fund

I64 = NDArray[np.int64]
Bools = NDArray[np.bool_]

EPOCH = date(1970, 1, 1)
NO_START = -(10**6)  # far before any payroll year
NO_END = (date.max - EPOCH).days


def day_number(day: date | None, default: int) -> int:
    return default if day is None else (day - EPOCH).days


@dataclass(frozen=True, slots=True)
class LaterLinks:
    """The second and later links of an employment's fund (dated versions of its terms), in date order.

    ``series`` names the employment-fund (an index into the population's links) each belongs to; the
    first link of every employment-fund stays in the population's own link columns.
    """

    series: I64
    start: I64
    end: I64
    has_deviation: Bools
    deviation: I64  # (V, 2)
    has_fixed: Bools
    fixed_contribution: I64  # (V, 2)


@dataclass(frozen=True, slots=True)
class Population:
    year: int
    frequency: Frequency
    components: dict[int, Component]
    funds: dict[int, Fund]
    columns: tuple[int, ...]  # the component number of each amount column
    # per employment (E)
    ids: tuple[str, ...]
    birth: I64
    hire: I64
    end: I64
    # Vaste gegevens, cents: (E, C) when every period has the employment's, else (E, N, C) with each period's
    # own (our extension, ADR 0008 addendum).
    fixed: I64
    # per employment and period (E, N)
    part_time_factor: I64  # a period's own or the employment's (also accepted: (E,), one for the year)
    norm_hours: I64
    amounts: I64  # (E, N, C) calculated component amounts, cents
    hours: I64
    overtime: I64
    unpaid: I64
    # per employment-fund (L), in result order: its first link's dates and terms
    link_employment: I64
    link_fund: I64
    link_start: I64
    link_end: I64
    has_deviation: Bools
    deviation: I64  # (L, 2): premium and total percentage
    has_fixed: Bools
    fixed_contribution: I64  # (L, 2): premium and total, cents
    later_links: LaterLinks | None = None  # an employment-fund's further links, if any has them

    @property
    def n_links(self) -> int:
        return int(self.link_fund.shape[0])

    def column(self, component: int) -> int | None:
        try:
            return self.columns.index(component)
        except ValueError:
            return None


def from_case(case: Case) -> Population:
    """Turn a validated case into columns (a Python loop: meant for cases, not for a million rows)."""
    n = 12 if case.frequency is Frequency.MONTH else 13
    numbers: set[int] = set(JAAR_GRSL)
    own_fixed: list[tuple[int, int, dict[int, int]]] = []  # (employment, period index, its own fixed data)
    for fund in case.funds.values():
        for version in fund.all_versions:
            numbers.update(entry.component for entry in version.base if entry.component not in TOTALS)
    for e, employment in enumerate(case.employments):
        numbers.update(employment.fixed)
        for period in employment.periods.values():
            numbers.update(period.components)
            if period.fixed is not None:
                numbers.update(period.fixed)
                own_fixed.append((e, period.period - 1, period.fixed))
    columns = tuple(sorted(numbers))
    index = {number: i for i, number in enumerate(columns)}
    e_count = len(case.employments)
    fixed = np.zeros((e_count, len(columns)), np.int64)
    amounts = np.zeros((e_count, n, len(columns)), np.int64)
    hours = np.zeros((e_count, n), np.int64)
    overtime = np.zeros((e_count, n), np.int64)
    unpaid = np.zeros((e_count, n), np.int64)
    # A period's own part-time factor and norm hours, else the employment's.
    factor = np.repeat(np.array([e.part_time_factor for e in case.employments], np.int64).reshape(-1, 1), n, axis=1)
    norm = np.repeat(np.array([e.norm_hours_per_week for e in case.employments], np.int64).reshape(-1, 1), n, axis=1)
    links: list[tuple[int, int, int, int, bool, int, int, bool, int, int]] = []
    later: list[tuple[int, int, int, int, bool, int, int, bool, int, int]] = []
    for e, employment in enumerate(case.employments):
        for number, amount in employment.fixed.items():
            fixed[e, index[number]] = amount
        for period in employment.periods.values():
            k = period.period - 1
            for number, amount in period.components.items():
                amounts[e, k, index[number]] = amount
            hours[e, k], overtime[e, k], unpaid[e, k] = period.hours, period.overtime_hours, period.unpaid_days
            if period.part_time_factor is not None:
                factor[e, k] = period.part_time_factor
            if period.norm_hours_per_week is not None:
                norm[e, k] = period.norm_hours_per_week
        for chain in employment.links_by_fund().values():
            for rank, link in enumerate(chain):
                dev, fix = link.deviation, link.fixed_contribution
                (links if rank == 0 else later).append(
                    (
                        e if rank == 0 else len(links) - 1,
                        link.number,
                        day_number(link.start_date, NO_START),
                        day_number(link.end_date, NO_END),
                        dev is not None,
                        dev.premium if dev else 0,
                        dev.total if dev else 0,
                        fix is not None,
                        fix.premium if fix else 0,
                        fix.total if fix else 0,
                    )
                )
    if own_fixed:
        # Some period has its own fixed data: every period's, the employment's where a period has none.
        fixed = np.repeat(fixed[:, None, :], n, axis=1)
        for e, k, own in own_fixed:
            fixed[e, k] = 0
            for number, amount in own.items():
                fixed[e, k, index[number]] = amount
    cols = list(zip(*links, strict=True)) if links else [()] * 10

    def ints(values: tuple[int, ...] | list[int]) -> I64:
        return np.array(values, dtype=np.int64)

    return Population(
        year=case.year,
        frequency=case.frequency,
        components=case.components,
        funds=case.funds,
        columns=columns,
        ids=tuple(e.id for e in case.employments),
        birth=ints([day_number(e.birth_date, 0) for e in case.employments]),
        hire=ints([day_number(e.hire_date, 0) for e in case.employments]),
        end=ints([day_number(e.end_date, NO_END) for e in case.employments]),
        fixed=fixed,
        part_time_factor=factor,
        norm_hours=norm,
        amounts=amounts,
        hours=hours,
        overtime=overtime,
        unpaid=unpaid,
        link_employment=ints(cols[0]),
        link_fund=ints(cols[1]),
        link_start=ints(cols[2]),
        link_end=ints(cols[3]),
        has_deviation=np.array(cols[4], dtype=np.bool_),
        deviation=np.stack([ints(cols[5]), ints(cols[6])], axis=1).reshape(-1, 2),
        has_fixed=np.array(cols[7], dtype=np.bool_),
        fixed_contribution=np.stack([ints(cols[8]), ints(cols[9])], axis=1).reshape(-1, 2),
        later_links=_later_links(later, ints),
    )


def _later_links(
    later: list[tuple[int, int, int, int, bool, int, int, bool, int, int]], ints: Callable[[list[int]], I64]
) -> LaterLinks | None:
    if not later:
        return None
    cols = [list(values) for values in zip(*later, strict=True)]
    return LaterLinks(
        series=ints(cols[0]),
        start=ints(cols[2]),
        end=ints(cols[3]),
        has_deviation=np.array(cols[4], dtype=np.bool_),
        deviation=np.stack([ints(cols[5]), ints(cols[6])], axis=1),
        has_fixed=np.array(cols[7], dtype=np.bool_),
        fixed_contribution=np.stack([ints(cols[8]), ints(cols[9])], axis=1),
    )
