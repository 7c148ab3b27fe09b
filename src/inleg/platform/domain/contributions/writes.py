"""Writing a plan into Loket: read, reconcile the journal, diff, and for each operation record the intent,
call Loket, settle the intent.

Loket and the journal's storage are behind two small protocols, so the same loop runs against the real
client (over HTTP), the sandbox, or an in-memory fake in the tests. A failing call (Loket refuses, the
connection drops, the process dies) leaves its intent pending and ends the run: the next run reconciles the
intent with what Loket holds and goes on from there. Running again with nothing changed writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from inleg.platform.domain.contributions.diff import Changes, Create, Delete, HeldRecord, Operation, Update, diff
from inleg.platform.domain.contributions.journal import (
    JournalEntry,
    Settlement,
    Status,
    intent_for,
    owned_ids,
    reconcile,
    settled,
)
from inleg.platform.domain.contributions.plan import ComponentPlan
from inleg.platform.domain.money import Cents


class LoketWrites(Protocol):
    """Loket's benefits and deductions of one employment and component, as the writer needs them.

    ``records`` returns only the records of that component, each with its ``ETag`` if the implementation reads
    it (Loket gives ETags on the detail GET, not in the list). ``create`` returns the new record; ``update``
    and ``delete`` send ``If-Match`` when given one. Each raises on a refusal; the loop does not catch it.
    """

    def records(self, employment_id: str, component_key: int) -> Sequence[HeldRecord]: ...

    def create(
        self, employment_id: str, component_key: int, start: date, end: date | None, value: Cents
    ) -> HeldRecord: ...

    def update(
        self, record_id: str, start: date, end: date | None, value: Cents, *, if_match: str | None
    ) -> HeldRecord: ...

    def delete(self, record_id: str, *, if_match: str | None) -> None: ...


class JournalStore(Protocol):
    """Where the journal lives. ``intend`` and ``settle`` must be durable when they return (a committed row)."""

    def entries(self, employment_id: str, component_key: int) -> Sequence[JournalEntry]: ...

    def intend(self, entry: JournalEntry) -> None: ...

    def settle(self, settlement: Settlement) -> None: ...


@dataclass(frozen=True, slots=True)
class RunResult:
    changes: Changes  # what the diff found (its operations were all made, in order)
    settled: tuple[Settlement, ...]  # pending intents of an earlier run, settled at the start of this one

    @property
    def writes(self) -> int:
        return len(self.changes.operations)


def _send(loket: LoketWrites, operation: Operation) -> str:
    """Make the call; the id of the record it wrote."""
    if isinstance(operation, Create):
        made = loket.create(
            operation.employment_id, operation.component_key, operation.start, operation.end, operation.value
        )
        return made.id
    if isinstance(operation, Update):
        loket.update(operation.record.id, operation.start, operation.end, operation.value, if_match=operation.if_match)
        return operation.record.id
    assert isinstance(operation, Delete)
    loket.delete(operation.record.id, if_match=operation.if_match)
    return operation.record.id


def changes_for(plan: ComponentPlan, loket: LoketWrites, journal: JournalStore) -> Changes:
    """What a run would write now, without writing (the preview): pending intents are reconciled in memory."""
    held = loket.records(plan.employment.id, plan.component_key)
    entries = journal.entries(plan.employment.id, plan.component_key)
    owned = owned_ids(settled(entries, reconcile(entries, held)))
    return diff(plan, held, owned)


def write_component(
    plan: ComponentPlan,
    loket: LoketWrites,
    journal: JournalStore,
    *,
    now: Callable[[], datetime],
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
) -> RunResult:
    """Make Loket hold ``plan`` for its employment and component."""
    employment_id, key = plan.employment.id, plan.component_key
    held = loket.records(employment_id, key)
    entries = journal.entries(employment_id, key)
    settlements = reconcile(entries, held)
    for settlement in settlements:
        journal.settle(settlement)
    owned = owned_ids(settled(entries, settlements))
    changes = diff(plan, held, owned)
    seen = {r.id for r in held}
    for operation in changes.operations:
        entry = intent_for(operation, new_id(), seen, now())
        journal.intend(entry)
        record_id = _send(loket, operation)
        journal.settle(Settlement(entry.id, Status.DONE, record_id))
        seen.add(record_id)
    return RunResult(changes, tuple(settlements))
