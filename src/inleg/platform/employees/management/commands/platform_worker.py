"""``platform_worker``: the database task worker (django-tasks-db's db_worker) plus the sync schedule."""

from __future__ import annotations

import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from inleg.platform.contributions import readback
from inleg.platform.employees import scheduler


class Command(BaseCommand):
    help = "Run background tasks (syncs, writes) and enqueue scheduled syncs and result read-backs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls for tasks")
        parser.add_argument("--schedule-every", type=float, default=60.0, help="seconds between schedule checks")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then stop (no schedule)")

    def handle(self, *args: Any, interval: float, schedule_every: float, batch: bool, **options: Any) -> None:
        stop = threading.Event()
        if not batch:
            scheduler.start(schedule_every, stop)
            readback.start(schedule_every, stop)
        try:
            call_command(
                "db_worker",
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=False,
                verbosity=options.get("verbosity", 1),
            )
        finally:
            stop.set()
