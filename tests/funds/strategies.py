"""Hypothesis strategies for random fund cases in the JSON case format (valid ones, mostly)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from inleg.funds.calendar import Frequency, payroll_year

COMPONENTS: dict[str, dict[str, Any]] = {
    "10": {"name": "Salaris", "sign": 1, "in_257": 1, "in_265": 1},
    "20": {"name": "Bonus", "sign": 1, "in_257": 1, "in_265": 1},
    "30": {"name": "Vaste toeslag"},
    "40": {"name": "Reiskosten", "sign": 1, "in_257": 0, "in_265": 0},
    "50": {"name": "Inhouding", "sign": -1, "in_257": 0, "in_265": 0},
    "60": {"name": "Correctie", "sign": -1, "in_257": -1, "in_265": 0},
    "400": {"name": "Premie fonds 1", "sign": -1, "in_257": 0, "in_265": -1},
}
NUMBERS = [10, 20, 30, 40, 50, 60, 400, 543, 545, 547, 257, 265]


def money(low: int = 0, high: int = 1_000_000) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda c: f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}")


def percent(high: int = 400_000) -> st.SearchStrategy[str]:
    return st.integers(0, high).map(lambda p: f"{p // 10000}.{p % 10000:04d}")


def factor(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda p: f"{p // 10000}.{p % 10000:04d}")


def iso(day: date) -> str:
    return day.isoformat()


@st.composite
def threshold(draw: st.DrawFn, big: bool = False) -> dict[str, Any]:
    unit = draw(st.sampled_from(["year", "period", "sv_day", "calendar_day", "hour"]))
    scale = {"year": 15_000_000, "period": 1_200_000, "sv_day": 60_000, "calendar_day": 40_000, "hour": 6_000}[unit]
    low = 1
    if big:  # beyond what int64 products allow: the batch engine's exact slow path
        low, scale = 10**12, 10**14
    amount = draw(st.one_of(st.just(0), st.integers(low, scale)))
    return {"amount": f"{amount // 100}.{amount % 100:02d}", "unit": unit, "part_time": draw(st.booleans())}


@st.composite
def side(draw: st.DrawFn) -> dict[str, Any]:
    big = draw(st.integers(0, 8)) == 0
    return {
        "percentage": draw(percent()),
        "min_base": draw(threshold()),
        "max_base": draw(threshold(big)),
        "franchise": draw(threshold(big)),
    }


@st.composite
def table(draw: st.DrawFn, kind: str, value: st.SearchStrategy[str]) -> list[dict[str, Any]]:
    if kind == "fixed":
        return []
    low, high = (15, 70) if kind == "age" else (1950, 2010)
    cuts = sorted(draw(st.sets(st.integers(low, high), min_size=2, max_size=6)))
    rows = []
    for a, b in itertools.pairwise(cuts):
        if draw(st.booleans()) or not rows:
            rows.append({"from": a, "to": b - 1, "premium": draw(value), "total": draw(value)})
    return rows


@st.composite
def moment(draw: st.DrawFn, ages: tuple[int, int]) -> dict[str, Any] | None:
    if draw(st.booleans()):
        return None
    return {
        "age": draw(st.integers(*ages)),
        "moment": draw(st.sampled_from(["birthday", "month_start", "next_month_start"])),
        "extra_months": draw(st.integers(0, 14)),
    }


@st.composite
def fund(draw: st.DrawFn, number: int, first: date | None = None, last: date | None = None) -> dict[str, Any]:
    """A fund; with the payroll year's first and last day, sometimes with versions from dates inside it."""
    settings = draw(fund_settings(number))
    if first is None or last is None or draw(st.integers(0, 2)) == 0:
        return settings
    days = sorted(draw(st.sets(st.dates(first, last), min_size=1, max_size=3)))
    versions = []
    for day in days:
        other = draw(fund_settings(number))
        changed = draw(st.lists(st.sampled_from([k for k in other if k != "number"]), min_size=1, max_size=6))
        versions.append({"from": iso(day), **{key: other[key] for key in changed}})
    return {**settings, "versions": versions}


@st.composite
def fund_settings(draw: st.DrawFn, number: int) -> dict[str, Any]:
    franchise_kind = draw(st.sampled_from(["fixed", "fixed", "age", "birth_year"]))
    percentage_kind = draw(st.sampled_from(["fixed", "fixed", "age", "birth_year"]))
    base_numbers = draw(st.lists(st.sampled_from(NUMBERS), min_size=1, max_size=5, unique=True))
    base = []
    for n in base_numbers:
        origins = ["calculated", "excluded"] if n in (257, 265) else ["calculated", "fixed", "excluded"]
        base.append({"component": n, "origin": draw(st.sampled_from(origins))})
    return {
        "number": number,
        "name": f"Fonds {number}",
        "kind": draw(st.sampled_from(["none", "hours_incl_overtime"])),
        "external_code": "",
        "entry": draw(moment((15, 30))),
        "exit": draw(moment((55, 70))),
        "recalc_unit": draw(st.sampled_from(["period", "sv_days", "calendar_days", "pension_days", "hours"])),
        "cumulative": draw(st.booleans()),
        "franchise_kind": franchise_kind,
        "franchise_age_test": draw(st.sampled_from(["jan1", "dec31", "period_start", "period_end"])),
        "franchise_table": draw(table(franchise_kind, money(0, 2_000_000))),
        "percentage_kind": percentage_kind,
        "percentage_age_test": draw(st.sampled_from(["jan1", "dec31", "period_start", "period_end"])),
        "percentage_table": draw(table(percentage_kind, percent())),
        "premium": draw(side()),
        "total": draw(side()),
        "base": base,
    }


