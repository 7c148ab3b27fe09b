"""The property: whatever the employer, the employee, the payroll administrator and the payroll do, and
wherever the process dies, the writer ends with Loket holding the plan.

Against the in-memory Loket of fake_loket.py (the sandbox's chain rules), for random sequences of scheme
changes, exceptions, stops, net amounts, leavers, salary changes, payroll runs, records made or removed by the
administrator in Loket, and runs that die before or after any write call:

- after a run that completes, Loket holds the plan from the window on, except on days held back by a conflict
  (or a blocked plan), where what we hold did not change; without a foreign record overlapping the plan there is
  no such day;
- days before the window (periods the payroll has run) never change;
- a record someone else made, and any record of another component, is never written;
- no POST ever repeats a record Loket already holds, and every record we made is known as ours;
- a second run with nothing changed writes nothing.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from hypothesis import event, given
from hypothesis import strategies as st

from inleg.platform.domain.contributions import (
    ComponentPlan,
    Components,
    EmployeeException,
    Employment,
    Excluded,
    FixedAmount,
    History,
    NetContribution,
    PayrollPeriod,
    PercentOfSalary,
    PeriodKey,
    RunResult,
    SchemeChange,
    SchemeStop,
    Version,
    amounts_for,
    first_period_for_change,
    owned_ids,
    plan_employment,
    write_component,
)
from inleg.platform.domain.contributions.plan import Kind
from inleg.platform.domain.money import Cents
from tests.platform.domain.fake_loket import Crash, CrashingLoket, FakeLoket, MemoryJournal, Refused
from tests.platform.domain.helpers import four_weeks, months

GROSS, NET, OTHER = 751, 831, 900
COMPONENTS = Components(GROSS, NET)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FAR = date(2099, 6, 1)
E1, E2 = "emp-1", "emp-2"
Snapshot = dict[str, tuple[str, int, date, date | None, Cents]]  # FakeLoket.snapshot(): id -> values

# ---- the steps ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scheme:
    offset: int
    rule: FixedAmount | PercentOfSalary
    group: frozenset[str] | None


@dataclass(frozen=True)
class Stop:
    offset: int


@dataclass(frozen=True)
class Exception_:
    employment: str
    offset: int
    rule: FixedAmount | PercentOfSalary | Excluded | None


@dataclass(frozen=True)
class Net:
    employment: str
    offset: int
    cents: int


@dataclass(frozen=True)
class Leave:
    employment: str
    days_after_window: int


@dataclass(frozen=True)
class Salary:
    employment: str
    offset: int
    cents: int | None  # None: Loket has no salary from then on


@dataclass(frozen=True)
class AdminCreate:
    employment: str
    component: int
    days_after_window: int  # may be negative: a record from before the window
    length: int | None  # days; None: open
    cents: int


@dataclass(frozen=True)
class AdminDelete:
    pick: int  # which of our records (by index, modulo)


@dataclass(frozen=True)
class PayrollRun:
    pass


@dataclass(frozen=True)
class Run:
    crash_at: int | None
    when: Literal["before", "after"]


fixed = st.sampled_from([0, 2500, 5000, 6000]).map(lambda c: FixedAmount(Cents(c)))
percent = st.sampled_from(["3", "5", "2.5"]).map(lambda p: PercentOfSalary(Decimal(p)))
offsets = st.integers(0, 4)
who = st.sampled_from([E1, E2])
runs = st.builds(Run, st.one_of(st.none(), st.integers(1, 3)), st.sampled_from(["before", "after"]))
steps = st.one_of(
    st.builds(Scheme, offsets, st.one_of(fixed, percent), st.sampled_from([None, frozenset({E1}), frozenset({E2})])),
    st.builds(Scheme, offsets, fixed, st.none()),
    st.builds(Stop, offsets),
    st.builds(Exception_, who, offsets, st.one_of(fixed, percent, st.just(Excluded()), st.none())),
    st.builds(Net, who, offsets, st.sampled_from([0, 2500, 3000])),
    st.builds(Leave, who, st.integers(-60, 300)),  # before the window: registered late, in periods already run
    st.builds(Salary, who, offsets, st.one_of(st.sampled_from([300000, 310000, 234567]), st.none())),
    # Someone else's values are negative, ours never are: no record of theirs can look like one of ours.
    st.builds(
        AdminCreate,
        who,
        st.sampled_from([GROSS, NET, OTHER]),
        st.integers(-40, 300),
        st.one_of(st.none(), st.integers(0, 90)),
        st.sampled_from([-111, -2222]),
    ),
    st.builds(AdminDelete, st.integers(0, 10)),
    st.just(PayrollRun()),
)
# Rounds: a few things happen, then the writer runs (and may die at its first, second or third write).
rounds = st.lists(st.tuples(st.lists(steps, min_size=1, max_size=4), runs), max_size=8)

# ---- the world ------------------------------------------------------------------------------------------------


@dataclass
class World:
    periods: list[PayrollPeriod]
    employments: dict[str, Employment]
    loket: FakeLoket
    journal: MemoryJournal = field(default_factory=MemoryJournal)
    history: History = field(default_factory=History)
    ran: set[PeriodKey] = field(default_factory=set)
    salaries: dict[str, dict[PeriodKey, Cents]] = field(default_factory=dict)
    minute: int = 0

    def now(self) -> datetime:
        """Noon in Amsterdam on the first day of the first period not run (cut-off 0: that period is open)."""
        first = next(p for p in self.periods if p.key not in self.ran)
        return datetime.combine(first.start, datetime.min.time(), AMSTERDAM) + timedelta(hours=12)

    def first_open(self) -> PayrollPeriod:
        return first_period_for_change(self.periods, self.ran, self.now(), 0)

    def period_at(self, offset: int) -> PeriodKey | None:
        index = self.periods.index(self.first_open()) + offset
        return self.periods[index].key if index < len(self.periods) else None

    def add(self, version: Version) -> None:
        self.history = self.history.with_version(version)

    def stamp(self) -> dict[str, object]:
        self.minute += 1
        return {"author": "someone", "made_at": self.now() + timedelta(seconds=self.minute)}

    def plans(self) -> list[ComponentPlan]:
        first = self.first_open().key
        result: list[ComponentPlan] = []
        for employment in self.employments.values():
            plan = plan_employment(
                employment,
                self.periods,
                self.history,
                self.salaries[employment.id],
                first_open=first,
                components=COMPONENTS,
            )
            result.extend(plan)
        return result

    def run(self, loket: FakeLoket | CrashingLoket) -> list[RunResult]:
        return [write_component(plan, loket, self.journal, now=self.now) for plan in self.plans()]


def apply(world: World, step: object) -> None:
    if isinstance(step, Scheme | Stop | Exception_ | Net):
        period = world.period_at(step.offset)
        if period is None:
            return
        if isinstance(step, Scheme):
            world.add(SchemeChange(from_period=period, rule=step.rule, group=step.group, **world.stamp()))  # type: ignore[arg-type]
        elif isinstance(step, Stop):
            world.add(SchemeStop(from_period=period, **world.stamp()))  # type: ignore[arg-type]
        elif isinstance(step, Exception_):
            world.add(
                EmployeeException(from_period=period, employment_id=step.employment, rule=step.rule, **world.stamp())  # type: ignore[arg-type]
            )
        else:
            world.add(
                NetContribution(
                    from_period=period, employment_id=step.employment, amount=Cents(step.cents), **world.stamp()
                )  # type: ignore[arg-type]
            )
    elif isinstance(step, Leave):
        employment = world.employments[step.employment]
        end = max(world.first_open().start + timedelta(days=step.days_after_window), employment.start)
        world.employments[step.employment] = Employment(employment.id, employment.start, end)
        world.loket.employments[step.employment] = world.employments[step.employment]
    elif isinstance(step, Salary):
        period = world.period_at(step.offset)
        if period is None:
            return
        for p in world.periods:
            if p.key >= period:
                if step.cents is None:
                    world.salaries[step.employment].pop(p.key, None)
                else:
                    world.salaries[step.employment][p.key] = Cents(step.cents)
    elif isinstance(step, AdminCreate):
        start = world.first_open().start + timedelta(days=step.days_after_window)
        end = None if step.length is None else start + timedelta(days=step.length)
        with suppress(Refused):  # Loket said no (an overlap, outside the employment): nothing happened
            world.loket.admin_create(step.employment, step.component, start, end, Cents(step.cents))
    elif isinstance(step, AdminDelete):
        ours = sorted(i for i in world.loket.made_by_platform if i in world.loket.store)
        if ours:
            world.loket.admin_delete(ours[step.pick % len(ours)])
    elif isinstance(step, PayrollRun):
        open_ = [p for p in world.periods if p.key not in world.ran]
        if len(open_) > 2:
            world.ran.add(open_[0].key)
    else:
        assert isinstance(step, Run)
        if step.crash_at is None:
            run_and_check(world)
        else:
            before = world.loket.snapshot()
            crashing = CrashingLoket(world.loket, step.crash_at, step.when)
            try:
                world.run(crashing)
            except Crash:
                event(f"crash {step.when} a write")
            check_untouchable(world, before)
            if crashing.calls < step.crash_at:  # it never got that far: a run that completed
                check_plan(world, before, None)


# ---- the checks -----------------------------------------------------------------------------------------------


def ours(world: World) -> set[str]:
    """The records we made, less those someone else changed before the journal knew they were ours.

    A POST whose answer was lost is recognised afterwards by its exact values; if someone else changed the
    record in between (say, a POST of theirs closed it), it cannot be told from theirs, and is treated as
    theirs: never touched, reported where it is in the way. That is the only way a record of ours is lost.
    """
    lost = world.loket.made_by_platform - owned_ids(world.journal.all)
    assert lost & set(world.loket.store) <= world.loket.changed_by_others, "a record of ours was lost"
    return world.loket.made_by_platform - lost


def value_on(world: World, employment: str, component: int, day: date, mine: set[str] | None = None) -> Cents:
    """What Loket holds on ``day`` (only in records ``mine``, if given); never two records."""
    found = [
        r
        for r in world.loket.chain(employment, component)
        if r.start <= day and (r.end is None or day <= r.end) and (mine is None or r.id in mine)
    ]
    assert len(found) <= 1, f"two records on {day}: {found}"
    return found[0].value if found else Cents(0)


def critical_days(world: World, plan: ComponentPlan, snapshot: Snapshot) -> set[date]:
    """Days on which a value can change: the bounds of periods, segments and records (now and before)."""
    bounds: set[date] = {FAR, world.periods[0].start}
    for p in world.periods:
        bounds |= {p.start, p.end}
    for s in plan.segments:
        bounds |= {s.start} | ({s.end} if s.end else set())
    for _, _, start, end, _ in snapshot.values():
        bounds |= {start} | ({end} if end else set())
    for r in world.loket.store.values():
        bounds |= {r.start} | ({r.end} if r.end else set())
    return {d + timedelta(days=k) for d in bounds for k in (-1, 0, 1)}


def expected_from_amounts(world: World, plan: ComponentPlan, day: date, memo: dict[object, Cents]) -> Cents:
    """What the plan should say on ``day``, from amounts_for alone (no segments, no merging)."""
    employment = world.employments[plan.employment.id]
    if day < employment.start or (employment.end is not None and day > employment.end):
        return Cents(0)
    period = next((p for p in world.periods if day in p), world.periods[-1] if day > world.periods[-1].end else None)
    assert period is not None
    if (plan.kind, employment.id, period.key) not in memo:
        salary = world.salaries[employment.id].get(period.key)
        amounts = amounts_for(employment.id, period, world.history, salary)
        value = amounts.gross if plan.kind is Kind.GROSS else amounts.net
        assert value is not None
        memo[(plan.kind, employment.id, period.key)] = value
    return memo[(plan.kind, employment.id, period.key)]


def held_in(snapshot: Snapshot, employment: str, component: int, day: date, ids: set[str] | None = None) -> Cents:
    """The value a snapshot of Loket holds on ``day`` (only records in ``ids``, if given)."""
    return sum(
        (
            value
            for record_id, (e, k, start, end, value) in snapshot.items()
            if e == employment
            and k == component
            and start <= day
            and (end is None or day <= end)
            and (ids is None or record_id in ids)
        ),
        Cents(0),
    )


def check_untouchable(world: World, before: Snapshot) -> None:
    """Records of others and of other components were not written; no POST repeated a held record."""
    after = world.loket.snapshot()
    # made by us, still there, not (or not yet) known as ours: to the writer these are someone else's
    unknown = (world.loket.made_by_platform & set(after)) - owned_ids(world.journal.all)
    for record_id, values in before.items():
        if record_id not in world.loket.made_by_platform or record_id in unknown or values[1] == OTHER:
            assert after.get(record_id) == values, f"someone else's record {record_id} changed"
    assert all(w.record_id in world.loket.made_by_platform for w in world.loket.writes if w.by_platform)
    assert world.loket.repeated_posts == 0


def check_plan(world: World, before: Snapshot, results: list[RunResult] | None) -> None:
    mine = ours(world)
    memo: dict[object, Cents] = {}
    for plan in world.plans():
        emp, key, window = plan.employment.id, plan.component_key, plan.window_start
        days = critical_days(world, plan, before)
        ours_before = {d: held_in(before, emp, key, d, mine) for d in days}
        everything_before = {d: held_in(before, emp, key, d) for d in days}
        foreign = [
            r for r in world.loket.chain(emp, key) if r.id not in mine
            and (r.end is None or r.end >= window)
        ]  # fmt: skip
        employment = world.employments[emp]
        stuck = [  # ours, into the window, from a start outside the employment: Loket refuses any write of them
            r for r in world.loket.chain(emp, key) if r.id in mine and r.start < window
            and (r.end is None or r.end >= window)
            and (r.start < employment.start or (employment.end is not None and r.start > employment.end))
        ]  # fmt: skip
        overlap = plan.blocked is not None or bool(stuck)
        overlap = overlap or any(s.overlaps(r.start, r.end) for s in plan.segments for r in foreign)
        for day in sorted(days):
            if day < window:
                # the payroll's past: exactly what it was
                assert value_on(world, emp, key, day) == everything_before[day], (emp, key, day)
                continue
            if plan.blocked is None:
                assert plan.value_on(day) == expected_from_amounts(world, plan, day, memo), (emp, key, day)
            held = value_on(world, emp, key, day, mine)
            if held != plan.value_on(day):
                assert overlap, f"{emp} {key} {day}: Loket holds {held}, the plan says {plan.value_on(day)}"
                assert held == ours_before[day], f"{emp} {key} {day}: held back, yet changed"
    present = set(world.loket.store)
    assert owned_ids(world.journal.all) & present == mine & present
    if results is not None:
        for result in results:
            if not result.changes.holds_plan:
                continue
            plan = result.changes.plan
            for day in critical_days(world, plan, before):
                if day >= plan.window_start:
                    assert value_on(world, plan.employment.id, plan.component_key, day, mine) == plan.value_on(day)


def run_and_check(world: World) -> None:
    before = world.loket.snapshot()
    results = world.run(world.loket)
    check_untouchable(world, before)
    check_plan(world, before, results)
    for result in results:
        event("run: " + ("conflict" if result.changes.conflicts else "no conflict"))
        event("run: " + ("attention" if result.changes.attention else "no attention"))
        event("run: " + ("writes" if result.writes else "no writes"))
        if any(s.adopted for s in result.settled):
            event("adopted a record after a crash")
    writes = len(world.loket.writes)
    again = world.run(world.loket)
    assert sum(r.writes for r in again) == 0
    assert len(world.loket.writes) == writes


@given(
    frequency=st.sampled_from(["month", "four weeks"]),
    second_start=st.sampled_from([date(2024, 6, 1), date(2025, 2, 15), date(2025, 5, 10)]),
    duplicates=st.sampled_from(["sandbox", "refuse"]),
    script=rounds,
)
def test_loket_ends_holding_the_plan(
    frequency: str, second_start: date, duplicates: Literal["sandbox", "refuse"], script: list[tuple[list[object], Run]]
) -> None:
    periods = months(2025) if frequency == "month" else four_weeks(2025)
    employments = {E1: Employment(E1, date(2024, 1, 1)), E2: Employment(E2, second_start)}
    world = World(periods, employments, FakeLoket(list(employments.values()), duplicates=duplicates))
    world.salaries = {e: {p.key: Cents(300000) for p in periods} for e in employments}
    for happenings, run in script:
        for step in happenings:
            apply(world, step)
        apply(world, run)
    run_and_check(world)
