"""The plan: the dated values Loket should hold, per employment and wage component.

For each employment there are two components: the employer's gross amount (``Pensify Inleg``) and the
employee's net amount (a net-deduction component). The plan of one component is a list of segments (start,
end or None, value): consecutive periods with the same value are one segment, a value of 0 is no segment (no
record in Loket), and the last segment stays open (no end date) because a fixed value in Loket holds until it
is changed. An employment's end date ends the last segment on that day; a stop ends it the day before the
stop's period starts. A segment never starts before the employment does (Loket refuses that).

The plan starts at a window: the first period a change may still apply to (``periods.first_period_for_change``
at the moment of the run). Before it the payroll has run, or is about to; the plan says nothing about those
days and the diff never writes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from inleg.platform.domain.contributions.employments import Employment
from inleg.platform.domain.contributions.errors import InvalidScheme, UnknownPeriod
from inleg.platform.domain.contributions.intervals import overlaps
from inleg.platform.domain.contributions.periods import PayrollPeriod, PeriodKey, ordered
from inleg.platform.domain.contributions.schemes import History, amounts_for, check_known
from inleg.platform.domain.money import Cents


@dataclass(frozen=True, slots=True)
class Segment:
    """One value Loket should hold from ``start`` through ``end`` (None: open, no end date)."""

    start: date
    end: date | None
    value: Cents

    def overlaps(self, start: date, end: date | None) -> bool:
        return overlaps(self.start, self.end, start, end)

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Kind(StrEnum):
    GROSS = "bruto werkgeversbijdrage"
    NET = "netto inleg werknemer"


class BlockReason(StrEnum):
    SALARY_UNKNOWN = "salaris onbekend"


@dataclass(frozen=True, slots=True)
class Blocked:
    """The plan of a component cannot be made: nothing is written for it until the cause is gone."""

    reason: BlockReason
    periods: tuple[PeriodKey, ...]


@dataclass(frozen=True, slots=True)
class ComponentPlan:
    employment: Employment
    component_key: int
    kind: Kind
    window_start: date
    segments: tuple[Segment, ...]
    blocked: Blocked | None = None

    def value_on(self, day: date) -> Cents:
        """What Loket should hold on ``day`` (0: no record); only asked for days from the window on."""
        for segment in self.segments:
            if segment.covers(day):
                return segment.value
        return Cents(0)


@dataclass(frozen=True, slots=True)
class Components:
    """The two wage components: the employer's gross amount and the employee's net amount."""

    gross: int
    net: int

    def __post_init__(self) -> None:
        for name, key in (("components.gross", self.gross), ("components.net", self.net)):
            if type(key) is not int or key < 1:
                raise InvalidScheme(name, key, "is not a wage component number (a whole number from 1)")
        if self.gross == self.net:
            raise InvalidScheme("components.net", self.net, "is the same component as the gross amount")


@dataclass(frozen=True, slots=True)
class EmploymentPlan:
    gross: ComponentPlan
    net: ComponentPlan

    def __iter__(self) -> Iterator[ComponentPlan]:
        return iter((self.gross, self.net))


def _segments(pieces: Sequence[tuple[date, date, Cents]], last_end: date, employment: Employment) -> list[Segment]:
    """Merge per-period pieces (start, end, value) into segments; the one reaching ``last_end`` stays open."""
    segments: list[Segment] = []
    for start, end, value in pieces:
        if not value:
            continue
        previous = segments[-1] if segments else None
        if (
            previous is not None
            and previous.value == value
            and previous.end is not None
            and previous.end + timedelta(days=1) == start
        ):
            segments[-1] = Segment(previous.start, end, value)
        else:
            segments.append(Segment(start, end, value))
    if segments and segments[-1].end == last_end:
        # Beyond the last listed period the last value holds on, until the employment ends (if it does).
        last = segments[-1]
        segments[-1] = Segment(last.start, employment.end, last.value)
    return segments


def plan_employment(
    employment: Employment,
    periods: Sequence[PayrollPeriod],
    history: History,
    salaries: Mapping[PeriodKey, Cents],
    *,
    first_open: PeriodKey,
    components: Components,
) -> EmploymentPlan:
    """What Loket should hold for ``employment`` from ``first_open`` on, for both components.

    ``salaries``: the gross salary per period where Loket has one (only needed where a percentage applies).
    """
    listed = ordered(periods)
    check_known(history, listed)
    window = [p for p in listed if p.key >= first_open]
    if not window or window[0].key != first_open:
        raise UnknownPeriod("first_open", str(first_open), "is not among the payroll periods in Loket")
    gross_pieces: list[tuple[date, date, Cents]] = []
    net_pieces: list[tuple[date, date, Cents]] = []
    unknown: list[PeriodKey] = []
    for period in window:
        if not employment.overlaps(period.start, period.end):
            continue
        start = max(period.start, employment.start)
        end = min(period.end, employment.end) if employment.end is not None else period.end
        amounts = amounts_for(employment.id, period, history, salaries.get(period.key))
        if amounts.gross is None:
            unknown.append(period.key)
        else:
            gross_pieces.append((start, end, amounts.gross))
        net_pieces.append((start, end, amounts.net))
    last_end = window[-1].end
    window_start = window[0].start
    gross = ComponentPlan(
        employment,
        components.gross,
        Kind.GROSS,
        window_start,
        () if unknown else tuple(_segments(gross_pieces, last_end, employment)),
        Blocked(BlockReason.SALARY_UNKNOWN, tuple(unknown)) if unknown else None,
    )
    net = ComponentPlan(
        employment, components.net, Kind.NET, window_start, tuple(_segments(net_pieces, last_end, employment))
    )
    return EmploymentPlan(gross, net)
