"""The journal and the writer loop: crashes at every point, repeated runs, no duplicate, no repeated POST."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

import pytest

from inleg.platform.domain.contributions import (
    Action,
    ComponentPlan,
    Employment,
    HeldRecord,
    JournalEntry,
    Segment,
    Settlement,
    Status,
    changes_for,
    owned_ids,
    reconcile,
    write_component,
)
from inleg.platform.domain.contributions.plan import Kind
from inleg.platform.domain.money import Cents
from tests.platform.domain.fake_loket import Crash, CrashingLoket, FakeLoket, MemoryJournal, Refused

KEY = 751
EMP = Employment("emp-1", date(2024, 1, 1))
B = date(2025, 3, 1)
NOW = datetime(2025, 3, 3, 9, tzinfo=UTC)


def clock() -> datetime:
    return NOW


def plan_of(*segments: tuple[date, date | None, int]) -> ComponentPlan:
    return ComponentPlan(EMP, KEY, Kind.GROSS, B, tuple(Segment(s, e, Cents(v)) for s, e, v in segments))


PLAN = plan_of((B, date(2025, 5, 31), 5000), (date(2025, 6, 1), None, 6000))
HELD_PLAN = [(B, date(2025, 5, 31), Cents(5000)), (date(2025, 6, 1), None, Cents(6000))]


def values(loket: FakeLoket) -> list[tuple[date, date | None, Cents]]:
    return [(r.start, r.end, r.value) for r in loket.records(EMP.id, KEY)]


def test_a_run_writes_the_plan_and_a_second_run_writes_nothing() -> None:
    loket, journal = FakeLoket([EMP]), MemoryJournal()
    first = write_component(PLAN, loket, journal, now=clock)
    assert first.writes == 2
    assert values(loket) == HELD_PLAN
    assert {e.status for e in journal.all} == {Status.DONE}
    assert owned_ids(journal.all) == {r.id for r in loket.records(EMP.id, KEY)}
    before = len(loket.writes)
    again = write_component(PLAN, loket, journal, now=clock)
    assert again.writes == 0
    assert len(loket.writes) == before


@pytest.mark.parametrize("duplicates", ["sandbox", "refuse"])
@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("at", [1, 2])
def test_a_crash_at_any_write_ends_in_the_plan_without_a_duplicate(
    at: int, when: Literal["before", "after"], duplicates: Literal["sandbox", "refuse"]
) -> None:
    loket, journal = FakeLoket([EMP], duplicates=duplicates), MemoryJournal()
    with pytest.raises(Crash):
        write_component(PLAN, CrashingLoket(loket, at, when), journal, now=clock)
    assert [e.status for e in journal.all][-1] is Status.PENDING
    write_component(PLAN, loket, journal, now=clock)
    assert values(loket) == HELD_PLAN
    posts = [w for w in loket.writes if w.method == "POST"]
    assert len(posts) == 2  # each segment POSTed once: the crashed one was adopted or never sent
    assert owned_ids(journal.all) == {r.id for r in loket.records(EMP.id, KEY)}
    assert all(e.status is not Status.PENDING for e in journal.all)
    assert write_component(PLAN, loket, journal, now=clock).writes == 0


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_crash_at_an_update_or_delete(when: Literal["before", "after"]) -> None:
    loket, journal = FakeLoket([EMP]), MemoryJournal()
    write_component(
        plan_of(
            (B, None, 5000),
        ),
        loket,
        journal,
        now=clock,
    )
    write_component(plan_of((B, None, 5000)), loket, journal, now=clock)
    # New plan: end the record in May (an update) ...
    target = plan_of((B, date(2025, 5, 31), 5000))
    with pytest.raises(Crash):
        write_component(target, CrashingLoket(loket, 1, when), journal, now=clock)
    write_component(target, loket, journal, now=clock)
    assert values(loket) == [(B, date(2025, 5, 31), Cents(5000))]
    # ... and then nothing at all (a delete)
    with pytest.raises(Crash):
        write_component(plan_of(), CrashingLoket(loket, 1, when), journal, now=clock)
    result = write_component(plan_of(), loket, journal, now=clock)
    assert values(loket) == []
    assert result.writes == (1 if when == "before" else 0)
    assert owned_ids(journal.all) == set()


def test_a_crash_in_the_middle_of_settling_is_settled_next_time() -> None:
    class DiesOnSettle(MemoryJournal):
        def __init__(self) -> None:
            super().__init__()
            self.die = False

        def settle(self, settlement: Settlement) -> None:
            if self.die:
                raise Crash("settling")
            super().settle(settlement)

    loket, journal = FakeLoket([EMP]), DiesOnSettle()
    journal.die = True
    with pytest.raises(Crash):  # the POST went through, the confirmation did not
        write_component(PLAN, loket, journal, now=clock)
    with pytest.raises(Crash):  # the next run dies while settling the pending intent
        write_component(PLAN, loket, journal, now=clock)
    journal.die = False
    write_component(PLAN, loket, journal, now=clock)
    assert values(loket) == HELD_PLAN
    assert len([w for w in loket.writes if w.method == "POST"]) == 2


def test_a_record_that_was_there_before_the_intent_is_not_adopted() -> None:
    """The administrator made exactly our record before we POSTed: it stays theirs (seen), a conflict."""
    held = [HeldRecord("theirs", EMP.id, KEY, B, None, Cents(5000))]
    pending = JournalEntry("i1", Action.CREATE, EMP.id, KEY, None, B, None, Cents(5000), frozenset({"theirs"}), NOW)
    assert reconcile([pending], held) == [Settlement("i1", Status.ABANDONED)]
    new = [*held[:0], HeldRecord("new", EMP.id, KEY, B, None, Cents(5000))]
    assert reconcile([pending], new) == [Settlement("i1", Status.DONE, "new", adopted=True)]


def test_a_record_that_differs_from_the_intent_is_not_adopted() -> None:
    pending = JournalEntry("i1", Action.CREATE, EMP.id, KEY, None, B, None, Cents(5000), frozenset(), NOW)
    for other in (
        HeldRecord("x", EMP.id, KEY, B, None, Cents(5001)),
        HeldRecord("x", EMP.id, KEY, B, date(2025, 12, 31), Cents(5000)),
        HeldRecord("x", EMP.id, KEY, date(2025, 3, 2), None, Cents(5000)),
        HeldRecord("x", EMP.id, 831, B, None, Cents(5000)),
        HeldRecord("x", "emp-2", KEY, B, None, Cents(5000)),
    ):
        assert reconcile([pending], [other]) == [Settlement("i1", Status.ABANDONED)]


def test_owned_ids_follow_the_done_entries() -> None:
    def entry(id_: str, action: Action, record: str | None, status: Status) -> JournalEntry:
        return JournalEntry(id_, action, EMP.id, KEY, record, B, None, Cents(1), frozenset(), NOW, status)

    entries = [
        entry("1", Action.CREATE, "a", Status.DONE),
        entry("2", Action.CREATE, "b", Status.DONE),
        entry("3", Action.DELETE, "b", Status.DONE),
        entry("4", Action.CREATE, None, Status.PENDING),
        entry("5", Action.CREATE, "c", Status.ABANDONED),
        entry("6", Action.UPDATE, "a", Status.DONE),
    ]
    assert owned_ids(entries) == {"a"}


def test_a_foreign_record_is_never_written_and_a_stale_etag_is_refused() -> None:
    loket, journal = FakeLoket([EMP]), MemoryJournal()
    loket.admin_create(EMP.id, KEY, date(2025, 1, 1), None, Cents(2500))
    result = write_component(PLAN, loket, journal, now=clock)
    assert result.writes == 0
    assert len(result.changes.conflicts) == 1
    assert [w.by_platform for w in loket.writes] == [False]
    # our own record, changed by the administrator between our read and our write: Loket refuses (409)
    loket2, journal2 = FakeLoket([EMP]), MemoryJournal()
    write_component(plan_of((B, None, 5000)), loket2, journal2, now=clock)
    (mine,) = loket2.records(EMP.id, KEY)
    loket2.admin_update(mine.id, B, None, Cents(5100))
    with pytest.raises(Refused) as refused:
        loket2.update(mine.id, B, date(2025, 5, 31), Cents(5000), if_match=mine.etag)
    assert refused.value.status == 409


def test_the_preview_changes_are_what_the_run_does() -> None:
    loket, journal = FakeLoket([EMP], duplicates="refuse"), MemoryJournal()
    with pytest.raises(Crash):
        write_component(PLAN, CrashingLoket(loket, 1, "after"), journal, now=clock)
    planned = changes_for(PLAN, loket, journal)
    assert len(journal.all) == 1  # the preview settled nothing in the store
    done = write_component(PLAN, loket, journal, now=clock)
    assert done.changes.operations == planned.operations
    assert len(planned.operations) == 1  # the first record was adopted, only the second is left
