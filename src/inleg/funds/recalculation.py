"""Herrekening: what a change to periods already run in the year costs or returns, booked in the current period.

Seed 004: "Aanpassingen in een bestaande grondslag of fonds kan bij de eerstvolgende salarisverwerking tot
herrekeningen leiden." When a fund's settings, an employment's link or a base component change for periods
already run, the next run recomputes those periods and books, per employment and fund, the difference
between the recomputed and the booked amounts of each earlier period on a line that names that period.

Only this payroll year: "Loket kan deze fondsen niet met terugwerkende kracht toepassen voor een voorgaand
jaar". A change dated before the year recalculates the year's own periods and no more; the part before the
year is reported as not recalculated, with the reason.

Cumulative funds and pension days stay exact: the current period's own row comes from the recomputed
year (``after``), so what was booked, plus the corrections, plus the current row is the recomputed year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np

from inleg.funds import batch, scalar
from inleg.funds.calendar import payroll_year
from inleg.funds.cases import parse_case
from inleg.funds.errors import ConflictingSettings, FundError, MissingField, OutOfRange, WrongType
from inleg.funds.model import Case, Employment
from inleg.funds.numbers import format_hours, format_money
from inleg.funds.population import I64, from_case
from inleg.funds.results import ResultRow


@dataclass(frozen=True, slots=True)
class Correction:
    """One earlier period's difference for one employment and fund, booked in ``period``."""

    employment: str
    fund: int
    period: int  # the period that books the correction (the current payroll run)
    corrects: int  # the earlier period it corrects
    sv_days: int = 0
    calendar_days: int = 0
    pension_days: int = 0
    hours: int = 0
    raw_base: int = 0
    premium_base: int = 0
    premium_amount: int = 0
    total_base: int = 0
    total_amount: int = 0

    @property
    def employer(self) -> int:
        return self.total_amount - self.premium_amount

    def to_json(self) -> dict[str, Any]:
        return {
            "employment": self.employment,
            "fund": self.fund,
            "period": self.period,
            "corrects": self.corrects,
            "sv_days": self.sv_days,
            "calendar_days": self.calendar_days,
            "pension_days": self.pension_days,
            "hours": format_hours(self.hours),
            "raw_base": format_money(self.raw_base),
            "premium": {"base": format_money(self.premium_base), "amount": format_money(self.premium_amount)},
            "total": {"base": format_money(self.total_base), "amount": format_money(self.total_amount)},
            "employer": format_money(self.employer),
        }


@dataclass(frozen=True, slots=True)
class NotRecalculated:
    """A change the recalculation leaves alone, with the field, its value and why."""

    field: str
    value: Any
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Recalculation:
    corrections: tuple[Correction, ...]
    not_recalculated: tuple[NotRecalculated, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "corrections": [c.to_json() for c in self.corrections],
            "not_recalculated": [n.to_json() for n in self.not_recalculated],
        }


def corrections(booked: Iterable[ResultRow], recomputed: Iterable[ResultRow], current_period: int) -> list[Correction]:
    """The differences, recomputed minus booked, of every period before ``current_period``.

    Rows are matched on employment, fund and period; a row missing on one side counts as not participating
    (a fund linked or unlinked with effect from an earlier period). Only differences are returned, in the
    order of ``recomputed`` (employments, funds, periods), then rows only ``booked`` has.
    """
    earlier = [row for row in booked if row.period < current_period]
    old = {(row.employment, row.fund, row.period): row for row in earlier}
    keys = [(row.employment, row.fund, row.period) for row in recomputed if row.period < current_period]
    new = {(row.employment, row.fund, row.period): row for row in recomputed if row.period < current_period}
    keys += [key for key in old if key not in new]
    result: list[Correction] = []
    for key in keys:
        employment, fund, period = key
        before = old.get(key) or ResultRow(employment, fund, period)
        after = new.get(key) or ResultRow(employment, fund, period)
        correction = Correction(
            employment,
            fund,
            current_period,
            period,
            sv_days=after.sv_days - before.sv_days,
            calendar_days=after.calendar_days - before.calendar_days,
            pension_days=after.pension_days - before.pension_days,
            hours=after.hours - before.hours,
            raw_base=after.raw_base - before.raw_base,
            premium_base=after.premium.base - before.premium.base,
            premium_amount=after.premium.amount - before.premium.amount,
            total_base=after.total.base - before.total.base,
            total_amount=after.total.amount - before.total.amount,
        )
        if correction != Correction(employment, fund, current_period, period):
            result.append(correction)
    return result


def _fields(columns: batch.Columns, periods: int) -> I64:
    """The compared fields of every row, (9, links, periods): in the order of ``Correction``'s differences."""
    sides = columns.sides[:, :, :, :periods]
    return np.stack(
        [columns.sv_days[:, :periods], columns.calendar_days[:, :periods], columns.pension_days[:, :periods],
         columns.hours[:, :periods], columns.raw_base[:, :periods],
         sides[0, batch.BASE], sides[0, batch.AMOUNT], sides[1, batch.BASE], sides[1, batch.AMOUNT]]
    )  # fmt: skip


