"""The worker's schedule threads: every ``interval_s`` seconds, one function enqueues what is due.

What is due and how it is claimed (a conditional UPDATE, so two workers never enqueue the same thing) is the
caller's; here only the loop that survives a bad moment of the database and lets go of its connections.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sized

from django.db import close_old_connections, connection

log = logging.getLogger("inleg.platform.schedule")


def tick(enqueue_due: Callable[[], Sized]) -> int:
    """One round: how many were enqueued."""
    try:
        return len(enqueue_due())
    finally:
        close_old_connections()


def start(name: str, enqueue_due: Callable[[], Sized], interval_s: float, stop: threading.Event) -> threading.Thread:
    """A daemon thread calling ``enqueue_due`` until ``stop`` is set."""

    def loop() -> None:
        while not stop.is_set():
            try:
                started = tick(enqueue_due)
                if started:
                    log.info("%s: %s enqueued", name, started)
            except Exception:  # the schedule must survive a bad moment of the database
                log.exception("%s: tick failed", name)
            stop.wait(interval_s)
        connection.close()

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread
