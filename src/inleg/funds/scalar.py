"""The exact fund engine: one employment, one fund, one period at a time, in Python integers.

This is the oracle. It follows ``docs/funds.md`` step by step and favours being obviously right over
being fast; ``inleg.funds.batch`` must agree with it to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from inleg.funds.calendar import PayrollYear, Period, age_on, overlap, payroll_year, sv_days_between
from inleg.funds.model import (
    JAAR_GRSL,
    TOTALS,
    AgeTest,
    Case,
    Employment,
    EmploymentFund,
    Fund,
    FundKind,
    Origin,
    PeriodInput,
    RecalcUnit,
    Side,
    TableKind,
    TableRow,
    Threshold,
    TimeUnit,
)
from inleg.funds.numbers import FACTOR_SCALE, HOURS_SCALE, NORM_SCALE, PERCENT_SCALE, ceil_div, div_half_up
from inleg.funds.participation import fund_span
from inleg.funds.results import ResultRow, SideResult

_EMPTY_PERIOD = PeriodInput(period=0)
_PT_UNITS = (RecalcUnit.PERIOD, RecalcUnit.SV_DAYS, RecalcUnit.CALENDAR_DAYS)


@dataclass(frozen=True, slots=True)
class Days:
    """A period's participating days and hours for one fund (section 3 of funds.md)."""

    participates: bool
    sv: int = 0
    cal: int = 0
    pension: int = 0
    hours: int = 0  # hundredths


@dataclass(slots=True)
class _YearToDate:
    """Running sums of one side over the year's calculated periods (cumulatief berekenen).

    ``base`` and the thresholds sum every calculated period so far (a fixed contribution skips the
    calculation, so its periods stay out); ``b3`` and ``amount`` are what earlier periods already took.
    """

    base: int = 0
    max: int = 0
    franchise: int = 0
    min: int = 0
    b3: int = 0
    amount: int = 0


@dataclass(slots=True)
class _Thresholds:
    max: int
    franchise: int
    min: int
    max_used: bool
    franchise_used: bool
    min_used: bool


@dataclass(frozen=True, slots=True)
class PeriodTerms:
    """What one period of an employment-fund is computed with, and its participating days."""

    fund: Fund  # the fund's version valid on the period's last day
    link: EmploymentFund | None  # the link valid on the last day the fund applies in the period
    days: Days


@dataclass(slots=True)
class _FundYear:
    """Everything one employment-fund needs across the periods of a year."""

    case: Case
    year: PayrollYear
    employment: Employment
    ytd: dict[str, _YearToDate] = field(default_factory=lambda: {"premium": _YearToDate(), "total": _YearToDate()})


def calculate(case: Case) -> list[ResultRow]:
    """All result rows of a case: per employment, per linked fund (ascending), per period."""
    year = payroll_year(case.year, case.frequency)
    rows: list[ResultRow] = []
    for employment in case.employments:
        for number, links in employment.links_by_fund().items():
            state = _FundYear(case, year, employment)
            terms = period_terms(year, employment, case.funds[number], links)
            rows.extend(_period_row(state, number, period, t) for period, t in zip(year.periods, terms, strict=True))
    return rows


def period_terms(
    year: PayrollYear, employment: Employment, fund: Fund, links: tuple[EmploymentFund, ...]
) -> list[PeriodTerms]:
    """Section 3 per period, with the fund's version and the link that apply in it.

    A period is computed with the fund's settings valid on its last day, and with the terms of the link
    valid on the last day the fund applies in it. Its days are those on which any link applies under
    that version. Pension days run on over the year whatever version or link applies.
    """
    terms: list[PeriodTerms] = []
    counted_sv = 0  # SV-days so far, each period's times its part-time factor (ten-thousandths)
    pension_so_far = 0
    for period in year.periods:
        version = fund.in_period(period.end)
        spans: list[tuple[tuple[date, date], EmploymentFund]] = []
        for link in links:
            span = overlap(*fund_span(year, employment, version, link), period.start, period.end)
            if span is not None:
                spans.append((span, link))
        if not spans:
            terms.append(PeriodTerms(version, None, Days(False)))
            continue
        data = employment.periods.get(period.number, _EMPTY_PERIOD)
        sv = max(sum(sv_days_between(*span) for span, _ in spans) - data.unpaid_days, 0)
        cal = sum((span[1] - span[0]).days + 1 for span, _ in spans)
        # Pensioendagen: ceil(sum of each period's ptf * its SV-days so far) minus the days already counted
        # this year; with one factor for the year, ceil(ptf * cumulative SV-days) (ADR 0008 addendum).
        counted_sv += employment.factor_in(period.number) * sv
        pension_total = ceil_div(counted_sv, FACTOR_SCALE)
        hours = data.hours + (data.overtime_hours if version.kind is FundKind.HOURS_INCL_OVERTIME else 0)
        last = max(spans, key=lambda pair: pair[0][1])[1]
        terms.append(PeriodTerms(version, last, Days(True, sv, cal, pension_total - pension_so_far, hours)))
        pension_so_far = pension_total
    return terms


