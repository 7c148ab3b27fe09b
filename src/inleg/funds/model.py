"""The settings of a fund (fondsinstellingen) and the payroll data it is computed over.

Plain frozen data, already validated: build it through ``inleg.funds.cases.parse_case``. Numbers are
integers of a fixed scale (see ``inleg.funds.numbers``): cents, ten-thousandths of a percent, ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from inleg.funds.calendar import Frequency

MAX_FUNDS = 35

TOTAL_257_BRUTO = 257
TOTAL_265_SOC_PLLOON = 265
TOTALS = (TOTAL_257_BRUTO, TOTAL_265_SOC_PLLOON)
JAAR_GRSL = range(543, 548)  # JAAR GRSL1 (543) .. JAAR GRSL5 (547): annual bases from fixed data


class FundKind(StrEnum):
    """Soort fonds: steers the calculation for some sectors; mostly n.v.t."""

    NONE = "none"
    HOURS_INCL_OVERTIME = "hours_incl_overtime"


class TimeUnit(StrEnum):
    """Tijdseenheid of a threshold amount."""

    YEAR = "year"
    PERIOD = "period"
    SV_DAY = "sv_day"
    CALENDAR_DAY = "calendar_day"
    HOUR = "hour"


class RecalcUnit(StrEnum):
    """Herreken eenheid: how a yearly amount becomes a period amount."""

    PERIOD = "period"
    SV_DAYS = "sv_days"
    CALENDAR_DAYS = "calendar_days"
    PENSION_DAYS = "pension_days"
    HOURS = "hours"


class Moment(StrEnum):
    """How the day an age is reached becomes an entry or exit date."""

    BIRTHDAY = "birthday"
    MONTH_START = "month_start"
    NEXT_MONTH_START = "next_month_start"


class TableKind(StrEnum):
    """Soort franchise / soort percentage."""

    FIXED = "fixed"
    AGE = "age"
    BIRTH_YEAR = "birth_year"


class AgeTest(StrEnum):
    """Leeftijdstoets: the day on which the age for a table is measured."""

    JAN1 = "jan1"
    DEC31 = "dec31"
    PERIOD_START = "period_start"
    PERIOD_END = "period_end"


class Origin(StrEnum):
    """Herkomst of a component in the base (grondslag opbouw)."""

    CALCULATED = "calculated"
    FIXED = "fixed"
    EXCLUDED = "excluded"


@dataclass(frozen=True, slots=True)
class Component:
    """A wage component (looncomponent): its sign and how it counts in 257 BRUTO and 265 SOC.PLLOON."""

    number: int
    name: str = ""
    sign: int = 1
    in_257: int = 0
    in_265: int = 0

    def coefficient(self, total: int) -> int:
        return self.in_257 if total == TOTAL_257_BRUTO else self.in_265


@dataclass(frozen=True, slots=True)
class Threshold:
    """A min base, max base or franchise: an amount in cents (0 = not used) per time unit."""

    amount: int = 0
    unit: TimeUnit = TimeUnit.YEAR
    part_time: bool = False


@dataclass(frozen=True, slots=True)
class Side:
    """The premium side (premie, withheld) or the total side (afdracht, employee + employer)."""

    percentage: int
    min_base: Threshold = Threshold()
    max_base: Threshold = Threshold()
    franchise: Threshold = Threshold()


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of an age or birth-year table: an inclusive range and a value per side."""

    low: int
    high: int
    premium: int
    total: int


@dataclass(frozen=True, slots=True)
class AgeMoment:
    """Ingangsmoment / eindmoment: an age, how it becomes a date, and aanvullende maanden."""

    age: int
    moment: Moment
    extra_months: int = 0


@dataclass(frozen=True, slots=True)
class BaseEntry:
    component: int
    origin: Origin


