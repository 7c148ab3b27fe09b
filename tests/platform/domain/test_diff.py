"""The diff by hand: the fewest writes, in an order Loket accepts, never touching what is not ours or the past.

Each example is also applied to the fake Loket (the sandbox's chain rules), which must accept every operation
in the order given and end holding the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from inleg.platform.domain.contributions import (
    ComponentPlan,
    Create,
    Delete,
    Employment,
    HeldRecord,
    Problem,
    Segment,
    Update,
    WhoMustAct,
    diff,
)
from inleg.platform.domain.contributions.plan import Blocked, BlockReason, Kind
from inleg.platform.domain.money import Cents
from tests.platform.domain.fake_loket import FakeLoket
from tests.platform.domain.helpers import key

KEY, OTHER_KEY = 751, 831
EMP = Employment("emp-1", date(2024, 1, 1))
B = date(2025, 3, 1)  # the window: March 2025 is the first period a change may apply to


def d(month: int, day: int) -> date:
    return date(2025, month, day)


def seg(start: date, end: date | None, cents: int) -> Segment:
    return Segment(start, end, Cents(cents))


def plan_of(*segments: Segment, employment: Employment = EMP) -> ComponentPlan:
    return ComponentPlan(employment, KEY, Kind.GROSS, B, segments)


class Setup:
    """A fake Loket with records made by us (owned) or by the administrator."""

    def __init__(self, employment: Employment = EMP) -> None:
        self.loket = FakeLoket([employment, Employment("emp-2", date(2024, 1, 1))])
        self.owned: set[str] = set()
        self.employment = employment

    def ours(self, start: date, end: date | None, cents: int, key: int = KEY) -> HeldRecord:
        made = self.loket.create(self.employment.id, key, start, end, Cents(cents))
        self.owned.add(made.id)
        return made

    def theirs(
        self, start: date, end: date | None, cents: int, key: int = KEY, employment: str = "emp-1"
    ) -> HeldRecord:
        return self.loket.admin_create(employment, key, start, end, Cents(cents))

    def held(self) -> list[HeldRecord]:
        return [r for r in self.loket.records(self.employment.id, KEY)]

    def apply(self, operations: Sequence[object]) -> None:
        for op in operations:
            if isinstance(op, Create):
                self.owned.add(self.loket.create(op.employment_id, op.component_key, op.start, op.end, op.value).id)
            elif isinstance(op, Update):
                self.loket.update(op.record.id, op.start, op.end, op.value, if_match=op.if_match)
            else:
                assert isinstance(op, Delete)
                self.loket.delete(op.record.id, if_match=op.if_match)

    def values(self) -> list[tuple[date, date | None, Cents]]:
        return [(r.start, r.end, r.value) for r in self.held()]


def test_an_empty_loket_gets_the_plan() -> None:
    s = Setup()
    changes = diff(plan_of(seg(B, None, 5000)), s.held(), s.owned)
    assert changes.operations == (Create("emp-1", KEY, B, None, Cents(5000)),)
    s.apply(changes.operations)
    assert s.values() == [(B, None, Cents(5000))]


def test_loket_holding_the_plan_needs_no_write() -> None:
    s = Setup()
    s.ours(B, d(5, 31), 5000)
    s.ours(d(6, 1), None, 6000)
    changes = diff(plan_of(seg(B, d(5, 31), 5000), seg(d(6, 1), None, 6000)), s.held(), s.owned)
    assert changes.operations == ()
    assert changes.holds_plan


def test_a_new_value_ends_the_running_record_before_the_window_and_creates_the_new_one() -> None:
    s = Setup()
    r = s.ours(d(1, 1), None, 5000)  # January and February have run with 50.00
    changes = diff(plan_of(seg(B, None, 6000)), s.held(), s.owned)
    assert changes.operations == (
        Update(r, d(1, 1), d(2, 28), Cents(5000)),  # its start and value are the payroll's past: kept
        Create("emp-1", KEY, B, None, Cents(6000)),
    )
    assert changes.operations[0].if_match == r.etag  # type: ignore[union-attr]
    s.apply(changes.operations)
    assert s.values() == [(d(1, 1), d(2, 28), Cents(5000)), (B, None, Cents(6000))]


def test_the_same_value_on_goes_on_in_the_same_record() -> None:
    s = Setup()
    r = s.ours(d(1, 1), None, 5000)
    changes = diff(plan_of(seg(B, d(5, 31), 5000), seg(d(6, 1), None, 6000)), s.held(), s.owned)
    assert changes.operations == (
        Update(r, d(1, 1), d(5, 31), Cents(5000)),
        Create("emp-1", KEY, d(6, 1), None, Cents(6000)),
    )
    s.apply(changes.operations)
    # next run: nothing to do, although the first record starts before the window
    assert diff(plan_of(seg(B, d(5, 31), 5000), seg(d(6, 1), None, 6000)), s.held(), s.owned).operations == ()


def test_a_stop_ends_the_running_record_the_day_before_the_window() -> None:
    s = Setup()
    r = s.ours(d(1, 1), None, 5000)
    changes = diff(plan_of(), s.held(), s.owned)
    assert changes.operations == (Update(r, d(1, 1), d(2, 28), Cents(5000)),)


def test_an_owned_record_in_the_window_without_a_segment_is_deleted() -> None:
    s = Setup()
    r = s.ours(d(4, 1), None, 5000)
    changes = diff(plan_of(), s.held(), s.owned)
    assert changes.operations == (Delete(r),)
    s.apply(changes.operations)
    assert s.values() == []


def test_a_changed_value_is_one_put() -> None:
    s = Setup()
    r = s.ours(d(4, 1), None, 5000)
    changes = diff(plan_of(seg(d(4, 1), None, 6000)), s.held(), s.owned)
    assert changes.operations == (Update(r, d(4, 1), None, Cents(6000)),)


def test_the_order_never_overlaps() -> None:
    s = Setup()
    r1 = s.ours(B, d(3, 31), 5000)
    r2 = s.ours(d(4, 1), None, 6000)
    target = plan_of(seg(B, d(4, 30), 5000), seg(d(5, 1), None, 6000))
    changes = diff(target, s.held(), s.owned)
    # r2 must go before r1 grows into April, and r1 must grow before ... nothing else overlaps
    assert changes.operations == (
        Delete(r2),
        Update(r1, B, d(4, 30), Cents(5000)),
        Create("emp-1", KEY, d(5, 1), None, Cents(6000)),
    )
    s.apply(changes.operations)  # the fake refuses an overlap: this passing is the point
    assert s.values() == [(B, d(4, 30), Cents(5000)), (d(5, 1), None, Cents(6000))]


def test_shortening_comes_before_creating() -> None:
    s = Setup()
    r = s.ours(B, None, 5000)
    target = plan_of(seg(B, d(3, 31), 5000), seg(d(4, 1), None, 6000))
    changes = diff(target, s.held(), s.owned)
    assert changes.operations == (Update(r, B, d(3, 31), Cents(5000)), Create("emp-1", KEY, d(4, 1), None, Cents(6000)))
    s.apply(changes.operations)
    assert s.values() == [(B, d(3, 31), Cents(5000)), (d(4, 1), None, Cents(6000))]


def test_moving_a_start_is_a_delete_and_a_create() -> None:
    s = Setup()
    r = s.ours(d(4, 1), None, 5000)
    changes = diff(plan_of(seg(B, None, 5000)), s.held(), s.owned)
    assert changes.operations == (Delete(r), Create("emp-1", KEY, B, None, Cents(5000)))


def test_records_before_the_window_are_history() -> None:
    s = Setup()
    s.ours(d(1, 1), d(1, 31), 3000)
    s.theirs(d(2, 1), d(2, 28), 1000)  # someone else's, before the window: not a conflict either
    changes = diff(plan_of(seg(B, None, 5000)), s.held(), s.owned)
    assert changes.operations == (Create("emp-1", KEY, B, None, Cents(5000)),)
    assert changes.conflicts == ()


def test_a_foreign_record_overlapping_the_plan_is_a_conflict_and_is_never_touched() -> None:
    s = Setup()
    f = s.theirs(d(1, 1), None, 2500)
    changes = diff(plan_of(seg(B, None, 5000)), s.held(), s.owned)
    assert changes.operations == ()  # a POST from March would make Loket close their record: not done
    assert len(changes.conflicts) == 1
    assert changes.conflicts[0].record == f
    assert changes.conflicts[0].segments == (seg(B, None, 5000),)
    assert changes.conflicts[0].who is WhoMustAct.SALARISADMINISTRATEUR


def test_a_foreign_record_outside_the_plan_is_no_conflict() -> None:
    s = Setup()
    s.theirs(d(9, 1), None, 2500)
    changes = diff(plan_of(seg(B, d(8, 31), 5000)), s.held(), s.owned)
    assert changes.operations == (Create("emp-1", KEY, B, d(8, 31), Cents(5000)),)
    assert changes.conflicts == ()


def test_what_is_connected_to_a_conflict_is_held_back_the_rest_is_written() -> None:
    s = Setup()
    r = s.ours(B, d(4, 30), 5000)
    s.theirs(d(9, 1), d(9, 30), 100)
    # The plan: 50.00 March to May, nothing June to August, 60.00 from September.
    changes = diff(plan_of(seg(B, d(5, 31), 5000), seg(d(9, 1), None, 6000)), s.held(), s.owned)
    assert [c.segments for c in changes.conflicts] == [(seg(d(9, 1), None, 6000),)]
    assert changes.operations == (Update(r, B, d(5, 31), Cents(5000)),)  # far from the conflict: written


def test_a_held_back_segment_freezes_our_record_under_it_and_what_touches_that() -> None:
    s = Setup()
    r = s.ours(B, d(5, 31), 5000)
    s.theirs(d(6, 1), d(6, 30), 100)
    # The plan moves the change to May: segment 2 overlaps their June record, and our record r overlaps
    # segment 2 (May), and segment 1 overlaps r: all three held back, nothing written.
    changes = diff(plan_of(seg(B, d(4, 30), 5000), seg(d(5, 1), None, 6000)), s.held(), s.owned)
    assert changes.operations == ()
    assert len(changes.conflicts) == 1
    assert s.loket.records("emp-1", KEY)[0] == r


def test_other_components_and_employments_are_not_looked_at() -> None:
    s = Setup()
    other_component = s.ours(B, None, 1234, key=OTHER_KEY)
    other_employment = s.theirs(B, None, 999, employment="emp-2")
    held = [*s.held(), other_component, other_employment]
    changes = diff(plan_of(seg(B, None, 5000)), held, s.owned)
    assert changes.operations == (Create("emp-1", KEY, B, None, Cents(5000)),)
    assert changes.conflicts == ()


def test_a_record_starting_outside_the_employment_needs_the_administrator() -> None:
    # The record was made while the employment ran; then Loket got an end date of 31 January, retroactively.
    s = Setup()
    r = s.ours(d(2, 15), None, 5000)
    ended = Employment("emp-1", date(2024, 1, 1), d(1, 31))
    changes = diff(plan_of(employment=ended), s.held(), s.owned)
    assert changes.operations == ()
    assert [(a.problem, a.record, a.who) for a in changes.attention] == [
        (Problem.RECORD_OUTSIDE_EMPLOYMENT, r, WhoMustAct.SALARISADMINISTRATEUR)
    ]


def test_a_record_from_before_a_moved_employment_start_is_left_and_blocks_what_it_overlaps() -> None:
    # Made from 1 January; then Loket moved the employment's start to 1 February.
    s = Setup()
    r = s.ours(d(1, 1), None, 5000)
    moved = Employment("emp-1", d(2, 1))
    same = diff(plan_of(seg(B, None, 5000), employment=moved), s.held(), s.owned)
    assert same.holds_plan  # it already holds what the plan wants from March: nothing to say
    other = diff(plan_of(seg(B, None, 6000), employment=moved), s.held(), s.owned)
    assert other.operations == ()  # no PUT (refused), no POST (it would close our record behind the payroll)
    assert [(a.problem, a.record) for a in other.attention] == [(Problem.RECORD_OUTSIDE_EMPLOYMENT, r)]


def test_a_blocked_plan_writes_nothing() -> None:
    s = Setup()
    s.ours(d(1, 1), None, 5000)
    blocked = ComponentPlan(EMP, KEY, Kind.GROSS, B, (), Blocked(BlockReason.SALARY_UNKNOWN, (key(2025, 7),)))
    changes = diff(blocked, s.held(), s.owned)
    assert changes.operations == ()
    assert [(a.problem, a.periods) for a in changes.attention] == [(Problem.SALARY_UNKNOWN, ("2025-07",))]
