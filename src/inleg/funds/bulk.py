"""Bulk (columnar) input and output of the fund engine: a payroll of many employments as arrays.

A bulk case is one ``.npz`` file (numpy's zip of ``.npy`` arrays, read without pickle): the wage model as
the case format's JSON in the entry ``case``, and every employment, employment fund and period as a
column of integers, dates or strings (``docs/fund-cases.md``, "Bulk (columnar) input"; ADR 0010). It is
validated column by column with the rules of the case format and built straight into a ``Population``,
without a Python object per employment or period; the results go back out as columns in row order.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from inleg.funds.batch import AMOUNT, Columns
from inleg.funds.calendar import payroll_year
from inleg.funds.cases import WageModel, needs_norm_hours, parse_case, parse_wage_model
from inleg.funds.errors import (
    ConflictingSettings,
    DuplicateEntry,
    FundError,
    InconsistentDates,
    MissingField,
    NormHoursRequired,
    OutOfRange,
    UnknownField,
    UnknownReference,
    WrongType,
)
from inleg.funds.model import MAX_FUNDS, Case
from inleg.funds.population import EPOCH, I64, NO_END, NO_START, Bools, LaterLinks, Population

HEADER = "case"
EMPLOYMENTS = "employments."
PERIODS = "periods."
LINKS = "employment_funds."
FIXED = "employments.fixed."
COMPONENTS = "periods.components."

# Columns that may be left out, with what they then hold (the case format's defaults).
_OPTIONAL_EMPLOYMENT = ("employments.end_date",)
_PERIOD_COUNTS = ("periods.hours", "periods.overtime_hours", "periods.unpaid_days")
# A period's own part-time factor and norm hours (our extension of the case format): when given, a full
# column with every period's value; left out, every period has the employment's.
PERIOD_FACTOR, PERIOD_NORM = "periods.part_time_factor", "periods.norm_hours_per_week"
# Likewise a period's own fixed data: when given, a full column per component with every period's value (the
# employment's where a period has none of its own); each employments.fixed column needs its periods column.
PERIOD_FIXED = "periods.fixed."
_LINK_DATES = ("employment_funds.start_date", "employment_funds.end_date")
_PAIRS = {
    "employment_funds.has_deviation": ("employment_funds.deviation.premium", "employment_funds.deviation.total"),
    "employment_funds.has_fixed_contribution": (
        "employment_funds.fixed_contribution.premium",
        "employment_funds.fixed_contribution.total",
    ),
}
KNOWN = frozenset(
    {
        HEADER,
        "employments.id",
        "employments.birth_date",
        "employments.hire_date",
        "employments.end_date",
        "employments.part_time_factor",
        "employments.norm_hours_per_week",
        *_PERIOD_COUNTS,
        PERIOD_FACTOR,
        PERIOD_NORM,
        "employment_funds.employment",
        "employment_funds.number",
        *_LINK_DATES,
        *_PAIRS,
        *(column for pair in _PAIRS.values() for column in pair),
    }
)

_FIRST_DAY = (date.min - EPOCH).days
_LAST_DAY = (date.max - EPOCH).days
_NAT = np.iinfo(np.int64).min  # numpy's NaT as an int64: a date left empty


def read_bulk(source: str | Path | IO[bytes]) -> Population:
    """Read and validate a bulk case file into a population; raises a ``FundError`` on the first fault."""
    try:
        archive = np.load(source, allow_pickle=False)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except (OSError, ValueError, zipfile.BadZipFile) as problem:
        raise WrongType("bulk", str(source), f"not a bulk case file (.npz of arrays): {problem}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise WrongType("bulk", str(source), "not a bulk case file: expected an .npz of named arrays")
    with archive:
        try:
            arrays = {name: archive[name] for name in archive.files}
        except ValueError as problem:  # an object array: would need pickle, which is never used
            raise WrongType("bulk", str(source), f"an array that is not plain data: {problem}") from None
    return population_of(arrays)


def write_bulk(target: str | Path | IO[bytes], arrays: Mapping[str, NDArray[Any]]) -> None:
    """Write bulk arrays (from ``bulk_of_case`` or a payroll's own columns) as an uncompressed ``.npz``."""
    np.savez(target, allow_pickle=False, **arrays)


# --- validation, column by column -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Columns:
    """The arrays of a bulk case, each checked as it is taken; errors name the column, row and value."""

    arrays: Mapping[str, NDArray[Any]]
    employments: int
    periods: int

    def shape_of(self, name: str) -> tuple[int, ...]:
        if name.startswith(PERIODS):
            return (self.employments, self.periods)
        if name.startswith(LINKS):
            return (int(self.arrays["employment_funds.number"].shape[0]),)
        return (self.employments,)

    def _take(self, name: str) -> NDArray[Any]:
        if name not in self.arrays:
            raise MissingField(name)
        array = self.arrays[name]
        expected = self.shape_of(name)
        if array.shape != expected:
            what = "employments" if len(expected) == 1 and not name.startswith(LINKS) else "rows"
            raise WrongType(
                name,
                f"shape {array.shape}",
                f"expected shape {expected} (one value per {what}"
                + (f", {self.periods} periods each)" if len(expected) == 2 else ")"),
            )
        return array

    def integers(
        self, name: str, *, low: int | None = None, high: int | None = None, default: int | None = None
    ) -> I64:
        if default is not None and name not in self.arrays:
            return np.full(self.shape_of(name), default, np.int64)
        array = self._take(name)
        if array.dtype.kind not in "iu":
            raise WrongType(
                name,
                str(array.dtype),
                "expected whole numbers (int64) in the column's unit; floats are refused, "
                "0.1 in binary is not the number that was typed",
            )
        if array.dtype.kind == "u" and array.size and int(array.max()) > np.iinfo(np.int64).max:
            _first(name, array > np.iinfo(np.int64).max, array, OutOfRange, "does not fit in int64")
        values = np.ascontiguousarray(array, dtype=np.int64)  # the kernel's layout: C order, int64
        if low is not None and high is not None:
            _first(name, (values < low) | (values > high), values, OutOfRange, f"must lie in {low}..{high}")
        elif low is not None:
            _first(name, values < low, values, OutOfRange, "must not be negative" if low == 0 else f"must be >= {low}")
        return values

    def days(self, name: str, *, required: bool) -> I64:
        """Dates as day numbers since 1970-01-01; an empty date (NaT) is ``_NAT``."""
        if not required and name not in self.arrays:
            return np.full(self.shape_of(name), _NAT, np.int64)
        array = self._take(name)
        if array.dtype != np.dtype("datetime64[D]"):
            raise WrongType(name, str(array.dtype), "expected dates (numpy datetime64[D]); NaT for no date")
        values = np.ascontiguousarray(array).view(np.int64)
        empty = values == _NAT
        if required:
            _first(name, empty, array, MissingField, "required date is missing (NaT)")
        _first(name, ~empty & ((values < _FIRST_DAY) | (values > _LAST_DAY)), array, OutOfRange, "not a valid date")
        return values

    def flags(self, name: str) -> Bools:
        if name not in self.arrays:
            return np.zeros(self.shape_of(name), np.bool_)
        array = self._take(name)
        if array.dtype != np.bool_:
            raise WrongType(name, str(array.dtype), "expected true or false (numpy bool)")
        return np.ascontiguousarray(array)


def _value(array: NDArray[Any], at: tuple[int, ...]) -> Any:
    value = array[at]
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value)
    return value.item() if isinstance(value, np.generic) else value