@dataclass(frozen=True, slots=True)
class Fund:
    number: int
    name: str
    kind: FundKind
    external_code: str
    entry: AgeMoment | None
    exit: AgeMoment | None
    recalc_unit: RecalcUnit
    cumulative: bool
    franchise_kind: TableKind
    franchise_age_test: AgeTest
    franchise_table: tuple[TableRow, ...]
    percentage_kind: TableKind
    percentage_age_test: AgeTest
    percentage_table: tuple[TableRow, ...]
    premium: Side
    total: Side
    base: tuple[BaseEntry, ...]
    # Later settings of this fund within the payroll year, ascending by date (docs/fund-cases.md, ADR 0008).
    versions: tuple[FundVersion, ...] = ()

    def in_period(self, last_day: date) -> Fund:
        """The settings a period is computed with: those valid on the period's last day."""
        current = self
        for version in self.versions:
            if version.valid_from <= last_day:
                current = version.fund
        return current

    @property
    def all_versions(self) -> tuple[Fund, ...]:
        return (self, *(version.fund for version in self.versions))

    @property
    def totals_in_base(self) -> tuple[int, ...]:
        """Which of 257 and 265 the base lists (with any origin: excluded still counts as present)."""
        listed = {entry.component for entry in self.base}
        return tuple(t for t in TOTALS if t in listed)


@dataclass(frozen=True, slots=True)
class FundVersion:
    """A fund's settings from a date inside the payroll year: complete, the same number, no versions of its own."""

    valid_from: date
    fund: Fund


@dataclass(frozen=True, slots=True)
class Pair:
    """A premium value and a total value: a deviation's percentages or a fixed contribution's cents."""

    premium: int
    total: int


@dataclass(frozen=True, slots=True)
class EmploymentFund:
    """A fund linked to an employment (dienstverbandfonds), with its own dates and overrides.

    An employment may link one fund several times on dates that do not overlap: each link is a version
    of the employment's terms for that fund (a deviation from a date, a fixed contribution that ends).
    """

    number: int
    start_date: date | None = None
    end_date: date | None = None
    deviation: Pair | None = None  # afwijkende percentages
    fixed_contribution: Pair | None = None  # vaste bijdrage, in cents


@dataclass(frozen=True, slots=True)
class PeriodInput:
    """A period's payroll data: calculated component amounts (cents), hours and unpaid days.

    A period may carry its own part-time factor, norm hours and fixed data (our extension, ADR 0008
    addendum); ``None`` takes the employment's. A period's own fixed data is its whole map (vaste gegevens).
    """

    period: int
    components: dict[int, int] = field(default_factory=dict)
    hours: int = 0  # hundredths of an hour
    overtime_hours: int = 0
    unpaid_days: int = 0
    part_time_factor: int | None = None  # ten-thousandths
    norm_hours_per_week: int | None = None  # ten-thousandths of an hour
    fixed: dict[int, int] | None = None  # vaste gegevens: component -> cents


@dataclass(frozen=True, slots=True)
class Employment:
    id: str
    birth_date: date
    hire_date: date
    end_date: date | None
    part_time_factor: int  # ten-thousandths: 3947 = 39.47 %; the default of periods without their own
    norm_hours_per_week: int  # ten-thousandths of an hour; likewise
    fixed: dict[int, int]  # vaste gegevens: component -> cents; the default of periods without their own
    funds: tuple[EmploymentFund, ...]  # by fund number, then start date
    periods: dict[int, PeriodInput]

    def factor_in(self, period: int) -> int:
        """The part-time factor of a period: its own, else the employment's."""
        data = self.periods.get(period)
        own = None if data is None else data.part_time_factor
        return self.part_time_factor if own is None else own

    def norm_in(self, period: int) -> int:
        """The norm hours per week of a period: its own, else the employment's."""
        data = self.periods.get(period)
        own = None if data is None else data.norm_hours_per_week
        return self.norm_hours_per_week if own is None else own

    def fixed_in(self, period: int) -> dict[int, int]:
        """The fixed data (vaste gegevens) of a period: its own map, else the employment's."""
        data = self.periods.get(period)
        own = None if data is None else data.fixed
        return self.fixed if own is None else own

    def links_by_fund(self) -> dict[int, tuple[EmploymentFund, ...]]:
        """The links of each fund number (ascending), each fund's versions in date order."""
        grouped: dict[int, list[EmploymentFund]] = {}
        for link in self.funds:
            grouped.setdefault(link.number, []).append(link)
        return {number: tuple(links) for number, links in sorted(grouped.items())}


@dataclass(frozen=True, slots=True)
class Case:
    year: int
    frequency: Frequency
    components: dict[int, Component]
    funds: dict[int, Fund]
    employments: tuple[Employment, ...]

    def component(self, number: int) -> Component:
        return self.components.get(number) or Component(number)
