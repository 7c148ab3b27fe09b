"""An in-memory Loket holding benefits and deductions with the sandbox's chain rules, and an in-memory journal.

The rules are those of src/inleg/sandbox/api/views.py (create_benefit, update_benefit, delete_benefit) and
src/inleg/sandbox/api/chains.py, read, not imported (the platform's tests do not import the sandbox):

- a record's start lies within its employment; its end is not before its start;
- POST: an identical record (start, end, value) on the component is answered with that record (the sandbox's
  choice; real Loket promises nothing, so ``duplicates="refuse"`` treats it as the overlap it is); otherwise
  an open record that starts before the new one is closed the day before it; any other overlap is refused;
- PUT: a stale ``If-Match`` is refused (409); the new dates must not overlap any other record of the component
  (no automatic closing);
- DELETE: a stale ``If-Match`` is refused (409);
- every write gives the record a new version; the ETag is ``"<version>"``.

``FakeLoket`` implements the ``LoketWrites`` protocol the real writer implements. ``admin_*`` are writes by
someone else (the payroll administrator in Loket): the same rules, recorded as not the platform's.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from inleg.platform.domain.contributions import (
    Employment,
    HeldRecord,
    JournalEntry,
    LoketWrites,
    Settlement,
)
from inleg.platform.domain.contributions.journal import settled
from inleg.platform.domain.money import Cents


class Refused(Exception):
    """Loket answered 4xx."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


@dataclass(frozen=True)
class Stored:
    id: str
    employment_id: str
    component_key: int
    start: date
    end: date | None
    value: Cents
    version: int

    def held(self) -> HeldRecord:
        return HeldRecord(
            self.id, self.employment_id, self.component_key, self.start, self.end, self.value, f'"{self.version}"'
        )


@dataclass(frozen=True)
class Write:
    method: Literal["POST", "PUT", "DELETE"]
    record_id: str
    by_platform: bool
    values: tuple[date, date | None, Cents] | None  # what was written (None for DELETE)


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


class FakeLoket:
    def __init__(self, employments: list[Employment], duplicates: Literal["sandbox", "refuse"] = "sandbox") -> None:
        self.employments = {e.id: e for e in employments}
        self.store: dict[str, Stored] = {}
        self.duplicates = duplicates
        self.writes: list[Write] = []
        self.made_by_platform: set[str] = set()
        self.repeated_posts = 0  # POSTs by the platform of a record the chain already holds
        self.changed_by_others: set[str] = set()  # records of the platform that someone else changed
        self._ids = itertools.count(1)
        self._versions = itertools.count(1)

    # ---- reading ---------------------------------------------------------------------------------------------
    def records(self, employment_id: str, component_key: int) -> list[HeldRecord]:
        found = [
            r for r in self.store.values() if r.employment_id == employment_id and r.component_key == component_key
        ]
        return [r.held() for r in sorted(found, key=lambda r: r.start)]

    def snapshot(self) -> dict[str, tuple[str, int, date, date | None, Cents]]:
        return {r.id: (r.employment_id, r.component_key, r.start, r.end, r.value) for r in self.store.values()}

    def chain(self, employment_id: str, component_key: int) -> list[Stored]:
        return [r for r in self.store.values() if r.employment_id == employment_id and r.component_key == component_key]

    # ---- the rules -------------------------------------------------------------------------------------------
    def _check_dates(self, employment_id: str, start: date, end: date | None) -> None:
        employment = self.employments.get(employment_id)
        if employment is None:
            raise Refused(404, f"employment {employment_id}")
        if end is not None and end < start:
            raise Refused(400, f"endDate: {end} lies before startDate {start}.")
        if start < employment.start:
            raise Refused(400, f"startDate: {start} lies before the start of the employment ({employment.start}).")
        if employment.end and start > employment.end:
            raise Refused(400, f"startDate: {start} lies after the end of the employment ({employment.end}).")

    @staticmethod
    def _check_if_match(record: Stored, if_match: str | None) -> None:
        if if_match is not None and if_match != f'"{record.version}"':
            raise Refused(409, f"If-Match: {if_match} is stale; the record is now at {record.version}.")

    def _create(
        self, by_platform: bool, employment_id: str, key: int, start: date, end: date | None, value: Cents
    ) -> HeldRecord:
        self._check_dates(employment_id, start, end)
        chain = self.chain(employment_id, key)
        if by_platform and any((r.start, r.end, r.value) == (start, end, value) for r in chain):
            self.repeated_posts += 1
        if self.duplicates == "sandbox":
            for record in chain:
                if (record.start, record.end, record.value) == (start, end, value):
                    return record.held()
        to_close: Stored | None = None
        for record in chain:
            if record.end is None and record.start < start:
                to_close = record
                continue
            if _overlaps(start, end, record.start, record.end):
                raise Refused(400, f"The period {start}..{end} overlaps the existing record {record.id}.")
        if to_close is not None:
            if not by_platform and to_close.id in self.made_by_platform:
                self.changed_by_others.add(to_close.id)
            self.store[to_close.id] = replace(to_close, end=start - timedelta(days=1), version=next(self._versions))
        record = Stored(f"rec-{next(self._ids)}", employment_id, key, start, end, value, next(self._versions))
        self.store[record.id] = record
        self.writes.append(Write("POST", record.id, by_platform, (start, end, value)))
        if by_platform:
            self.made_by_platform.add(record.id)
        return record.held()

    def _update(
        self, by_platform: bool, record_id: str, start: date, end: date | None, value: Cents, if_match: str | None
    ) -> HeldRecord:
        record = self.store.get(record_id)
        if record is None:
            raise Refused(404, f"record {record_id}")
        self._check_dates(record.employment_id, start, end)
        self._check_if_match(record, if_match)
        for other in self.chain(record.employment_id, record.component_key):
            if other.id != record_id and _overlaps(start, end, other.start, other.end):
                raise Refused(400, f"The period {start}..{end} overlaps the existing record {other.id}.")
        if not by_platform and record_id in self.made_by_platform:
            self.changed_by_others.add(record_id)
        changed = replace(record, start=start, end=end, value=value, version=next(self._versions))
        self.store[record_id] = changed
        self.writes.append(Write("PUT", record_id, by_platform, (start, end, value)))
        return changed.held()

    def _delete(self, by_platform: bool, record_id: str, if_match: str | None) -> None:
        record = self.store.get(record_id)
        if record is None:
            raise Refused(404, f"record {record_id}")
        self._check_if_match(record, if_match)
        del self.store[record_id]
        self.writes.append(Write("DELETE", record_id, by_platform, None))

    # ---- LoketWrites -----------------------------------------------------------------------------------------
    def create(self, employment_id: str, component_key: int, start: date, end: date | None, value: Cents) -> HeldRecord:
        return self._create(True, employment_id, component_key, start, end, value)

    def update(
        self, record_id: str, start: date, end: date | None, value: Cents, *, if_match: str | None
    ) -> HeldRecord:
        return self._update(True, record_id, start, end, value, if_match)

    def delete(self, record_id: str, *, if_match: str | None) -> None:
        self._delete(True, record_id, if_match)

    # ---- someone else, in Loket ------------------------------------------------------------------------------
    def admin_create(self, employment_id: str, key: int, start: date, end: date | None, value: Cents) -> HeldRecord:
        return self._create(False, employment_id, key, start, end, value)

    def admin_update(self, record_id: str, start: date, end: date | None, value: Cents) -> HeldRecord:
        return self._update(False, record_id, start, end, value, None)

    def admin_delete(self, record_id: str) -> None:
        self._delete(False, record_id, None)


