"""Background tasks (django.tasks, database backend): run by `inleg platform worker`."""

from __future__ import annotations

from django.tasks import task


@task()
def run_sync(run_id: int) -> str:
    from inleg.platform.employees.sync import execute

    return execute(run_id)
