"""Writing the plans of many employments at once, with Loket's collective operations (ADR 0005, "In bulk").

The per-employment loop (writes.py) reads each component's chain and makes one call per write: for a payroll
bureau's thousands of employments that is tens of thousands of calls. Loket has three calls for many
employments of one employer: the employer-wide list of the records valid on a reference date, a collective
create (employment, component, start, value: no end date) and a collective end date. This module uses them
where they see and do all that is needed, and hands every other component to the per-employment loop:

- The reference date is the plan's window start (the same for every employment of a run). The employer-wide
  list shows every record that covers that day, and nothing that starts later or ended before. So a component
  is written here only when nothing it needs lies later: its plan has no segment starting after the window's
  first day, and the journal knows no record of ours starting later, nor an intent it cannot settle from that
  view (a pending update or delete). Everything else goes to the per-employment loop, which reads the chain.
- What the list cannot show is a record someone else put on the component that starts after the window's
  first day. Such a record is never overwritten: Loket refuses a create or end date that would overlap it, and
  a refused item goes to the per-employment loop, which reads the chain, finds the record and reports the
  conflict. A foreign record that the plan does not overlap is not a conflict in either path.
- The diff is the domain's diff on that view. Only two kinds of operation are made collectively: a create
  starting on the window's first day, and an end date of a record that keeps its start and value. A conflict,
  a delete, or an update of a value or to an open end goes to the per-employment loop (single calls with
  ``If-Match``), as does every item Loket refused.
- The journal works as in the loop: every intent is recorded (all of a batch in one transaction) before the
  collective call. A collective create names no record, so its intents are settled by reading the list back
  and adopting exactly matching new records, as after a crash; a crash anywhere leaves pending intents that
  the next run settles the same way. A create with an end date is a create (open) and, once its record is
  known, an end date: two intents, each settled on its own.
- Loket processes a collective action synchronously or later (``status``). Only a completed action is settled;
  otherwise the run stops, and its intents stay pending until a later run reads Loket again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from inleg.platform.domain.contributions.diff import Changes, Create, HeldRecord, Operation, Update, diff
from inleg.platform.domain.contributions.errors import ContributionError
from inleg.platform.domain.contributions.journal import (
    Action,
    JournalEntry,
    Settlement,
    Status,
    intent_for,
    owned_ids,
    reconcile,
    settled,
)
from inleg.platform.domain.contributions.plan import ComponentPlan

Pair = tuple[str, int]  # (employment id, component key)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A collective call's answer: the items Loket refused, by the id it names (the employment of a create, the
    record of an end date), with its message; ``completed`` False: Loket has not processed the action yet."""

    refused: Mapping[str, str] = field(default_factory=dict)
    completed: bool = True


class LoketBulk(Protocol):
    """Loket's calls for many employments of one employer (each raises on a refusal of the whole call)."""

    def held_on(self, day: date, component_keys: Collection[int]) -> Sequence[HeldRecord]: ...

    def create_many(self, creates: Sequence[Create]) -> Outcome: ...

    def end_many(self, ends: Sequence[Update]) -> Outcome: ...


class BulkJournal(Protocol):
    """The journal's storage for many components at once; ``intend_many`` and ``settle_many`` are durable
    (committed) when they return, all or nothing."""

    def entries_many(self, pairs: Collection[Pair]) -> Mapping[Pair, Sequence[JournalEntry]]: ...

    def intend_many(self, entries: Sequence[JournalEntry]) -> None: ...

    def settle_many(self, settlements: Sequence[Settlement]) -> None: ...


class NotProcessed(ContributionError):
    """Loket accepted a collective action and has not processed it yet: its intents stay pending."""


@dataclass(frozen=True, slots=True)
class BulkResult:
    written: dict[Pair, Changes]  # written here: what the diff found (all of it made)
    writes: dict[Pair, int]  # calls' items per component (a create with an end date counts once)
    per_employment: list[ComponentPlan]  # for the per-employment loop (``write_component``)
    refused: dict[Pair, str]  # Loket's message for an item it refused (those plans are in ``per_employment``)


def pair_of(plan: ComponentPlan) -> Pair:
    return (plan.employment.id, plan.component_key)


def _owned_starts(entries: Iterable[JournalEntry]) -> dict[str, date | None]:
    starts = {e.record_id: e.start for e in entries if e.action is Action.CREATE and e.record_id is not None}
    return {record_id: starts.get(record_id) for record_id in owned_ids(entries)}


def needs_chain(plan: ComponentPlan, entries: Sequence[JournalEntry], day: date) -> bool:
    """Whether the component needs its whole chain read (the per-employment loop), not only what covers ``day``."""
    if any(s.start != day for s in plan.segments):
        return True
    for entry in entries:
        if entry.status is not Status.PENDING:
            continue
        if entry.action is not Action.CREATE or entry.start is None or entry.start > day:
            return True
        if entry.end is not None and entry.end < day:
            return True
    return any(start is None or start > day for start in _owned_starts(entries).values())


def _collective(operation: Operation, day: date) -> bool:
    if isinstance(operation, Create):
        return operation.start == day
    if isinstance(operation, Update):
        record = operation.record
        return operation.end is not None and (operation.start, operation.value) == (record.start, record.value)
    return False