def _where(name: str, at: tuple[int, ...]) -> str:
    if len(at) == 2:
        return f"{name}[{at[0]}, period {at[1] + 1}]"
    return f"{name}[{at[0]}]"


def _first(
    name: str,
    bad: Bools,
    array: NDArray[Any],
    error: type[FundError],
    reason: str | Callable[[tuple[int, ...]], str],
) -> None:
    """Raise ``error`` at the first row (and period) where ``bad`` holds, naming column, row and value."""
    if not bad.any():
        return
    at = tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), bad.shape))
    text = reason(at) if callable(reason) else reason
    if error is MissingField:
        raise MissingField(_where(name, at))
    raise error(_where(name, at), _value(array, at), text)


def _component_of(name: str, prefix: str) -> int:
    key = name[len(prefix) :]
    if not key.isascii() or not key.isdigit() or not 1 <= int(key) <= 999:
        raise OutOfRange(name, key, "a component number is a whole number 1..999")
    return int(key)


def _header(arrays: Mapping[str, NDArray[Any]]) -> WageModel:
    if HEADER not in arrays:
        raise MissingField(HEADER)
    raw = arrays[HEADER]
    if raw.dtype.kind != "U" or raw.shape != ():
        raise WrongType(HEADER, str(raw.dtype), "expected the wage model as JSON text (a 0-d unicode array)")
    try:
        data = json.loads(str(raw))
    except json.JSONDecodeError as problem:
        raise WrongType(HEADER, str(raw)[:80], f"not valid JSON: {problem}") from None
    if isinstance(data, Mapping) and "employments" in data:
        raise UnknownField(
            f"{HEADER}.employments", "...", "a bulk case holds its employments in columns, not in the header"
        )
    return parse_wage_model(data)


