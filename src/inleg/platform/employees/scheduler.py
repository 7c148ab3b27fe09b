"""The hourly schedule: a thread of the worker process that enqueues due syncs (see sync.enqueue_due_syncs)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection

from inleg.platform.employees.sync import enqueue_due_syncs

log = logging.getLogger("inleg.platform.scheduler")


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