def _batches[T](items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _by_pair(records: Iterable[HeldRecord]) -> dict[Pair, list[HeldRecord]]:
    grouped: dict[Pair, list[HeldRecord]] = {}
    for record in records:
        grouped.setdefault((record.employment_id, record.component_key), []).append(record)
    return grouped


def write_many(
    plans: Sequence[ComponentPlan],
    loket: LoketBulk,
    journal: BulkJournal,
    *,
    now: Callable[[], datetime],
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    batch: int = 1000,
) -> BulkResult:
    """Make Loket hold the plans of one employer's run; the plans it cannot write here come back in
    ``per_employment`` (the caller writes them with ``write_component``, under the same locks)."""
    if not plans:
        return BulkResult({}, {}, [], {})
    day = plans[0].window_start
    if any(p.window_start != day for p in plans):
        raise ValueError("plans: one run's plans share their window start")
    entries = {pair: list(found) for pair, found in journal.entries_many([pair_of(p) for p in plans]).items()}
    per_employment = [p for p in plans if p.blocked is None and needs_chain(p, entries.get(pair_of(p), []), day)]
    chained = {pair_of(p) for p in per_employment}
    here = [p for p in plans if pair_of(p) not in chained]
    keys = sorted({p.component_key for p in here})
    held = _by_pair(loket.held_on(day, keys)) if here and any(p.blocked is None for p in here) else {}

    # Settle what earlier runs left pending (their collective creates whose answer never came back).
    settlements = []
    for plan in here:
        pair = pair_of(plan)
        found = reconcile(entries.get(pair, []), held.get(pair, []))
        settlements.extend(found)
        entries[pair] = settled(entries.get(pair, []), found)
    if settlements:
        journal.settle_many(settlements)

    written: dict[Pair, Changes] = {}
    ends: list[tuple[Update, JournalEntry]] = []
    creates: list[tuple[Create, JournalEntry, ComponentPlan]] = []
    for plan in here:
        pair = pair_of(plan)
        on_component = held.get(pair, [])
        changes = diff(plan, on_component, owned_ids(entries.get(pair, [])))
        if changes.conflicts or not all(_collective(op, day) for op in changes.operations):
            per_employment.append(plan)
            continue
        written[pair] = changes
        seen = [r.id for r in on_component]
        for operation in changes.operations:
            if isinstance(operation, Update):
                ends.append((operation, intent_for(operation, new_id(), seen, now())))
            else:
                assert isinstance(operation, Create)
                creates.append((operation, intent_for(_opened(operation), new_id(), seen, now()), plan))

    refused: dict[Pair, str] = {}

    def give_up(pair: Pair, reason: str) -> None:
        refused[pair] = reason
        changes = written.pop(pair, None)
        if changes is not None:
            per_employment.append(changes.plan)

    # End dates of records that exist, before the creates (the diff's order: shorten first).
    _end_all(ends, loket, journal, batch, give_up)
    creates = [c for c in creates if pair_of(c[2]) in written]

    # The creates, open; settled by reading back what Loket holds on the window's first day.
    for part in _batches(creates, batch):
        journal.intend_many([entry for _, entry, _ in part])
        outcome = loket.create_many([_opened(op) for op, _, _ in part])
        if not outcome.completed:
            raise NotProcessed("collectiveAction", "", "Loket.nl verwerkt de opdracht nog")
        for op, _, _ in part:
            message = outcome.refused.get(op.employment_id)
            if message is not None:
                give_up((op.employment_id, op.component_key), message)
    later_ends: list[tuple[Update, JournalEntry]] = []
    if creates:
        back = _by_pair(loket.held_on(day, keys))
        made: list[Settlement] = []
        for op, entry, plan in creates:
            pair = pair_of(plan)
            found = reconcile([*entries.get(pair, []), entry], back.get(pair, []))
            made.extend(s for s in found if s.entry_id == entry.id)
            mine = next((s for s in found if s.entry_id == entry.id), None)
            if mine is None or mine.status is not Status.DONE or mine.record_id is None:
                if pair not in refused:
                    give_up(pair, "Loket.nl heeft de waarde niet vastgelegd.")
                continue
            if op.end is not None:
                record = HeldRecord(mine.record_id, op.employment_id, op.component_key, op.start, None, op.value)
                update = Update(record, op.start, op.end, op.value)
                later_ends.append((update, intent_for(update, new_id(), [r.id for r in back.get(pair, [])], now())))
        journal.settle_many(made)
    _end_all(later_ends, loket, journal, batch, give_up)
    writes = {pair: len(changes.operations) for pair, changes in written.items()}
    return BulkResult(written, writes, per_employment, refused)


def _opened(op: Create) -> Create:
    """What the collective create writes: Loket's collective POST has no end date (it is set afterwards)."""
    return Create(op.employment_id, op.component_key, op.start, None, op.value)


def _end_all(
    ends: Sequence[tuple[Update, JournalEntry]],
    loket: LoketBulk,
    journal: BulkJournal,
    batch: int,
    give_up: Callable[[Pair, str], None],
) -> None:
    """Collective end dates: intents first, then the call; an item Loket did not refuse is done (the answer
    names the refused ones), a refused one abandoned and its component handed on."""
    for part in _batches(ends, batch):
        journal.intend_many([entry for _, entry in part])
        outcome = loket.end_many([op for op, _ in part])
        if not outcome.completed:
            raise NotProcessed("collectiveAction", "", "Loket.nl verwerkt de opdracht nog")
        settlements = []
        for op, entry in part:
            message = outcome.refused.get(op.record.id)
            if message is None:
                settlements.append(Settlement(entry.id, Status.DONE, op.record.id))
            else:
                settlements.append(Settlement(entry.id, Status.ABANDONED, op.record.id))
                give_up((op.record.employment_id, op.record.component_key), message)
        journal.settle_many(settlements)