def population_of(arrays: Mapping[str, NDArray[Any]]) -> Population:
    """Validate bulk arrays (every rule of the case format, column by column) and build the population."""
    model = _header(arrays)
    for name in arrays:
        if name not in KNOWN and not name.startswith((FIXED, COMPONENTS, PERIOD_FIXED)):
            raise UnknownField(name, "...", "not a column of a bulk case (docs/fund-cases.md, Bulk (columnar) input)")
    if "employments.id" not in arrays:
        raise MissingField("employments.id")
    if "employment_funds.number" not in arrays:
        raise MissingField("employment_funds.number")
    ids = arrays["employments.id"]
    if ids.ndim != 1:
        raise WrongType("employments.id", f"shape {ids.shape}", "expected one id per employment")
    if ids.dtype.kind != "U":
        raise WrongType("employments.id", str(ids.dtype), "expected strings (numpy unicode)")
    if arrays["employment_funds.number"].ndim != 1:
        shape = arrays["employment_funds.number"].shape
        raise WrongType("employment_funds.number", f"shape {shape}", "expected one fund number per row")
    cols = _Columns(arrays, int(ids.shape[0]), model.calendar.n)
    e_count = cols.employments
    if e_count:
        order = np.argsort(ids, kind="stable")
        twice = np.zeros(e_count, np.bool_)
        twice[order[1:][ids[order][1:] == ids[order][:-1]]] = True
        _first("employments.id", twice, ids, DuplicateEntry, "two employments with the same id")

    birth = cols.days("employments.birth_date", required=True)
    hire = cols.days("employments.hire_date", required=True)
    end = cols.days("employments.end_date", required=False)
    end_array = arrays.get("employments.end_date")
    if end_array is not None:
        _first(
            "employments.end_date",
            (end != _NAT) & (end < hire),
            end_array,
            InconsistentDates,
            lambda at: f"lies before hire_date {day_of(int(hire[at[0]]))}",
        )
    part_time_factor = _per_period(cols, "employments.part_time_factor", PERIOD_FACTOR)
    norm = _per_period(cols, "employments.norm_hours_per_week", PERIOD_NORM)

    fixed_names = sorted((name for name in arrays if name.startswith(FIXED)), key=lambda n: _component_of(n, FIXED))
    amount_names = sorted(
        (name for name in arrays if name.startswith(COMPONENTS)), key=lambda n: _component_of(n, COMPONENTS)
    )
    fixed_of = {_component_of(name, FIXED): cols.integers(name) for name in fixed_names}
    period_fixed_names = (name for name in sorted(arrays) if name.startswith(PERIOD_FIXED))
    period_fixed_of = {_component_of(name, PERIOD_FIXED): cols.integers(name) for name in period_fixed_names}
    if period_fixed_of:
        # An employment's fixed value without its periods column would silently count for nothing.
        missing = sorted(set(fixed_of) - set(period_fixed_of))
        if missing:
            raise MissingField(f"{PERIOD_FIXED}{missing[0]}")
    amounts_of = {_component_of(name, COMPONENTS): cols.integers(name) for name in amount_names}
    hours = cols.integers("periods.hours", low=0, default=0)
    overtime = cols.integers("periods.overtime_hours", low=0, default=0)
    unpaid = cols.integers("periods.unpaid_days", low=0, default=0)

    links = _links(cols, model, e_count, norm)

    columns = tuple(sorted(set(fixed_of) | set(amounts_of) | set(period_fixed_of)))
    fixed = np.zeros((e_count, cols.periods, len(columns)) if period_fixed_of else (e_count, len(columns)), np.int64)
    amounts = np.zeros((e_count, cols.periods, len(columns)), np.int64)
    for c, number in enumerate(columns):
        if period_fixed_of:
            if number in period_fixed_of:
                fixed[:, :, c] = period_fixed_of[number]
        elif number in fixed_of:
            fixed[:, c] = fixed_of[number]
        if number in amounts_of:
            amounts[:, :, c] = amounts_of[number]
    return Population(
        year=model.year,
        frequency=model.frequency,
        components=model.components,
        funds=model.funds,
        columns=columns,
        ids=tuple(ids.tolist()),
        birth=birth,
        hire=hire,
        end=np.where(end == _NAT, NO_END, end),
        part_time_factor=part_time_factor,
        norm_hours=norm,
        fixed=fixed,
        amounts=amounts,
        hours=hours,
        overtime=overtime,
        unpaid=unpaid,
        link_employment=links.employment,
        link_fund=links.fund,
        link_start=links.start,
        link_end=links.end,
        has_deviation=links.has_deviation,
        deviation=links.deviation,
        has_fixed=links.has_fixed,
        fixed_contribution=links.fixed_contribution,
        later_links=links.later,
    )


