"""Sync runs: asking for one, its record while it runs, and the state it ends in.

A run is queued, then running, then done, failed or interrupted. Loket.nl interrupting a run (429, 5xx, no
answer) ends it as interrupted and queues a resume run in the same transaction. When a chain of resumes ends, the
runs it resumed take its outcome: resumed when it completed, failed when it failed or gave up after
``SYNC_MAX_RESUMES``. So "wordt hervat" is shown only while a resume is really waiting or running.

The worker's task is not imported here: the task imports the sync, which imports this module. The app gives its
way of queueing to ``use_queue`` when Django starts (apps.py), so the imports point one way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inleg.platform.accounts.models import Company, User
from inleg.platform.employees.models import SyncRun

log = logging.getLogger("inleg.platform.sync")

Status = SyncRun.Status

# Puts a run's task in the worker's queue: (run id, seconds to wait before it may start).
Enqueue = Callable[[int, int], None]
_queue: Enqueue | None = None


def use_queue(enqueue: Enqueue) -> None:
    """Where ``request_sync`` puts runs from now on (apps.py gives the worker's task)."""
    global _queue
    _queue = enqueue


def _enqueue(run_id: int, delay_s: int) -> None:
    if _queue is None:
        raise RuntimeError("no queue for sync runs: the employees app was not started (use_queue)")
    _queue(run_id, delay_s)


# ---- asking for a run ------------------------------------------------------------------------------------


def request_sync(
    company: Company,
    kind: str,
    trigger: str,
    *,
    user: User | None = None,
    resumed_from: SyncRun | None = None,
    delay_s: int = 0,
) -> SyncRun:
    """Create a run and enqueue its task in the caller's transaction (the task row commits with it).

    When the company already has a run waiting or running, that run is returned instead of a second one.
    """
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()  # one asker at a time per company
        _fail_lost(company)
        waiting = SyncRun.objects.filter(company=company, status__in=(Status.QUEUED, Status.RUNNING)).first()
        if waiting is not None and resumed_from is None:
            return waiting
        run = SyncRun.objects.create(
            company=company,
            kind=kind,
            trigger=trigger,
            requested_by=user,
            resumed_from=resumed_from,
            resumes=(resumed_from.resumes + 1) if resumed_from else 0,
            phase="",
        )
        _enqueue(run.pk, delay_s)
    return run


def _fail_lost(company: Company) -> None:
    """Runs without a heartbeat for long have lost their worker: they failed, and so did the runs they resumed."""
    now = timezone.now()
    lost = SyncRun.objects.filter(
        company=company,
        status=Status.RUNNING,
        heartbeat_at__lt=now - timedelta(seconds=settings.SYNC_STALE_AFTER_S),
    )
    resumed = [pk for pk in lost.values_list("resumed_from_id", flat=True) if pk is not None]
    lost.update(
        status=Status.FAILED,
        finished_at=now,
        phase="",
        errors=[{"where": "platform", "reason": _("Afgebroken: de verwerking gaf te lang geen teken van leven.")}],
    )
    for pk in resumed:
        _settle_resumed(pk, Status.FAILED)


# ---- the record of a running run -------------------------------------------------------------------------


class Recorder:
    """Counts, changes and errors of a run; progress is written at once (outside any write transaction)."""

    def __init__(self, run: SyncRun) -> None:
        self.run = run
        self.counts: dict[str, int] = {
            "employees_created": 0,
            "employees_updated": 0,
            "employees_unchanged": 0,
            "employees_gone": 0,
            "employments_created": 0,
            "employments_updated": 0,
            "employments_unchanged": 0,
            "employments_gone": 0,
            "leavers": 0,
            "salaries_updated": 0,
            "part_time_factors_updated": 0,
            "skipped": 0,
        }
        self.changes: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []

    def progress(self, phase: str, done: int, total: int) -> None:
        SyncRun.objects.filter(pk=self.run.pk).update(
            phase=phase, done=done, total=total, counts=self.counts, heartbeat_at=timezone.now()
        )

    def change(self, kind: str, subject: str, fields: Iterable[tuple[str, Any, Any]] = ()) -> None:
        if len(self.changes) < SyncRun.MAX_CHANGES_LOGGED:
            self.changes.append(
                {"kind": kind, "subject": subject, "fields": [[f, _show(o), _show(n)] for f, o, n in fields]}
            )

    def error(self, where: str, reason: str) -> None:
        self.errors.append({"where": where, "reason": reason})

    def skipped(self, where: str, reason: str) -> None:
        self.counts["skipped"] += 1
        self.error(where, reason)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


# ---- how a run ends --------------------------------------------------------------------------------------


def finish(run: SyncRun, recorder: Recorder, status: str) -> str:
    """Write the run's end; a resume that ends settles the runs it resumed. Returns ``status``."""
    with transaction.atomic():
        SyncRun.objects.filter(pk=run.pk).update(
            status=status,
            finished_at=timezone.now(),
            counts=recorder.counts,
            changes=recorder.changes,
            errors=recorder.errors,
            to_version=run.to_version,
            phase="",
        )
        if status in (Status.DONE, Status.FAILED) and run.resumed_from_id is not None:
            _settle_resumed(run.resumed_from_id, status)
    log.info("sync run %s of company %s: %s %s", run.pk, run.company_id, status, recorder.counts)
    return status


def interrupt(run: SyncRun, recorder: Recorder, error: Exception) -> str:
    """Loket.nl interrupted the run: it ends interrupted with a resume queued, or failed after the last resume."""
    recorder.error("loket", f"{error.__class__.__name__}: {error}")
    if run.resumes >= settings.SYNC_MAX_RESUMES:
        return finish(run, recorder, Status.FAILED)
    # One transaction: an interrupted run always has its resume (else it would say "wordt hervat" for ever).
    with transaction.atomic():
        status = finish(run, recorder, Status.INTERRUPTED)
        request_sync(
            run.company, run.kind, SyncRun.Trigger.RESUME, resumed_from=run, delay_s=settings.SYNC_RESUME_DELAY_S
        )
    return status


def _settle_resumed(run_id: int, outcome: str) -> None:
    """The interrupted run ``run_id`` and the interrupted runs before it in its chain take the chain's outcome."""
    status = Status.RESUMED if outcome == Status.DONE else Status.FAILED
    pk: int | None = run_id
    while pk is not None and SyncRun.objects.filter(pk=pk, status=Status.INTERRUPTED).update(status=status):
        pk = SyncRun.objects.filter(pk=pk).values_list("resumed_from_id", flat=True).first()
