"""The database side of writing many employments at once (the domain's ``write_many``): the journal of many
components in few queries, and the write leases of a whole chunk taken and given back together.

Each ``intend_many`` and ``settle_many`` commits on its own (``durable``): all intents of a collective call are
stored before the call, in one transaction, so a crash leaves either none or all of them pending.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inleg.platform.accounts.models import Company
from inleg.platform.contributions.models import JournalEntry, WriteLock
from inleg.platform.domain import contributions as domain
from inleg.platform.domain.contributions.bulk import Pair

IN_BATCH = 500  # ids per IN (...) list: well under SQLite's limit on query parameters


def _slices[T](items: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class DbBulkJournal:
    """The ``BulkJournal`` in the database (the same rows as ``services.DbJournal``)."""

    def __init__(self, company: Company) -> None:
        self.company = company

    def entries_many(self, pairs: Collection[Pair]) -> dict[Pair, list[domain.JournalEntry]]:
        wanted = set(pairs)
        employments = sorted({e for e, _ in wanted})
        keys = sorted({k for _, k in wanted})
        found: dict[Pair, list[domain.JournalEntry]] = {pair: [] for pair in wanted}
        for part in _slices(employments):
            rows = JournalEntry.objects.filter(
                company=self.company, employment_id__in=part, component_key__in=keys
            ).order_by("made_at", "pk")
            for row in rows:
                pair = (row.employment_id, row.component_key)
                if pair in found:
                    found[pair].append(row.to_domain())
        return found

    def intend_many(self, entries: Sequence[domain.JournalEntry]) -> None:
        rows = [
            JournalEntry(
                company=self.company,
                entry_id=e.id,
                action=e.action.value,
                employment_id=e.employment_id,
                component_key=e.component_key,
                record_id=e.record_id,
                start=e.start,
                end=e.end,
                value_cents=e.value.value if e.value is not None else None,
                seen=sorted(e.seen),
                made_at=e.made_at,
                status=e.status.value,
            )
            for e in entries
        ]
        with transaction.atomic(durable=True):
            JournalEntry.objects.bulk_create(rows, batch_size=IN_BATCH)

    def settle_many(self, settlements: Sequence[domain.Settlement]) -> None:
        if not settlements:
            return
        by_id = {s.entry_id: s for s in settlements}
        now = timezone.now()
        with transaction.atomic(durable=True):
            rows: list[JournalEntry] = []
            for part in _slices(sorted(by_id)):
                rows.extend(JournalEntry.objects.filter(company=self.company, entry_id__in=part))
            for row in rows:
                s = by_id[row.entry_id]
                row.status, row.adopted, row.settled_at = s.status.value, s.adopted, now
                if s.record_id is not None:
                    row.record_id = s.record_id
            JournalEntry.objects.bulk_update(
                rows, ["status", "adopted", "settled_at", "record_id"], batch_size=IN_BATCH
            )


def take_leases(pairs: Iterable[Pair], holder: str, lease: timedelta) -> set[Pair]:
    """Take the write lease of every pair that is free (or expired, or ours already); the pairs taken.

    No waiting: a pair another worker holds is left to the per-component lock (``services.take_lock``), which
    waits for it.
    """
    wanted = set(pairs)
    if not wanted:
        return set()
    now = timezone.now()
    free = Q(holder="") | Q(held_until__lt=now) | Q(holder=holder)
    by_key: dict[int, list[str]] = {}
    for employment_id, key in wanted:
        by_key.setdefault(key, []).append(employment_id)
    taken: set[Pair] = set()
    for key, employment_ids in by_key.items():
        for part in _slices(sorted(employment_ids)):
            leased = WriteLock.objects.filter(free, component_key=key, employment_id__in=part)
            if leased.update(holder=holder, held_until=now + lease) == len(part):
                taken.update((e, key) for e in part)  # every row existed and was free: all ours, nothing to ask
                continue
            # Rows not made yet (a component written for the first time) are made, then taken the same way; a row
            # another worker holds stays theirs.
            WriteLock.objects.bulk_create(
                [WriteLock(employment_id=e, component_key=key) for e in part],
                batch_size=IN_BATCH,
                ignore_conflicts=True,
            )
            leased.update(holder=holder, held_until=now + lease)
            mine = WriteLock.objects.filter(holder=holder, component_key=key, employment_id__in=part)
            taken.update((e, key) for e in mine.values_list("employment_id", flat=True))
    return taken & wanted


def release_leases(pairs: Iterable[Pair], holder: str) -> None:
    by_key: dict[int, list[str]] = {}
    for employment_id, key in pairs:
        by_key.setdefault(key, []).append(employment_id)
    for key, employment_ids in by_key.items():
        for part in _slices(sorted(employment_ids)):
            WriteLock.objects.filter(holder=holder, component_key=key, employment_id__in=part).update(
                holder="", held_until=None
            )
