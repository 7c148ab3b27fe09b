"""The fund case format (``docs/fund-cases.md``): JSON in, validated model out, results back to JSON.

Parsing is strict: a required field that is missing, a value of the wrong kind, an unknown choice or a
rule of funds.md section 8 that is broken raises a ``FundError`` naming the field and its value.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from inleg.funds import presets
from inleg.funds.calendar import Frequency, PayrollYear, payroll_year
from inleg.funds.errors import (
    ConflictingSettings,
    DuplicateEntry,
    InconsistentDates,
    MissingField,
    NormHoursRequired,
    OutOfRange,
    OverlappingTable,
    TooManyFunds,
    UnknownChoice,
    UnknownField,
    UnknownReference,
    WrongType,
)
from inleg.funds.model import (
    MAX_FUNDS,
    TOTALS,
    AgeMoment,
    AgeTest,
    BaseEntry,
    Case,
    Component,
    Employment,
    EmploymentFund,
    Fund,
    FundKind,
    FundVersion,
    Moment,
    Origin,
    Pair,
    PeriodInput,
    RecalcUnit,
    Side,
    TableKind,
    TableRow,
    Threshold,
    TimeUnit,
)
from inleg.funds.numbers import (
    FACTOR_PLACES,
    HOURS_PLACES,
    MONEY_PLACES,
    NORM_PLACES,
    PERCENT_PLACES,
    parse_fixed,
)

_MISSING = object()


class _Node:
    """A JSON object with its path in the case, so that every error can name its field."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise WrongType(path or "case", data, "expected an object")
        self.data = data
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = _MISSING) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise MissingField(self.at(key))
        return default

    def node(self, key: str) -> _Node:
        return _Node(self.get(key), self.at(key))

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self.get(key, default)
        if not isinstance(value, str):
            raise WrongType(self.at(key), value, "expected a string")
        return value

    def integer(self, key: str, default: Any = _MISSING, *, low: int | None = None, high: int | None = None) -> int:
        value = self.get(key, default)
        return _integer(self.at(key), value, low, high)

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise WrongType(self.at(key), value, "expected true or false")
        return value

    def fixed(self, key: str, places: int, default: Any = _MISSING, *, negative: bool = False) -> int:
        return parse_fixed(self.at(key), self.get(key, default), places, negative=negative)

    def choice[E: StrEnum](self, key: str, enum: type[E], default: Any = _MISSING) -> E:
        value = self.get(key, default)
        try:
            return enum(value)
        except ValueError:
            raise UnknownChoice(self.at(key), value, tuple(e.value for e in enum)) from None

    def day(self, key: str, default: Any = _MISSING) -> date | None:
        value = self.get(key, default)
        if value is None:
            return None
        return _date(self.at(key), value)

    def items(self, key: str, default: Any = _MISSING) -> list[tuple[str, Any]]:
        value = self.get(key, default)
        if not isinstance(value, list):
            raise WrongType(self.at(key), value, "expected a list")
        return [(f"{self.at(key)}[{i}]", item) for i, item in enumerate(value)]


