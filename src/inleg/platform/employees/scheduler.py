"""The schedule: every active connection syncs hourly (in full once a day), enqueued by a thread of the worker."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inleg.platform import schedule
from inleg.platform.employees.models import SyncRun
from inleg.platform.employees.runs import request_sync
from inleg.platform.integrations.models import LoketConnection, State


def enqueue_due_syncs(now: datetime | None = None) -> list[SyncRun]:
    """Every active connection whose next sync is due gets one (full once a day)."""
    now = now or timezone.now()
    started: list[SyncRun] = []
    due = LoketConnection.objects.filter(state=State.ACTIVE, next_sync_at__lte=now).values_list("pk", "next_sync_at")
    for pk, when in list(due):
        with transaction.atomic():
            # Conditional update: when two schedulers see the same due connection, only one wins.
            claimed = LoketConnection.objects.filter(pk=pk, next_sync_at=when).update(
                next_sync_at=now + timedelta(seconds=settings.SYNC_INTERVAL_S)
            )
            if not claimed:
                continue
            loket = LoketConnection.objects.select_related("company").get(pk=pk)
            full_due = loket.last_full_sync_at is None or loket.last_full_sync_at <= now - timedelta(
                seconds=settings.FULL_SYNC_INTERVAL_S
            )
            kind = SyncRun.Kind.FULL if full_due or loket.last_version is None else SyncRun.Kind.INCREMENTAL
            started.append(request_sync(loket.company, kind, SyncRun.Trigger.SCHEDULE))
    return started


def start(interval_s: float, stop: threading.Event) -> threading.Thread:
    return schedule.start("sync-scheduler", enqueue_due_syncs, interval_s, stop)