@dataclass(frozen=True, slots=True)
class _Links:
    employment: I64
    fund: I64
    start: I64
    end: I64
    has_deviation: Bools
    deviation: I64
    has_fixed: Bools
    fixed_contribution: I64
    later: LaterLinks | None


def _pair(cols: _Columns, flag: str) -> tuple[Bools, I64]:
    """A deviation or fixed contribution: its flag, and its premium and total (zero where the flag is off)."""
    has = cols.flags(flag)
    given = [name in cols.arrays for name in (flag, *_PAIRS[flag])]
    if any(given) and not all(given):
        missing = next(name for name, present in zip((flag, *_PAIRS[flag]), given, strict=True) if not present)
        raise MissingField(missing)
    values = [cols.integers(name, low=0, default=0) for name in _PAIRS[flag]]
    for name, column in zip(_PAIRS[flag], values, strict=True):
        # A value where the flag is off would silently count for nothing: refused, as an unknown field is.
        _first(name, ~has & (column != 0), column, ConflictingSettings, f"given while {flag} is false")
    return has, np.stack(values, axis=1)


def _per_period(cols: _Columns, employment_column: str, period_column: str) -> I64:
    """Every period's value (employments × periods): the period column's, or else the employment's."""
    own = cols.integers(employment_column, low=0)
    if period_column in cols.arrays:
        return cols.integers(period_column, low=0)
    return np.repeat(own.reshape(-1, 1), cols.periods, axis=1)