@st.composite
def link_spans(draw: st.DrawFn, first: date, year: int) -> list[tuple[date | None, date | None]]:
    """The dates of one fund's links on an employment: one link, or versions that do not overlap."""
    if draw(st.integers(0, 2)) > 0:
        start = draw(st.one_of(st.none(), st.dates(first - timedelta(days=40), date(year, 12, 31))))
        stop = draw(st.one_of(st.none(), st.dates(start or first, date(year + 1, 1, 10))))
        return [(start, stop)]
    count = draw(st.integers(2, 3))
    cuts = sorted(draw(st.sets(st.dates(first - timedelta(days=40), date(year + 1, 1, 10)), min_size=2 * count,
                               max_size=2 * count)))  # fmt: skip
    spans: list[tuple[date | None, date | None]] = []
    for i in range(count):
        start, stop = cuts[2 * i], cuts[2 * i + 1]
        if i > 0 and draw(st.booleans()):
            previous = spans[-1][1]
            assert previous is not None
            start = previous + timedelta(days=1)  # the next version from the day after: no gap
        spans.append((start, stop))
    if draw(st.booleans()):
        spans[0] = (None, spans[0][1])
    if draw(st.booleans()):
        spans[-1] = (spans[-1][0], None)
    return spans


@st.composite
def employment(draw: st.DrawFn, index: int, year: int, fund_numbers: list[int], n: int) -> dict[str, Any]:
    first = date(year, 1, 1)
    birth = draw(st.dates(date(1950, 1, 1), date(2008, 12, 31)))
    hire = draw(st.dates(date(year - 3, 1, 1), date(year, 12, 31)))
    end = draw(st.one_of(st.none(), st.dates(hire, date(year + 1, 1, 31))))
    links = []
    for number in draw(st.lists(st.sampled_from(fund_numbers), min_size=1, unique=True)):
        for start, stop in draw(link_spans(first, year)):
            override = draw(st.sampled_from([None, None, "deviation", "fixed_contribution"]))
            links.append(
                {
                    "number": number,
                    "start_date": start and iso(start),
                    "end_date": stop and iso(stop),
                    "deviation": {"premium": draw(percent()), "total": draw(percent())}
                    if override == "deviation"
                    else None,
                    "fixed_contribution": {"premium": draw(money(0, 50_000)), "total": draw(money(0, 150_000))}
                    if override == "fixed_contribution"
                    else None,
                }
            )
    links = draw(st.permutations(links))  # the case's order of links is free
    component_keys = st.sampled_from(["10", "20", "30", "40", "50", "60", "400", "543"])
    periods = []
    # Hours that change within the year: some periods carry their own part-time factor and norm hours.
    own_hours = draw(st.sampled_from(["none", "factor", "norm", "both"]))
    # Fixed data that changes within the year (a raise): some periods carry their own whole map.
    fixed_keys = st.sampled_from(["10", "30", "543", "545", "547"])
    own_fixed = draw(st.booleans())
    for k in draw(st.lists(st.integers(1, n), unique=True, max_size=n)):
        period = {
            "period": k,
            "components": draw(st.dictionaries(component_keys, money(-50_000, 1_500_000), max_size=5)),
            "hours": draw(money(0, 25_000)),
            "overtime_hours": draw(money(0, 3_000)),
            "unpaid_days": draw(st.integers(0, 4)),
        }
        if own_hours in ("factor", "both") and draw(st.booleans()):
            period["part_time_factor"] = draw(factor(0, 15_000))
        if own_hours in ("norm", "both") and draw(st.booleans()):
            period["norm_hours_per_week"] = draw(factor(40_000, 480_000))
        if own_fixed and draw(st.booleans()):
            period["fixed"] = draw(st.dictionaries(fixed_keys, money(-10_000, 12_000_000), max_size=4))
        periods.append(period)
    return {
        "id": f"E{index}",
        "birth_date": iso(birth),
        "hire_date": iso(hire),
        "end_date": end and iso(end),
        "part_time_factor": draw(factor(500, 15_000)),
        "norm_hours_per_week": draw(factor(40_000, 480_000)),
        "fixed": draw(st.dictionaries(fixed_keys, money(-10_000, 12_000_000), max_size=4)),
        "funds": links,
        "periods": periods,
    }


@st.composite
def cases(draw: st.DrawFn, year: int | None = None, frequency: str | None = None) -> dict[str, Any]:
    year = year if year is not None else draw(st.integers(2019, 2030))
    frequency = frequency if frequency is not None else draw(st.sampled_from(["month", "four_weeks"]))
    n = 12 if frequency == "month" else 13
    numbers = draw(st.lists(st.integers(1, 35), min_size=1, max_size=4, unique=True))
    calendar = payroll_year(year, Frequency(frequency))
    funds = [draw(fund(number, calendar.first_day, calendar.last_day)) for number in numbers]
    employments = [draw(employment(i, year, numbers, n)) for i in range(draw(st.integers(1, 3)))]
    return {"year": year, "frequency": frequency, "components": COMPONENTS, "funds": funds, "employments": employments}
