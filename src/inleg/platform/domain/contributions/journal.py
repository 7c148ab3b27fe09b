"""The write journal: each write to Loket is recorded as an intent before the call and settled after it.

A crash can come at any point: before the call (the intent is pending, Loket has nothing), or after Loket
answered and before the answer was recorded (the intent is pending, Loket has the write). The next run first
reconciles the pending intents with what Loket holds, then diffs; so it ends in the plan without a duplicate.

Loket makes no promise to answer a repeated POST with the record it already made, so the journal does not
repeat calls. It recognises the record a pending create made instead: same employment, component, start,
end and value, and not one of the records that were there when the intent was recorded (``seen``). Such a
record is adopted as owned. An update or delete needs no adoption: whether it was applied or not, the diff
reads Loket again and does what is still missing.

An intent is a plain value; storing it (a table, a file) is the ``JournalStore``'s business (writes.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from inleg.platform.domain.contributions.diff import Create, Delete, HeldRecord, Operation, Update
from inleg.platform.domain.money import Cents


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Status(StrEnum):
    PENDING = "pending"  # recorded before the call; the call's outcome is not known
    DONE = "done"  # the call was made and its outcome recorded (or found in Loket afterwards)
    ABANDONED = "abandoned"  # the call never reached Loket (or its effect is gone); nothing to remember


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: str
    action: Action
    employment_id: str
    component_key: int
    record_id: str | None  # None for a create until Loket gave the new record's id
    start: date | None  # the values written (None for a delete)
    end: date | None
    value: Cents | None
    seen: frozenset[str]  # the ids of the records on the component when the intent was recorded
    made_at: datetime
    status: Status = Status.PENDING


@dataclass(frozen=True, slots=True)
class Settlement:
    """How a pending intent ended; ``adopted``: a create whose answer was lost, found in Loket afterwards."""

    entry_id: str
    status: Status
    record_id: str | None = None
    adopted: bool = False


def intent_for(operation: Operation, entry_id: str, seen: Iterable[str], made_at: datetime) -> JournalEntry:
    """The pending entry to record before ``operation`` is sent."""
    if isinstance(operation, Create):
        return JournalEntry(
            entry_id,
            Action.CREATE,
            operation.employment_id,
            operation.component_key,
            None,
            operation.start,
            operation.end,
            operation.value,
            frozenset(seen),
            made_at,
        )
    record = operation.record
    if isinstance(operation, Update):
        return JournalEntry(
            entry_id,
            Action.UPDATE,
            record.employment_id,
            record.component_key,
            record.id,
            operation.start,
            operation.end,
            operation.value,
            frozenset(seen),
            made_at,
        )
    assert isinstance(operation, Delete)
    return JournalEntry(
        entry_id,
        Action.DELETE,
        record.employment_id,
        record.component_key,
        record.id,
        None,
        None,
        None,
        frozenset(seen),
        made_at,
    )


def owned_ids(entries: Iterable[JournalEntry]) -> frozenset[str]:
    """The records the platform created and has not deleted, by the entries that are done."""
    created: set[str] = set()
    deleted: set[str] = set()
    for entry in entries:
        if entry.status is not Status.DONE or entry.record_id is None:
            continue
        if entry.action is Action.CREATE:
            created.add(entry.record_id)
        elif entry.action is Action.DELETE:
            deleted.add(entry.record_id)
    return frozenset(created - deleted)


def settled(entries: Iterable[JournalEntry], settlements: Iterable[Settlement]) -> list[JournalEntry]:
    """``entries`` with ``settlements`` applied (what the store holds after settling them)."""
    by_id = {s.entry_id: s for s in settlements}
    result: list[JournalEntry] = []
    for entry in entries:
        s = by_id.get(entry.id)
        if s is None:
            result.append(entry)
            continue
        result.append(
            JournalEntry(
                entry.id,
                entry.action,
                entry.employment_id,
                entry.component_key,
                s.record_id if s.record_id is not None else entry.record_id,
                entry.start,
                entry.end,
                entry.value,
                entry.seen,
                entry.made_at,
                s.status,
            )
        )
    return result


def reconcile(entries: Sequence[JournalEntry], held: Sequence[HeldRecord]) -> list[Settlement]:
    """Settle every pending intent against what Loket holds now (pure: the caller stores the settlements)."""
    owned = set(owned_ids(entries))
    settlements: list[Settlement] = []
    for entry in entries:
        if entry.status is not Status.PENDING:
            continue
        on_component = [
            r for r in held if r.employment_id == entry.employment_id and r.component_key == entry.component_key
        ]
        if entry.action is Action.CREATE:
            assert entry.start is not None
            assert entry.value is not None
            made = [
                r
                for r in on_component
                if r.same_values(entry.start, entry.end, entry.value) and r.id not in entry.seen and r.id not in owned
            ]
            if made:
                # Loket's chain allows one record with these dates at most, so there is at most one candidate.
                owned.add(made[0].id)
                settlements.append(Settlement(entry.id, Status.DONE, made[0].id, adopted=True))
            else:
                settlements.append(Settlement(entry.id, Status.ABANDONED))
        elif entry.action is Action.UPDATE:
            assert entry.start is not None
            assert entry.value is not None
            applied = any(r.id == entry.record_id and r.same_values(entry.start, entry.end, entry.value) for r in held)
            settlements.append(Settlement(entry.id, Status.DONE if applied else Status.ABANDONED, entry.record_id))
        else:
            gone = all(r.id != entry.record_id for r in held)
            settlements.append(Settlement(entry.id, Status.DONE if gone else Status.ABANDONED, entry.record_id))
            if gone and entry.record_id is not None:
                owned.discard(entry.record_id)
    return settlements