def _links(cols: _Columns, model: WageModel, e_count: int, norm: I64) -> _Links:
    """The employment-fund links, validated and put in result order (employment, fund number, start)."""
    employment = cols.integers("employment_funds.employment", low=0, default=None)
    _first(
        "employment_funds.employment",
        employment >= e_count,
        employment,
        UnknownReference,
        f"no employment at that row (the case has {e_count} employments, rows 0..{e_count - 1})",
    )
    number = cols.integers("employment_funds.number", low=1, high=MAX_FUNDS)
    known = np.zeros(MAX_FUNDS + 1, np.bool_)
    known[list(model.funds)] = True
    _first(
        "employment_funds.number", ~known[number], number, UnknownReference, "the case defines no fund with this number"
    )
    start = cols.days("employment_funds.start_date", required=False)
    end = cols.days("employment_funds.end_date", required=False)
    start = np.where(start == _NAT, NO_START, start)
    end = np.where(end == _NAT, NO_END, end)
    if "employment_funds.end_date" in cols.arrays:
        _first(
            "employment_funds.end_date",
            end < start,
            cols.arrays["employment_funds.end_date"],
            InconsistentDates,
            "lies before start_date",
        )
    has_deviation, deviation = _pair(cols, "employment_funds.has_deviation")
    has_fixed, fixed_contribution = _pair(cols, "employment_funds.has_fixed_contribution")
    if "employment_funds.has_fixed_contribution" in cols.arrays:
        _first(
            "employment_funds.has_fixed_contribution",
            has_deviation & has_fixed,
            has_fixed,
            ConflictingSettings,
            "an employment fund has either a deviation or a fixed contribution, not both",
        )
    needs = np.zeros(MAX_FUNDS + 1, np.bool_)
    for fund in model.funds.values():
        needs[fund.number] = any(needs_norm_hours(version) for version in fund.all_versions)
    if e_count:
        # A norm of 0 that some period is computed with, where a linked fund divides by the norm (ADR 0003).
        zero = norm[np.minimum(employment, e_count - 1)] == 0
        lacking = needs[number] & zero.any(axis=1)
        if lacking.any():
            row = int(np.argmax(lacking))
            where = f"employments.norm_hours_per_week[{int(employment[row])}]"
            if PERIOD_NORM in cols.arrays:
                where = _where(PERIOD_NORM, (int(employment[row]), int(np.argmax(zero[row]))))
            raise NormHoursRequired(
                where,
                0,
                f"fund {int(number[row])} (employment_funds row {row}) needs the norm hours "
                "(hour unit or hours recalculation), 0 is not allowed",
            )

    order = np.lexsort((start, number, employment))
    employment, number, start, end = employment[order], number[order], start[order], end[order]
    has_deviation, deviation = has_deviation[order], deviation[order]
    has_fixed, fixed_contribution = has_fixed[order], fixed_contribution[order]
    same = np.zeros(order.size, np.bool_)  # the same employment-fund as the row before: a later link
    same[1:] = (employment[1:] == employment[:-1]) & (number[1:] == number[:-1])
    overlapping = np.zeros(order.size, np.bool_)
    overlapping[1:] = same[1:] & (start[1:] <= end[:-1])
    if overlapping.any():
        at = int(np.argmax(overlapping))
        raise DuplicateEntry(
            f"employment_funds.start_date[{int(order[at])}]",
            _day_text(int(start[at])),
            f"fund {int(number[at])} is linked twice to employment row {int(employment[at])} on overlapping dates "
            f"(rows {int(order[at - 1])} and {int(order[at])}); a change of terms is a new link from the day after "
            "the earlier one ends",
        )
    first = ~same
    later: LaterLinks | None = None
    if same.any():
        series = np.cumsum(first) - 1  # the employment-fund (index among first links) each row belongs to
        later = LaterLinks(
            series=series[same],
            start=start[same],
            end=end[same],
            has_deviation=has_deviation[same],
            deviation=deviation[same],
            has_fixed=has_fixed[same],
            fixed_contribution=fixed_contribution[same],
        )
    return _Links(
        employment[first],
        number[first],
        start[first],
        end[first],
        has_deviation[first],
        deviation[first],
        has_fixed[first],
        fixed_contribution[first],
        later,
    )


def _day_text(day: int) -> str | None:
    if day <= NO_START or day >= NO_END:
        return None
    return str(np.datetime64(day, "D"))


# --- from a case (JSON) to bulk arrays ------------------------------------------------------------------


def bulk_of_case(data: Any) -> dict[str, NDArray[Any]]:
    """The bulk arrays of a case in the JSON case format (validated by ``parse_case`` first)."""
    case = parse_case(data)
    header = {key: value for key, value in data.items() if key != "employments"}
    return bulk_of(case, header)


