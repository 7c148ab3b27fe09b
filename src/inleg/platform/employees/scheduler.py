"""The schedule: every active connection syncs hourly (in full once a day), enqueued by a thread of the worker."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from inleg.platform.employees.models import SyncRun
from inleg.platform.employees.runs import request_sync
from inleg.platform.integrations.models import LoketConnection, State

log = logging.getLogger("inleg.platform.scheduler")


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


def tick() -> int:
    try:
        return len(enqueue_due_syncs())
    finally:
        close_old_connections()


def start(interval_s: float, stop: threading.Event) -> threading.Thread:
    def loop() -> None:
        while not stop.is_set():
            try:
                started = tick()
                if started:
                    log.info("scheduler: %s sync(s) enqueued", started)
            except Exception:  # the schedule must survive a bad moment of the database
                log.exception("scheduler tick failed")
            stop.wait(interval_s)
        connection.close()

    thread = threading.Thread(target=loop, name="sync-scheduler", daemon=True)
    thread.start()
    return thread