def _period_row(state: _FundYear, number: int, period: Period, terms: PeriodTerms) -> ResultRow:
    employment, fund, link, days = state.employment, terms.fund, terms.link, terms.days
    head = ResultRow(employment.id, number, period.number)
    if not days.participates or link is None:
        return head
    data = employment.periods.get(period.number, _EMPTY_PERIOD)
    raw_base = raw_base_of(state.case, state.year, employment, fund, period.number, data, days)
    if link.fixed_contribution is not None:
        premium = SideResult(amount=link.fixed_contribution.premium)
        total = SideResult(amount=link.fixed_contribution.total)
    else:
        premium = _side(state, fund, link, "premium", fund.premium, period, days, raw_base)
        total = _side(state, fund, link, "total", fund.total, period, days, raw_base)
    return ResultRow(
        employment.id,
        number,
        period.number,
        participates=True,
        sv_days=days.sv,
        calendar_days=days.cal,
        pension_days=days.pension,
        hours=days.hours,
        raw_base=raw_base,
        premium=premium,
        total=total,
    )


# --- section 4: the base ------------------------------------------------------------------------


def raw_base_of(
    case: Case, year: PayrollYear, employment: Employment, fund: Fund, period: int, data: PeriodInput, days: Days
) -> int:
    """The raw base B of a period in cents: the sum of the base's contributions."""
    present = fund.totals_in_base
    fixed = employment.fixed_in(period)  # the period's own fixed data, else the employment's
    base = 0
    for entry in fund.base:
        if entry.component in TOTALS:
            if entry.origin is Origin.CALCULATED:
                base += _total(case, data, entry.component)
            continue
        amount = _component_amount(year, fixed, fund, data, days, entry.component, entry.origin)
        component = case.component(entry.component)
        if any(component.coefficient(total) for total in present):
            # Tegengesteld: a part of 257/265 counts opposite to how it counts in the totals present.
            base -= sum(component.coefficient(total) for total in present) * amount
        else:
            base += component.sign * amount
    return base


def _total(case: Case, data: PeriodInput, total: int) -> int:
    """257 BRUTO or 265 V/H SOC.PLLOON: the period's calculated amounts, each by its coefficient."""
    return sum(case.component(number).coefficient(total) * amount for number, amount in data.components.items())


def _component_amount(
    year: PayrollYear,
    fixed: dict[int, int],
    fund: Fund,
    data: PeriodInput,
    days: Days,
    number: int,
    origin: Origin,
) -> int:
    if origin is Origin.EXCLUDED:
        return 0
    if number in JAAR_GRSL:
        return _annual_to_period(year, fund, days, fixed.get(number, 0))
    if origin is Origin.FIXED:
        return fixed.get(number, 0)
    return data.components.get(number, 0)


def _annual_to_period(year: PayrollYear, fund: Fund, days: Days, annual: int) -> int:
    """JAAR GRSL: the actual annual base, its share of the year, without part-time scaling."""
    if fund.recalc_unit is RecalcUnit.PERIOD:
        return div_half_up(annual, year.n)
    if fund.recalc_unit is RecalcUnit.CALENDAR_DAYS:
        return div_half_up(annual * days.cal, year.cal_year)
    return div_half_up(annual * days.sv, year.sv_year)


# --- sections 5 to 7: thresholds, percentages, amounts ---------------------------------------------


def _age_key(kind: TableKind, test: AgeTest, born: date, year: int, period: Period) -> int:
    if kind is TableKind.BIRTH_YEAR:
        return born.year
    on = {
        AgeTest.JAN1: date(year, 1, 1),
        AgeTest.DEC31: date(year, 12, 31),
        AgeTest.PERIOD_START: period.start,
        AgeTest.PERIOD_END: period.end,
    }[test]
    return age_on(born, on)


def _lookup(table: tuple[TableRow, ...], key: int) -> TableRow | None:
    return next((row for row in table if row.low <= key <= row.high), None)


