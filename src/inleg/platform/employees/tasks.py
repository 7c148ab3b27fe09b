"""Background tasks (django.tasks, database backend): run by `inleg platform worker`.

The task runs the sync; the sync does not import the task. apps.py gives ``enqueue`` to runs.use_queue.
"""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from inleg.platform.employees.sync import execute


@task()
def run_sync(run_id: int) -> str:
    return execute(run_id)


def enqueue(run_id: int, delay_s: int) -> None:
    """Queue the run's task, in the caller's transaction (the database backend's task row commits with it)."""
    (run_sync.using(run_after=timezone.now() + timedelta(seconds=delay_s)) if delay_s else run_sync).enqueue(run_id)
