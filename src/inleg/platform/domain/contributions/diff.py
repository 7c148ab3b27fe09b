"""The diff: the fewest writes that make Loket hold a component's plan, and what must not be written.

Input: the plan of one employment and component, the records Loket holds on that component (records of other
components are never looked at), and which of them the platform created ("owned", from the write journal).

Rules, in order:

1. Records that end before the plan's window (``window_start``) lie in periods the payroll has run: they are
   history and are never changed.
2. A record the platform did not create is never changed or deleted. Where it overlaps a segment of the plan,
   that is a conflict: reported (the payroll administrator resolves it in Loket), and that segment is not
   written. Nor is anything that overlaps the segment: an owned record overlapping a held-back segment is left
   as it is, and so is a segment overlapping such a record, and so on. What is held back is a run of
   connected days; everything else in the window is written. So no write can ever overlap a record that is
   not ours, and Loket never closes a foreign open record because of our POST (it closes an open record that
   starts before a new one).
3. An owned record that starts before the window and runs into it keeps its start and value (the payroll has
   paid them): only its end date changes. If the plan's first segment starts on the window's first day with
   the same value, the record is extended or shortened to that segment's end (one record, no split); otherwise
   it is ended the day before the window, and the segment is created anew.
4. Owned records in the window are matched to segments by start date: same start, then one PUT sets the end
   and value (none if they are equal already). An owned record without a segment of its start is deleted; a
   segment without a record is created.

So when Loket holds the plan, there are no operations. The operations come in an order in which no
intermediate state overlaps: deletes, then the updates that shorten a record, then the updates that lengthen
one and the creates, by date.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from inleg.platform.domain.contributions.intervals import overlaps
from inleg.platform.domain.contributions.plan import ComponentPlan, Segment
from inleg.platform.domain.money import Cents

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class HeldRecord:
    """A fixed value Loket holds (benefits and deductions), with its ``ETag`` for ``If-Match`` if read."""

    id: str
    employment_id: str
    component_key: int
    start: date
    end: date | None
    value: Cents
    etag: str | None = None

    def same_values(self, start: date, end: date | None, value: Cents) -> bool:
        return (self.start, self.end, self.value) == (start, end, value)


@dataclass(frozen=True, slots=True)
class Create:
    """POST a new record."""

    employment_id: str
    component_key: int
    start: date
    end: date | None
    value: Cents


@dataclass(frozen=True, slots=True)
class Update:
    """PUT an owned record to new values, with ``If-Match`` the ETag it was read with."""

    record: HeldRecord
    start: date
    end: date | None
    value: Cents

    @property
    def if_match(self) -> str | None:
        return self.record.etag


@dataclass(frozen=True, slots=True)
class Delete:
    """DELETE an owned record."""

    record: HeldRecord

    @property
    def if_match(self) -> str | None:
        return self.record.etag


Operation = Create | Update | Delete


class WhoMustAct(StrEnum):
    WERKGEVER = "werkgever"
    SALARISADMINISTRATEUR = "salarisadministrateur"
    PLATFORM = "platform"  # us: Pensify


@dataclass(frozen=True, slots=True)
class Conflict:
    """A record the platform did not create overlaps the plan: it is left alone, and the overlapping segments
    are not written until the payroll administrator removes or ends it in Loket."""

    record: HeldRecord
    segments: tuple[Segment, ...]
    who: WhoMustAct = WhoMustAct.SALARISADMINISTRATEUR


class Problem(StrEnum):
    SALARY_UNKNOWN = "salaris onbekend"
    RECORD_OUTSIDE_EMPLOYMENT = "waarde buiten het dienstverband"


@dataclass(frozen=True, slots=True)
class Attention:
    """Something that keeps the plan from being written and is not a foreign record."""

    problem: Problem
    who: WhoMustAct
    record: HeldRecord | None = None
    periods: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Changes:
    plan: ComponentPlan
    operations: tuple[Operation, ...]
    conflicts: tuple[Conflict, ...] = ()
    attention: tuple[Attention, ...] = ()

    @property
    def holds_plan(self) -> bool:
        """Loket holds the plan: nothing to write, nothing held back."""
        return not (self.operations or self.conflicts or self.attention)


def _ends_before(a: date | None, b: date | None) -> bool:
    """End date ``a`` lies before ``b`` (None: open, the latest)."""
    return a is not None and (b is None or a < b)


def _sort_key(op: Operation) -> date:
    return op.start if isinstance(op, Create | Update) else op.record.start


def diff(plan: ComponentPlan, held: Sequence[HeldRecord], owned: Collection[str]) -> Changes:
    employment = plan.employment
    if plan.blocked is not None:
        return Changes(
            plan,
            (),
            attention=(
                Attention(
                    Problem.SALARY_UNKNOWN,
                    WhoMustAct.SALARISADMINISTRATEUR,
                    periods=tuple(str(p) for p in plan.blocked.periods),
                ),
            ),
        )
    window_start = plan.window_start
    in_window = [
        r
        for r in held
        if r.employment_id == employment.id
        and r.component_key == plan.component_key
        and (r.end is None or r.end >= window_start)
    ]
    foreign = [r for r in in_window if r.id not in owned]
    ours = [r for r in in_window if r.id in owned]
    segments = list(plan.segments)

    conflicts: list[Conflict] = []
    held_back: set[int] = set()  # indexes of segments not written
    for record in sorted(foreign, key=lambda r: r.start):
        hit = [i for i, s in enumerate(segments) if s.overlaps(record.start, record.end)]
        if hit:
            conflicts.append(Conflict(record, tuple(segments[i] for i in hit)))
            held_back.update(hit)
    # An owned record that runs into the window from a start outside the employment (the employment was changed
    # in Loket after the record was made) cannot be written at all: Loket refuses a write of a record whose start
    # lies outside the employment, and deleting it would rewrite the payroll's past. It stays, and what it is in
    # the way of is held back, like a foreign record.
    stuck = [
        r for r in ours if r.start < window_start and not overlaps(employment.start, employment.end, r.start, r.start)
    ]
    frozen: set[str] = {r.id for r in stuck}  # ids of owned records left as they are
    grew = True
    while grew:
        grew = False
        for record in ours:
            if record.id not in frozen and any(segments[i].overlaps(record.start, record.end) for i in held_back):
                frozen.add(record.id)
                grew = True
        for i, segment in enumerate(segments):
            if i not in held_back and any(segment.overlaps(r.start, r.end) for r in ours if r.id in frozen):
                held_back.add(i)
                grew = True

    writable = {s.start: s for i, s in enumerate(segments) if i not in held_back}
    matched: set[date] = set()
    deletes: list[Operation] = []
    shorter: list[Operation] = []
    longer: list[Operation] = []
    attention: list[Attention] = []
    first = segments[0] if segments and segments[0].start == window_start else None
    for record in stuck:
        wanted_end = first.end if first is not None and first.value == record.value else window_start - ONE_DAY
        if record.end != wanted_end:
            attention.append(Attention(Problem.RECORD_OUTSIDE_EMPLOYMENT, WhoMustAct.SALARISADMINISTRATEUR, record))
    for record in sorted((r for r in ours if r.id not in frozen), key=lambda r: r.start):
        if record.start < window_start:
            same_start = writable.get(window_start)
            if same_start is not None and same_start.value == record.value:
                matched.add(window_start)
                start, end, value = record.start, same_start.end, record.value
            else:
                start, end, value = record.start, window_start - ONE_DAY, record.value
        else:
            same_start = writable.get(record.start)
            if same_start is None:
                deletes.append(Delete(record))
                continue
            matched.add(same_start.start)
            start, end, value = same_start.start, same_start.end, same_start.value
        if record.same_values(start, end, value):
            continue
        update = Update(record, start, end, value)
        (shorter if _ends_before(end, record.end) else longer).append(update)
    creates: list[Operation] = [
        Create(employment.id, plan.component_key, s.start, s.end, s.value)
        for start, s in writable.items()
        if start not in matched
    ]
    operations = (*deletes, *shorter, *sorted((*longer, *creates), key=_sort_key))
    return Changes(plan, operations, tuple(conflicts), tuple(attention))