def bulk_of(case: Case, header: Mapping[str, Any]) -> dict[str, NDArray[Any]]:
    n = payroll_year(case.year, case.frequency).n
    employments = case.employments
    e_count = len(employments)

    def days(values: list[date | None]) -> NDArray[np.datetime64]:
        return np.array([np.datetime64(d, "D") if d else np.datetime64("NaT", "D") for d in values], "datetime64[D]")

    arrays: dict[str, NDArray[Any]] = {
        HEADER: np.array(json.dumps(header, ensure_ascii=False)),
        "employments.id": np.array([e.id for e in employments], dtype=str),
        "employments.birth_date": days([e.birth_date for e in employments]),
        "employments.hire_date": days([e.hire_date for e in employments]),
        "employments.end_date": days([e.end_date for e in employments]),
        "employments.part_time_factor": np.array([e.part_time_factor for e in employments], np.int64),
        "employments.norm_hours_per_week": np.array([e.norm_hours_per_week for e in employments], np.int64),
    }
    for number in sorted({c for e in employments for c in e.fixed}):
        arrays[f"{FIXED}{number}"] = np.array([e.fixed.get(number, 0) for e in employments], np.int64)
    hours, overtime, unpaid = (np.zeros((e_count, n), np.int64) for _ in range(3))
    amounts: dict[int, I64] = {}
    for row, employment in enumerate(employments):
        for period in employment.periods.values():
            k = period.period - 1
            hours[row, k], overtime[row, k], unpaid[row, k] = period.hours, period.overtime_hours, period.unpaid_days
            for number, amount in period.components.items():
                amounts.setdefault(number, np.zeros((e_count, n), np.int64))[row, k] = amount
    arrays.update({"periods.hours": hours, "periods.overtime_hours": overtime, "periods.unpaid_days": unpaid})
    if any(
        p.part_time_factor is not None or p.norm_hours_per_week is not None
        for e in employments
        for p in e.periods.values()
    ):
        arrays[PERIOD_FACTOR] = np.array([[e.factor_in(k) for k in range(1, n + 1)] for e in employments], np.int64)
        arrays[PERIOD_NORM] = np.array([[e.norm_in(k) for k in range(1, n + 1)] for e in employments], np.int64)
    if any(p.fixed is not None for e in employments for p in e.periods.values()):
        numbers = {c for e in employments for c in e.fixed} | {
            c for e in employments for p in e.periods.values() for c in p.fixed or ()
        }
        for number in sorted(numbers):
            arrays[f"{PERIOD_FIXED}{number}"] = np.array(
                [[e.fixed_in(k).get(number, 0) for k in range(1, n + 1)] for e in employments], np.int64
            ).reshape(e_count, n)
    arrays.update({f"{COMPONENTS}{number}": amounts[number] for number in sorted(amounts)})
    links = [(row, link) for row, employment in enumerate(employments) for link in employment.funds]
    arrays.update(
        {
            "employment_funds.employment": np.array([row for row, _ in links], np.int64),
            "employment_funds.number": np.array([link.number for _, link in links], np.int64),
            "employment_funds.start_date": days([link.start_date for _, link in links]),
            "employment_funds.end_date": days([link.end_date for _, link in links]),
        }
    )
    for flag, (premium, total), attribute in (
        ("employment_funds.has_deviation", _PAIRS["employment_funds.has_deviation"], "deviation"),
        (
            "employment_funds.has_fixed_contribution",
            _PAIRS["employment_funds.has_fixed_contribution"],
            "fixed_contribution",
        ),
    ):
        pairs = [getattr(link, attribute) for _, link in links]
        arrays[flag] = np.array([p is not None for p in pairs], np.bool_)
        arrays[premium] = np.array([p.premium if p else 0 for p in pairs], np.int64)
        arrays[total] = np.array([p.total if p else 0 for p in pairs], np.int64)
    return arrays


# --- results as columns -------------------------------------------------------------------------------

SIDE_FIELDS = ("max", "franchise", "min", "base", "percentage", "amount")


def result_columns(columns: Columns) -> dict[str, NDArray[Any]]:
    """The result rows as columns, row ``l * N + k`` in the case format's order (employment, fund, period).

    ``employment`` is the row of ``employments.id`` (given alongside); every other column holds the
    field of the case format's result row of that name, as integers of its scale (cents, hundredths of
    an hour, ten-thousandths of a percent). Most columns are views of the engine's arrays, not copies.
    """
    links, n = columns.participates.shape
    result: dict[str, NDArray[Any]] = {
        "employments.id": np.array(columns.ids, dtype=str),
        "employment": np.repeat(columns.link_employment, n),
        "fund": np.repeat(columns.link_fund, n),
        "period": np.tile(np.arange(1, n + 1, dtype=np.int64), links),
        "participates": columns.participates.reshape(-1),
        "sv_days": columns.sv_days.reshape(-1),
        "calendar_days": columns.calendar_days.reshape(-1),
        "pension_days": columns.pension_days.reshape(-1),
        "hours": columns.hours.reshape(-1),
        "raw_base": columns.raw_base.reshape(-1),
    }
    for s, side in enumerate(("premium", "total")):
        for f, field in enumerate(SIDE_FIELDS):
            result[f"{side}.{field}"] = columns.sides[s, f].reshape(-1)
    result["employer"] = (columns.sides[1, AMOUNT] - columns.sides[0, AMOUNT]).reshape(-1)
    return result


def write_results(target: str | Path | IO[bytes], columns: Columns) -> None:
    """The result rows as a columnar ``.npz`` (the columns of ``result_columns``)."""
    np.savez(target, allow_pickle=False, **result_columns(columns))


def day_of(number: int) -> date | None:
    """A day number of the population back to a date (None for an open end)."""
    return None if number <= NO_START or number >= NO_END else EPOCH.fromordinal(EPOCH.toordinal() + number)


__all__ = [
    "bulk_of",
    "bulk_of_case",
    "day_of",
    "population_of",
    "read_bulk",
    "result_columns",
    "write_bulk",
    "write_results",
]