def threshold_to_period(
    year: PayrollYear,
    fund: Fund,
    employment: Employment,
    threshold: Threshold,
    amount: int,
    days: Days,
    period: int,
) -> int:
    """Section 5: an amount per time unit to a yearly amount, then to the period; rounded to cents.

    Each step is a fraction (numerator, denominator) of Python integers, so nothing is rounded but
    the period value itself. The norm hours and part-time factor are the period's own (or the employment's).
    """
    week_hours = 52 * employment.norm_in(period)  # in ten-thousandths of an hour
    to_year = {
        TimeUnit.YEAR: (1, 1),
        TimeUnit.PERIOD: (year.n, 1),
        TimeUnit.SV_DAY: (year.sv_year, 1),
        TimeUnit.CALENDAR_DAY: (year.cal_year, 1),
        TimeUnit.HOUR: (week_hours, NORM_SCALE),
    }[threshold.unit]
    unit = fund.recalc_unit
    to_period = {
        RecalcUnit.PERIOD: (1, year.n),
        RecalcUnit.SV_DAYS: (days.sv, year.sv_year),
        RecalcUnit.CALENDAR_DAYS: (days.cal, year.cal_year),
        RecalcUnit.PENSION_DAYS: (days.pension, year.sv_year),
        RecalcUnit.HOURS: (days.hours * NORM_SCALE, HOURS_SCALE * week_hours),
    }[unit]
    numerator = amount * to_year[0] * to_period[0]
    denominator = to_year[1] * to_period[1]
    if threshold.part_time and unit in _PT_UNITS:
        numerator *= employment.factor_in(period)
        denominator *= FACTOR_SCALE
    return div_half_up(numerator, denominator)


def _thresholds(state: _FundYear, fund: Fund, name: str, side: Side, period: Period, days: Days) -> _Thresholds:
    employment = state.employment
    franchise_amount = side.franchise.amount
    if fund.franchise_kind is not TableKind.FIXED:
        key = _age_key(fund.franchise_kind, fund.franchise_age_test, employment.birth_date, state.year.year, period)
        row = _lookup(fund.franchise_table, key)
        franchise_amount = 0 if row is None else (row.premium if name == "premium" else row.total)

    def value(threshold: Threshold, amount: int) -> int:
        if not amount:
            return 0
        return threshold_to_period(state.year, fund, employment, threshold, amount, days, period.number)

    return _Thresholds(
        max=value(side.max_base, side.max_base.amount),
        franchise=value(side.franchise, franchise_amount),
        min=value(side.min_base, side.min_base.amount),
        max_used=side.max_base.amount != 0,
        franchise_used=franchise_amount != 0,
        min_used=side.min_base.amount != 0,
    )


def _percentage(state: _FundYear, fund: Fund, link: EmploymentFund, name: str, side: Side, period: Period) -> int:
    if link.deviation is not None:
        return link.deviation.premium if name == "premium" else link.deviation.total
    if fund.percentage_kind is TableKind.FIXED:
        return side.percentage
    key = _age_key(fund.percentage_kind, fund.percentage_age_test, state.employment.birth_date, state.year.year, period)
    row = _lookup(fund.percentage_table, key)
    return 0 if row is None else (row.premium if name == "premium" else row.total)


def apply_thresholds(base: int, t: _Thresholds) -> int:
    """Section 7 steps 1-3: max (before franchise), franchise, then min (after franchise)."""
    b1 = min(base, t.max) if t.max_used else base
    b2 = max(b1 - t.franchise, 0) if t.franchise_used else b1
    return max(b2, t.min) if t.min_used and base > 0 else b2


def percentage_of(base: int, percentage: int) -> int:
    """Section 7 step 4: the amount, rounded to cents."""
    return div_half_up(base * percentage, 100 * PERCENT_SCALE)


def _side(
    state: _FundYear,
    fund: Fund,
    link: EmploymentFund,
    name: str,
    side: Side,
    period: Period,
    days: Days,
    raw_base: int,
) -> SideResult:
    t = _thresholds(state, fund, name, side, period, days)
    percentage = _percentage(state, fund, link, name, side, period)
    ytd = state.ytd[name]
    ytd.base += raw_base
    ytd.max += t.max
    ytd.franchise += t.franchise
    ytd.min += t.min
    if not fund.cumulative:
        b3 = apply_thresholds(raw_base, t)
        amount = percentage_of(b3, percentage)
        ytd.b3 += b3
        ytd.amount += amount
        return SideResult(t.max, t.franchise, t.min, b3, percentage, amount)
    # Cumulatief: steps 1-4 on the year to date with this period's settings and percentage; the period
    # takes what the year to date comes to less what earlier periods took, however they were computed.
    ytd_t = _Thresholds(ytd.max, ytd.franchise, ytd.min, t.max_used, t.franchise_used, t.min_used)
    b3 = apply_thresholds(ytd.base, ytd_t)
    amount = percentage_of(b3, percentage)
    row = SideResult(t.max, t.franchise, t.min, b3 - ytd.b3, percentage, amount - ytd.amount)
    ytd.b3, ytd.amount = b3, amount
    return row
