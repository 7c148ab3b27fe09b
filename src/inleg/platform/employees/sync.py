"""One sync run of employees and employments from Loket.nl, from start to end: incremental, idempotent, resumable.

- A run reads everything it needs first (fetch.py), then writes whole employees per transaction (write.py).
- The watermark (the highest employment version number seen) moves only when a run completes.
- A run that Loket interrupts (429, 5xx, no answer after the client's retries) stops cleanly and is resumed by
  a new run after a delay (runs.py); rerunning is harmless because writing is idempotent.

Asking for a run is ``request_sync`` (runs.py, also importable from here); the worker's task (tasks.py) calls
``execute``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from inleg.loket import errors
from inleg.platform.employees import fetch, write
from inleg.platform.employees.models import SyncRun
from inleg.platform.employees.runs import Recorder, finish, interrupt, request_sync
from inleg.platform.integrations import services
from inleg.platform.integrations.models import LoketConnection, State

__all__ = ["execute", "request_sync"]

# Loket faults that pass: the run is interrupted and resumed.
TRANSIENT = (errors.RateLimited, errors.ServerError, errors.TransportError, errors.MalformedResponse)


def execute(run_id: int) -> str:
    """Run one sync; returns its final status. Safe to call twice for one run (the second call does nothing)."""
    claimed = SyncRun.objects.filter(pk=run_id, status=SyncRun.Status.QUEUED).update(
        status=SyncRun.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), phase="start"
    )
    run = SyncRun.objects.select_related("company").get(pk=run_id)
    if not claimed:
        return run.status
    recorder = Recorder(run)
    try:
        return _execute(run, recorder)
    except Exception as error:  # a fault of ours: the run says so, the task fails too
        recorder.error("platform", f"{error.__class__.__name__}: {error}")
        finish(run, recorder, SyncRun.Status.FAILED)
        raise


def _execute(run: SyncRun, recorder: Recorder) -> str:
    connection = LoketConnection.objects.filter(company=run.company).first()
    try:
        if connection is None or connection.state != State.ACTIVE or not connection.employer_id:
            raise services.ReauthorizationNeeded(_("De Loket.nl-koppeling is niet actief."))
        SyncRun.objects.filter(pk=run.pk).update(from_version=connection.last_version)
        with services.client_for(connection) as client:
            last = connection.last_version
            if run.kind == SyncRun.Kind.INCREMENTAL and last is not None:
                fetched = fetch.changes(client, connection.employer_id, last, run.company, recorder)
            else:
                fetched = fetch.everything(client, connection.employer_id, last, recorder)
    except TRANSIENT as error:
        return interrupt(run, recorder, error)
    except errors.Unauthorized as error:
        assert connection is not None
        LoketConnection.objects.filter(pk=connection.pk).update(expires_at=None)
        return interrupt(run, recorder, error)
    except errors.Forbidden as error:
        assert connection is not None
        services.check(connection)
        recorder.error(error.activity or "", str(error))
        return finish(run, recorder, SyncRun.Status.FAILED)
    except (services.ReauthorizationNeeded, errors.LoketError) as error:
        recorder.error("loket", str(error))
        return finish(run, recorder, SyncRun.Status.FAILED)
    write.apply(run.company, fetched, recorder)
    run.to_version = fetched.to_version
    updates: dict[str, Any] = {"last_version": run.to_version}
    if run.kind != SyncRun.Kind.INCREMENTAL or connection.last_version is None:
        updates["last_full_sync_at"] = run.started_at
    if connection.next_sync_at is None:
        updates["next_sync_at"] = timezone.now() + timedelta(seconds=settings.SYNC_INTERVAL_S)
    LoketConnection.objects.filter(pk=connection.pk).update(**updates)
    return finish(run, recorder, SyncRun.Status.DONE)