def _column_corrections(booked: batch.Columns, recomputed: batch.Columns, current_period: int) -> list[Correction]:
    """``corrections`` of the two computations' rows, compared as arrays: only rows that differ are made.

    The same matching and order: rows match on employment, fund and period (every link of a computation has
    a row in every period); a link only one side has counts as zeros on the other; recomputed order first.
    """
    periods = current_period - 1
    if periods <= 0:
        return []

    def keys(columns: batch.Columns) -> list[tuple[str, int]]:
        ids = columns.ids
        return [(ids[e], f) for e, f in zip(columns.link_employment.tolist(), columns.link_fund.tolist(), strict=True)]

    old_keys, new_keys = keys(booked), keys(recomputed)
    where = {key: index for index, key in enumerate(old_keys)}
    matched = np.array([where.get(key, -1) for key in new_keys], dtype=np.int64)
    old, new = _fields(booked, periods), _fields(recomputed, periods)
    aligned = np.zeros_like(new)
    found = matched >= 0
    aligned[:, found] = old[:, matched[found]]
    difference = new - aligned
    result: list[Correction] = []
    for link, period in zip(*np.nonzero(np.any(difference != 0, axis=0)), strict=True):
        employment, fund = new_keys[link]
        result.append(Correction(employment, fund, current_period, int(period) + 1,
                                 *(int(v) for v in difference[:, link, period])))  # fmt: skip
    gone = np.ones(len(old_keys), dtype=np.bool_)
    gone[matched[found]] = False
    only_old = -old[:, gone]
    for link, period in zip(*np.nonzero(np.any(only_old != 0, axis=0)), strict=True):
        employment, fund = old_keys[int(np.flatnonzero(gone)[link])]
        result.append(Correction(employment, fund, current_period, int(period) + 1,
                                 *(int(v) for v in only_old[:, link, period])))  # fmt: skip
    return result


def recalculate(
    before: Case, after: Case, current_period: int, *, engine: Literal["scalar", "batch"] = "scalar"
) -> Recalculation:
    """Corrections booked in ``current_period`` for the periods before it, from the year as it was run
    (``before``) and as it stands now (``after``).

    ``before`` is the case the booked amounts came from (with earlier corrections, the case of the last
    run). Both describe the same payroll year; ``after`` holds the employments of the current run, and an
    employment only ``before`` holds is not recalculated (it no longer runs) but reported.
    """
    if after.year != before.year:
        raise ConflictingSettings(
            "after.year",
            after.year,
            f"a recalculation compares two states of one payroll year ({before.year}); "
            "an earlier year is never recalculated",
        )
    if after.frequency is not before.frequency:
        raise ConflictingSettings(
            "after.frequency", after.frequency.value, f"the payroll year runs per {before.frequency.value}"
        )
    year = payroll_year(after.year, after.frequency)
    if not 1 <= current_period <= year.n:
        raise OutOfRange("current_period", current_period, f"a period of the payroll year lies in 1..{year.n}")
    running = {employment.id for employment in after.employments}
    gone = [employment for employment in before.employments if employment.id not in running]
    kept = Case(
        before.year,
        before.frequency,
        before.components,
        before.funds,
        tuple(e for e in before.employments if e.id in running),
    )
    if engine == "batch":
        found = _column_corrections(batch.compute(from_case(kept)), batch.compute(from_case(after)), current_period)
    else:
        found = corrections(scalar.calculate(kept), scalar.calculate(after), current_period)
    notes = [
        NotRecalculated(
            f"employments[{employment.id}]",
            employment.id,
            "not in the current payroll run: an employment that no longer runs is not recalculated",
        )
        for employment in gone
    ]
    old = {employment.id: employment for employment in before.employments}
    for employment in after.employments:
        if employment.id in old:
            notes += _before_the_year(old[employment.id], employment, year.first_day)
    return Recalculation(tuple(found), tuple(notes))


def _before_the_year(before: Employment, after: Employment, first_day: date) -> list[NotRecalculated]:
    """Changed dates that lie before the payroll year: their effect before the year is not recalculated."""
    reason = (
        f"lies before the payroll year ({first_day.isoformat()}): Loket kan fondsen niet met terugwerkende "
        "kracht toepassen voor een voorgaand jaar; only the periods of this year are recalculated"
    )
    notes: list[NotRecalculated] = []

    def note(field: str, old: date | None, new: date | None) -> None:
        if old != new and any(day is not None and day < first_day for day in (old, new)):
            shown = new.isoformat() if new is not None else None
            notes.append(NotRecalculated(f"employments[{after.id}].{field}", shown, reason))

    note("hire_date", before.hire_date, after.hire_date)
    note("end_date", before.end_date, after.end_date)
    old_links = before.links_by_fund()
    for number, links in after.links_by_fund().items():
        previous = old_links.get(number, ())
        old_dates = {(link.start_date, link.end_date) for link in previous}
        for index, link in enumerate(links):
            if (link.start_date, link.end_date) in old_dates:
                continue
            matching = previous[index] if index < len(previous) else None
            old_start = matching.start_date if matching is not None else None
            old_end = matching.end_date if matching is not None else None
            note(f"funds[{number}][{index}].start_date", old_start, link.start_date)
            note(f"funds[{number}][{index}].end_date", old_end, link.end_date)
    return notes


def recalculate_json(data: Any, *, engine: Literal["scalar", "batch"] = "scalar") -> dict[str, Any]:
    """``{"before": CASE, "after": CASE, "current_period": K}`` to ``{"corrections": [...], "not_recalculated":
    [...]}`` (docs/fund-cases.md); a fault in either case names its field under ``before.`` or ``after.``."""
    if not isinstance(data, dict):
        raise WrongType("recalculation", data, "expected an object with before, after and current_period")
    cases = []
    for name in ("before", "after"):
        if name not in data:
            raise MissingField(name)
        try:
            cases.append(parse_case(data[name]))
        except FundError as error:
            error.field = f"{name}.{error.field}"
            error.args = (f"{error.field}: {error.reason} (value: {error.value!r})",)
            raise
    if "current_period" not in data:
        raise MissingField("current_period")
    current = data["current_period"]
    if isinstance(current, bool) or not isinstance(current, int):
        raise WrongType("current_period", current, "expected a whole number")
    return recalculate(cases[0], cases[1], current, engine=engine).to_json()