class MemoryJournal:
    """The ``JournalStore`` in memory: a list of entries, settled in place."""

    def __init__(self) -> None:
        self.all: list[JournalEntry] = []

    def entries(self, employment_id: str, component_key: int) -> list[JournalEntry]:
        return [e for e in self.all if e.employment_id == employment_id and e.component_key == component_key]

    def intend(self, entry: JournalEntry) -> None:
        self.all.append(entry)

    def settle(self, settlement: Settlement) -> None:
        self.all = settled(self.all, [settlement])


class Crash(Exception):
    """The process died here."""


class CrashingLoket:
    """Delegates to a ``LoketWrites`` (the fake, or the sandbox through the client) and dies at the ``at``-th
    write call, counting from 1: ``before`` the call reaches Loket, or ``after`` Loket made it and before the
    answer was recorded."""

    def __init__(self, loket: LoketWrites, at: int, when: Literal["before", "after"]) -> None:
        self.loket, self.at, self.when, self.calls = loket, at, when, 0

    def records(self, employment_id: str, component_key: int) -> Sequence[HeldRecord]:
        return self.loket.records(employment_id, component_key)

    def _step(self) -> bool:
        self.calls += 1
        if self.calls == self.at and self.when == "before":
            raise Crash(f"before write {self.at}")
        return self.calls == self.at

    def create(self, employment_id: str, component_key: int, start: date, end: date | None, value: Cents) -> HeldRecord:
        crash = self._step()
        made = self.loket.create(employment_id, component_key, start, end, value)
        if crash:
            raise Crash(f"after write {self.at}")
        return made

    def update(
        self, record_id: str, start: date, end: date | None, value: Cents, *, if_match: str | None
    ) -> HeldRecord:
        crash = self._step()
        made = self.loket.update(record_id, start, end, value, if_match=if_match)
        if crash:
            raise Crash(f"after write {self.at}")
        return made

    def delete(self, record_id: str, *, if_match: str | None) -> None:
        crash = self._step()
        self.loket.delete(record_id, if_match=if_match)
        if crash:
            raise Crash(f"after write {self.at}")