def _integer(field: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WrongType(field, value, "expected a whole number")
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{low if low is not None else '...'}..{high if high is not None else '...'}"
        raise OutOfRange(field, value, f"must lie in {span}")
    return value


def _date(field: str, value: Any) -> date:
    if not isinstance(value, str):
        raise WrongType(field, value, 'expected an ISO date such as "2024-03-01"')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise WrongType(field, value, "not a valid ISO date (YYYY-MM-DD)") from None


def _component_key(field: str, key: Any) -> int:
    if not isinstance(key, str) or not key.isdigit() or not 1 <= int(key) <= 999:
        raise OutOfRange(field, key, "a component number is a whole number 1..999")
    return int(key)


def _money_map(node: _Node, key: str, default: Any = _MISSING) -> dict[int, int]:
    raw = node.get(key, default)
    field = node.at(key)
    if not isinstance(raw, Mapping):
        raise WrongType(field, raw, "expected an object of component number -> amount")
    return {
        _component_key(f"{field}", k): parse_fixed(f"{field}.{k}", v, MONEY_PLACES, negative=True)
        for k, v in raw.items()
    }


# --- funds -------------------------------------------------------------------------------------


def _threshold(side: _Node, key: str) -> Threshold:
    raw = side.get(key, None)
    if raw is None:
        return Threshold()
    node = _Node(raw, side.at(key))
    return Threshold(
        amount=node.fixed("amount", MONEY_PLACES),
        unit=node.choice("unit", TimeUnit),
        part_time=node.boolean("part_time"),
    )


def _side(node: _Node) -> Side:
    return Side(
        percentage=node.fixed("percentage", PERCENT_PLACES),
        min_base=_threshold(node, "min_base"),
        max_base=_threshold(node, "max_base"),
        franchise=_threshold(node, "franchise"),
    )


def _moment(node: _Node, key: str) -> AgeMoment | None:
    raw = node.get(key, None)
    if raw is None:
        return None
    moment = _Node(raw, node.at(key))
    return AgeMoment(
        age=moment.integer("age", low=0, high=150),
        moment=moment.choice("moment", Moment),
        extra_months=moment.integer("extra_months", low=0, high=1200),
    )


def _table(node: _Node, key: str, places: int) -> tuple[TableRow, ...]:
    rows: list[TableRow] = []
    for path, raw in node.items(key, []):
        row = _Node(raw, path)
        low, high = row.integer("from", low=0), row.integer("to", low=0)
        if high < low:
            raise OutOfRange(row.at("to"), high, f"must not lie before from ({low})")
        rows.append(TableRow(low, high, row.fixed("premium", places), row.fixed("total", places)))
    ordered = sorted(enumerate(rows), key=lambda pair: pair[1].low)
    for (_, before), (index, after) in itertools.pairwise(ordered):
        if after.low <= before.high:
            raise OverlappingTable(
                f"{node.at(key)}[{index}]",
                f"{after.low}..{after.high}",
                f"overlaps the row {before.low}..{before.high}",
            )
    return tuple(rows)


def _base(node: _Node) -> tuple[BaseEntry, ...]:
    entries: list[BaseEntry] = []
    seen: set[int] = set()
    for path, raw in node.items("base"):
        entry = _Node(raw, path)
        number = entry.integer("component", low=1, high=999)
        origin = entry.choice("origin", Origin)
        if number in TOTALS and origin is Origin.FIXED:
            raise ConflictingSettings(
                entry.at("origin"),
                origin.value,
                f"component {number} is a computed total, it has no fixed data",
            )
        if number in seen:
            raise DuplicateEntry(entry.at("component"), number, "component listed twice in the base")
        seen.add(number)
        entries.append(BaseEntry(number, origin))
    return tuple(entries)


def fund_from_json(data: Any, path: str = "fund", year: PayrollYear | None = None) -> Fund:
    """One fund in the case format's fund shape (presets aside), validated like a case's funds.

    Without ``year`` the dates of its versions are checked for order only, not for lying in the year.
    """
    return parse_fund(_Node(data, path), year)


# A version may change every setting of a fund but its number (ADR 0008).
VERSION_FIELDS = (
    "name",
    "kind",
    "external_code",
    "entry",
    "exit",
    "recalc_unit",
    "cumulative",
    "franchise_kind",
    "franchise_age_test",
    "franchise_table",
    "percentage_kind",
    "percentage_age_test",
    "percentage_table",
    "premium",
    "total",
    "base",
)


def parse_fund(node: _Node, year: PayrollYear | None = None) -> Fund:
    fund = _settings(node)
    versions = _versions(node, fund, year)
    return replace(fund, versions=versions) if versions else fund


def _versions(node: _Node, fund: Fund, year: PayrollYear | None) -> tuple[FundVersion, ...]:
    """A fund's dated versions: each lists the settings that change from its date; the rest carry over."""
    items = node.items("versions", [])
    settings = {key: value for key, value in node.data.items() if key in VERSION_FIELDS or key == "number"}
    versions: list[FundVersion] = []
    for path, raw in items:
        version = _Node(raw, path)
        for key, value in raw.items():
            if key != "from" and key not in VERSION_FIELDS:
                reason = (
                    "a fund's number never changes; a version lists only settings that change"
                    if key == "number"
                    else f"not a setting a version can change (one of: from, {', '.join(VERSION_FIELDS)})"
                )
                raise UnknownField(version.at(key), value, reason)
        valid_from = version.day("from")
        assert valid_from is not None
        if year is not None and not year.first_day <= valid_from <= year.last_day:
            raise OutOfRange(
                version.at("from"),
                valid_from.isoformat(),
                f"a version starts inside the payroll year ({year.first_day}..{year.last_day}); "
                "earlier years are not recalculated",
            )
        if versions and valid_from <= versions[-1].valid_from:
            previous = versions[-1].valid_from.isoformat()
            if valid_from == versions[-1].valid_from:
                raise DuplicateEntry(version.at("from"), valid_from.isoformat(), "two versions from the same date")
            raise InconsistentDates(
                version.at("from"), valid_from.isoformat(), f"lies before the previous version's from ({previous})"
            )
        settings.update({key: value for key, value in raw.items() if key != "from"})
        versions.append(FundVersion(valid_from, _settings(_Node(settings, path), number=fund.number)))
    return tuple(versions)


def _settings(node: _Node, number: int | None = None) -> Fund:
    if number is None:
        number = node.integer("number")
    if not 1 <= number <= MAX_FUNDS:
        raise OutOfRange(node.at("number"), number, f"a fund number lies in 1..{MAX_FUNDS}")
    return Fund(
        number=number,
        name=node.text("name"),
        kind=node.choice("kind", FundKind),
        external_code=node.text("external_code"),
        entry=_moment(node, "entry"),
        exit=_moment(node, "exit"),
        recalc_unit=node.choice("recalc_unit", RecalcUnit),
        cumulative=node.boolean("cumulative"),
        franchise_kind=node.choice("franchise_kind", TableKind),
        franchise_age_test=node.choice("franchise_age_test", AgeTest),
        franchise_table=_table(node, "franchise_table", MONEY_PLACES),
        percentage_kind=node.choice("percentage_kind", TableKind),
        percentage_age_test=node.choice("percentage_age_test", AgeTest),
        percentage_table=_table(node, "percentage_table", PERCENT_PLACES),
        premium=_side(node.node("premium")),
        total=_side(node.node("total")),
        base=_base(node),
    )


def _with_preset(path: str, raw: Any) -> Any:
    """A fund naming a preset: the preset's settings, overridden by every field the case gives."""
    if not isinstance(raw, Mapping) or "preset" not in raw:
        return raw
    name = raw["preset"]
    try:
        settings = presets.load(name)["fund"]
    except KeyError:
        raise UnknownReference(f"{path}.preset", name, "no preset of that name (see `inleg funds presets`)") from None
    merged = dict(settings)
    merged.update({k: v for k, v in raw.items() if k != "preset"})
    return merged


# --- employments -------------------------------------------------------------------------------


def _pair(node: _Node, key: str, places: int) -> Pair | None:
    raw = node.get(key, None)
    if raw is None:
        return None
    pair = _Node(raw, node.at(key))
    return Pair(pair.fixed("premium", places), pair.fixed("total", places))


def _employment_fund(node: _Node, funds: Mapping[int, Fund]) -> EmploymentFund:
    number = node.integer("number", low=1, high=MAX_FUNDS)
    if number not in funds:
        raise UnknownReference(node.at("number"), number, "the case defines no fund with this number")
    start, end = node.day("start_date", None), node.day("end_date", None)
    if start and end and end < start:
        raise InconsistentDates(node.at("end_date"), end.isoformat(), f"lies before start_date {start.isoformat()}")
    deviation = _pair(node, "deviation", PERCENT_PLACES)
    fixed_contribution = _pair(node, "fixed_contribution", MONEY_PLACES)
    if deviation is not None and fixed_contribution is not None:
        raise ConflictingSettings(
            node.at("fixed_contribution"),
            node.get("fixed_contribution"),
            "an employment fund has either a deviation or a fixed contribution, not both",
        )
    return EmploymentFund(number, start, end, deviation, fixed_contribution)


def _overlap(a: EmploymentFund, b: EmploymentFund) -> bool:
    latest_start = max(a.start_date or date.min, b.start_date or date.min)
    return latest_start <= min(a.end_date or date.max, b.end_date or date.max)


def _span(link: EmploymentFund) -> str:
    start = link.start_date.isoformat() if link.start_date else "..."
    return f"{start}..{link.end_date.isoformat() if link.end_date else ''}"


def _period(node: _Node, n: int) -> PeriodInput:
    return PeriodInput(
        period=node.integer("period", low=1, high=n),
        components=_money_map(node, "components"),
        hours=node.fixed("hours", HOURS_PLACES, "0.00"),
        overtime_hours=node.fixed("overtime_hours", HOURS_PLACES, "0.00"),
        unpaid_days=node.integer("unpaid_days", 0, low=0),
        # Our extension (ADR 0008 addendum): a period's own factor and norm; absent, the employment's hold.
        part_time_factor=_optional_fixed(node, "part_time_factor", FACTOR_PLACES),
        norm_hours_per_week=_optional_fixed(node, "norm_hours_per_week", NORM_PLACES),
        # Likewise a period's own fixed data: the whole map of that period, not added to the employment's.
        fixed=None if node.get("fixed", None) is None else _money_map(node, "fixed"),
    )


_NO_PERIOD = PeriodInput(period=0)


def _optional_fixed(node: _Node, key: str, places: int) -> int | None:
    return None if node.get(key, None) is None else node.fixed(key, places)


def needs_norm_hours(fund: Fund) -> bool:
    """Whether the fund divides by the norm hours: a used threshold per hour or recalculated by hours."""
    by_hours = fund.recalc_unit is RecalcUnit.HOURS
    table_used = fund.franchise_kind is not TableKind.FIXED and any(
        row.premium or row.total for row in fund.franchise_table
    )
    for side in (fund.premium, fund.total):
        used = (
            (side.min_base, bool(side.min_base.amount)),
            (side.max_base, bool(side.max_base.amount)),
            (
                side.franchise,
                table_used if fund.franchise_kind is not TableKind.FIXED else bool(side.franchise.amount),
            ),
        )
        if any(is_used and (by_hours or threshold.unit is TimeUnit.HOUR) for threshold, is_used in used):
            return True
    return False


def _employment(node: _Node, funds: Mapping[int, Fund], n: int) -> Employment:
    hire, end = node.day("hire_date"), node.day("end_date", None)
    assert hire is not None
    if end is not None and end < hire:
        raise InconsistentDates(node.at("end_date"), end.isoformat(), f"lies before hire_date {hire.isoformat()}")
    birth = node.day("birth_date")
    assert birth is not None
    norm = node.fixed("norm_hours_per_week", NORM_PLACES)
    periods: dict[int, PeriodInput] = {}
    zero_norms: list[tuple[str, Any]] = []  # a period's own norm of 0, where the case gives it
    for path, raw in node.items("periods"):
        period_node = _Node(raw, path)
        period = _period(period_node, n)
        if period.period in periods:
            raise DuplicateEntry(f"{path}.period", period.period, "period listed twice")
        periods[period.period] = period
        if period.norm_hours_per_week == 0:
            zero_norms.append((period_node.at("norm_hours_per_week"), period_node.get("norm_hours_per_week")))
    if norm == 0 and any(periods.get(k, _NO_PERIOD).norm_hours_per_week is None for k in range(1, n + 1)):
        zero_norms.insert(0, (node.at("norm_hours_per_week"), node.get("norm_hours_per_week")))
    linked: list[EmploymentFund] = []
    for path, raw in node.items("funds"):
        link = _employment_fund(_Node(raw, path), funds)
        for other in linked:
            if other.number == link.number and _overlap(other, link):
                raise DuplicateEntry(
                    f"{path}.start_date",
                    link.start_date.isoformat() if link.start_date else None,
                    f"fund {link.number} is linked twice to this employment on overlapping dates "
                    f"({_span(other)} and {_span(link)}); a change of terms is a new link from the day after "
                    "the earlier one ends",
                )
        # A norm of 0 that some period is computed with (its own, or the employment's for a period without
        # one) is refused where a linked fund divides by the norm (ADR 0003).
        if zero_norms and any(needs_norm_hours(version) for version in funds[link.number].all_versions):
            field, value = zero_norms[0]
            raise NormHoursRequired(
                field,
                value,
                f"fund {link.number} needs the norm hours (hour unit or hours recalculation), 0 is not allowed",
            )
        linked.append(link)
    return Employment(
        id=node.text("id"),
        birth_date=birth,
        hire_date=hire,
        end_date=end,
        part_time_factor=node.fixed("part_time_factor", FACTOR_PLACES),
        norm_hours_per_week=norm,
        fixed=_money_map(node, "fixed"),
        funds=tuple(sorted(linked, key=lambda link: (link.number, link.start_date or date.min))),
        periods=periods,
    )


def _components(node: _Node) -> dict[int, Component]:
    raw = node.get("components")
    if not isinstance(raw, Mapping):
        raise WrongType("components", raw, "expected an object of component number -> settings")
    components: dict[int, Component] = {}
    for key, value in raw.items():
        number = _component_key("components", key)
        entry = _Node(value, f"components.{key}")
        components[number] = Component(
            number=number,
            name=entry.text("name"),
            sign=_sign(entry, "sign", (-1, 1), 1),
            in_257=_sign(entry, "in_257", (-1, 0, 1), 0),
            in_265=_sign(entry, "in_265", (-1, 0, 1), 0),
        )
    return components


def _sign(node: _Node, key: str, allowed: tuple[int, ...], default: int) -> int:
    value = node.integer(key, default)
    if value not in allowed:
        raise OutOfRange(node.at(key), value, f"must be one of {', '.join(map(str, allowed))}")
    return value


@dataclass(frozen=True, slots=True)
class WageModel:
    """A case without its employments: the payroll year, the components and the funds (a loonmodel)."""

    year: int
    frequency: Frequency
    calendar: PayrollYear
    components: dict[int, Component]
    funds: dict[int, Fund]  # ascending by number


def parse_wage_model(data: Any) -> WageModel:
    """Validate a case's year, frequency, components and funds (its employments are left alone)."""
    return _wage_model(_Node(data, ""))


def _wage_model(root: _Node) -> WageModel:
    year = root.integer("year", low=1900, high=2200)
    frequency = root.choice("frequency", Frequency)
    calendar = payroll_year(year, frequency)
    components = _components(root)
    fund_items = root.items("funds")
    if len(fund_items) > MAX_FUNDS:
        raise TooManyFunds(fund_items[MAX_FUNDS][0], len(fund_items), f"a wage model holds at most {MAX_FUNDS} funds")
    funds: dict[int, Fund] = {}
    for path, raw in fund_items:
        fund = parse_fund(_Node(_with_preset(path, raw), path), calendar)
        if fund.number in funds:
            raise DuplicateEntry(f"{path}.number", fund.number, "two funds with the same number")
        funds[fund.number] = fund
    return WageModel(year, frequency, calendar, components, dict(sorted(funds.items())))


def parse_case(data: Any) -> Case:
    """Validate a case (parsed JSON) into the model; raises a ``FundError`` on the first fault."""
    root = _Node(data, "")
    model = _wage_model(root)
    employments: list[Employment] = []
    ids: set[str] = set()
    for path, raw in root.items("employments"):
        employment = _employment(_Node(raw, path), model.funds, model.calendar.n)
        if employment.id in ids:
            raise DuplicateEntry(f"{path}.id", employment.id, "two employments with the same id")
        ids.add(employment.id)
        employments.append(employment)
    return Case(model.year, model.frequency, model.components, model.funds, tuple(employments))
