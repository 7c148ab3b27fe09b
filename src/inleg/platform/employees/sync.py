"""Import and sync of employees and employments from Loket.nl: incremental, idempotent, logged, resumable.

- A run fetches everything it needs first, then writes in chunks; each chunk holds whole employees with
  their employments in one transaction, so an interruption never leaves half an employee.
- The watermark (the highest employment version number seen) moves only when a run completes, and is read
  before the data, so a change made during a run is picked up by the next one.
- A run that Loket interrupts (429, 5xx, no answer after the client's retries) stops cleanly and is resumed
  by a new run after a delay; rerunning is harmless because writing is idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from inleg.loket import Employee as LoketEmployee
from inleg.loket import Employment as LoketEmployment
from inleg.loket import LoketClient, errors
from inleg.platform.accounts.models import Company, Role, User
from inleg.platform.domain.sync import Diff, diff
from inleg.platform.employees.models import Employee, Employment, SyncRun
from inleg.platform.integrations import services
from inleg.platform.integrations.models import LoketConnection, State

log = logging.getLogger("inleg.platform.sync")

CHUNK = 500
PAGE = 250  # Loket's default page size, which the client uses
TRANSIENT = (errors.RateLimited, errors.ServerError, errors.TransportError, errors.MalformedResponse)


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
    from inleg.platform.employees.tasks import run_sync

    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()  # one asker at a time per company
        now = timezone.now()
        SyncRun.objects.filter(
            company=company,
            status=SyncRun.Status.RUNNING,
            heartbeat_at__lt=now - timedelta(seconds=settings.SYNC_STALE_AFTER_S),
        ).update(
            status=SyncRun.Status.FAILED,
            finished_at=now,
            phase="",
            errors=[{"where": "platform", "reason": _("Afgebroken: de verwerking gaf te lang geen teken van leven.")}],
        )
        waiting = SyncRun.objects.filter(
            company=company, status__in=(SyncRun.Status.QUEUED, SyncRun.Status.RUNNING)
        ).first()
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
        task = run_sync.using(run_after=timezone.now() + timedelta(seconds=delay_s)) if delay_s else run_sync
        task.enqueue(run.pk)
    return run


def enqueue_due_syncs(now: Any = None) -> list[SyncRun]:
    """The schedule: every active connection whose next sync is due gets one (full once a day)."""
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
            connection = LoketConnection.objects.select_related("company").get(pk=pk)
            full_due = connection.last_full_sync_at is None or connection.last_full_sync_at <= now - timedelta(
                seconds=settings.FULL_SYNC_INTERVAL_S
            )
            kind = SyncRun.Kind.FULL if full_due or connection.last_version is None else SyncRun.Kind.INCREMENTAL
            started.append(request_sync(connection.company, kind, SyncRun.Trigger.SCHEDULE))
    return started


# ---- running ---------------------------------------------------------------------------------------------


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


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


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
        _finish(run, recorder, SyncRun.Status.FAILED)
        raise


def _execute(run: SyncRun, recorder: Recorder) -> str:
    connection = LoketConnection.objects.filter(company=run.company).first()
    try:
        if connection is None or connection.state != State.ACTIVE or not connection.employer_id:
            raise services.ReauthorizationNeeded(_("De Loket.nl-koppeling is niet actief."))
        with services.client_for(connection) as client:
            if run.kind == SyncRun.Kind.INCREMENTAL and connection.last_version is not None:
                to_version = _incremental(client, connection, run, recorder)
            else:
                to_version = _full(client, connection, run, recorder)
            for item in client.skipped:
                recorder.counts["skipped"] += 1
                recorder.error(
                    f"{item.path} #{item.index}" + (f" ({item.item_id})" if item.item_id else ""), item.reason
                )
    except TRANSIENT as error:
        return _interrupted(run, recorder, error)
    except errors.Unauthorized as error:
        assert connection is not None
        LoketConnection.objects.filter(pk=connection.pk).update(expires_at=None)
        return _interrupted(run, recorder, error)
    except errors.Forbidden as error:
        assert connection is not None
        services.check(connection)
        recorder.error(error.activity or "", str(error))
        return _finish(run, recorder, SyncRun.Status.FAILED)
    except (services.ReauthorizationNeeded, errors.LoketError) as error:
        recorder.error("loket", str(error))
        return _finish(run, recorder, SyncRun.Status.FAILED)
    run.to_version = to_version
    updates: dict[str, Any] = {"last_version": to_version}
    if run.kind != SyncRun.Kind.INCREMENTAL or connection.last_version is None:
        updates["last_full_sync_at"] = run.started_at
    if connection.next_sync_at is None:
        updates["next_sync_at"] = timezone.now() + timedelta(seconds=settings.SYNC_INTERVAL_S)
    LoketConnection.objects.filter(pk=connection.pk).update(**updates)
    return _finish(run, recorder, SyncRun.Status.DONE)


def _interrupted(run: SyncRun, recorder: Recorder, error: Exception) -> str:
    recorder.error("loket", f"{error.__class__.__name__}: {error}")
    if run.resumes >= settings.SYNC_MAX_RESUMES:
        return _finish(run, recorder, SyncRun.Status.FAILED)
    status = _finish(run, recorder, SyncRun.Status.INTERRUPTED)
    request_sync(run.company, run.kind, SyncRun.Trigger.RESUME, resumed_from=run, delay_s=settings.SYNC_RESUME_DELAY_S)
    return status


def _finish(run: SyncRun, recorder: Recorder, status: str) -> str:
    SyncRun.objects.filter(pk=run.pk).update(
        status=status,
        finished_at=timezone.now(),
        counts=recorder.counts,
        changes=recorder.changes,
        errors=recorder.errors,
        to_version=run.to_version,
        phase="",
    )
    log.info("sync run %s of company %s: %s %s", run.pk, run.company_id, status, recorder.counts)
    return status


def _full(client: LoketClient, connection: LoketConnection, run: SyncRun, recorder: Recorder) -> int | None:
    employer = connection.employer_id
    recorder.progress("versions", 0, 0)
    versions = {v.id: v.version for v in client.employment_version_numbers(employer)}
    to_version = max(versions.values(), default=connection.last_version)
    SyncRun.objects.filter(pk=run.pk).update(from_version=connection.last_version)
    people: list[LoketEmployee] = []
    for person in client.employees(employer):
        people.append(person)
        if len(people) % 250 == 0:
            recorder.progress("employees", len(people), 0)
    jobs: list[LoketEmployment] = []
    for job in client.employments(employer):
        jobs.append(job)
        if len(jobs) % 250 == 0:
            recorder.progress("employments", len(jobs), 0)
    _apply(run.company, people, jobs, versions, recorder, complete=True)
    return to_version


def _incremental(client: LoketClient, connection: LoketConnection, run: SyncRun, recorder: Recorder) -> int | None:
    employer = connection.employer_id
    SyncRun.objects.filter(pk=run.pk).update(from_version=connection.last_version)
    recorder.progress("versions", 0, 0)
    changed = client.employment_version_numbers(employer, greater_than=connection.last_version)
    if not changed:
        recorder.progress("done", 0, 0)
        return connection.last_version
    versions = {v.id: v.version for v in changed}
    to_version = max(versions.values())
    # One by one costs a request each; a list costs a request per 250. Read whichever takes fewer requests.
    pages = Employment.objects.filter(company=run.company).count() // PAGE + 1
    if len(changed) > pages + 5:
        jobs = [j for j in client.employments(employer) if j.id in versions]
    else:
        jobs = []
        for index, item in enumerate(changed):
            try:
                jobs.append(client.employment(item.id))
            except errors.NotFound:
                recorder.error(f"employment {item.id}", "Loket.nl vindt dit dienstverband niet (meer)")
            recorder.progress("employments", index + 1, len(changed))
    stored = set(Employee.objects.filter(company=run.company).values_list("loket_id", flat=True))
    wanted = sorted({j.employee_id for j in jobs if j.employee_id})
    people: list[LoketEmployee] = []
    if len(wanted) > pages + 5:
        # Listing them all costs less, and brings employee changes that version numbers do not cover.
        people = list(client.employees(employer))
    else:
        for index, employee_id in enumerate(wanted):
            try:
                people.append(client.employee(employee_id))
            except errors.NotFound:
                if employee_id not in stored:
                    recorder.error(f"employee {employee_id}", "Loket.nl vindt deze werknemer niet")
            except ValueError as problem:
                recorder.error(f"employee {employee_id}", str(problem))
            recorder.progress("employees", index + 1, len(wanted))
    _apply(run.company, people, jobs, versions, recorder, complete=False)
    return to_version


# ---- writing ---------------------------------------------------------------------------------------------


def _employee_record(e: LoketEmployee) -> dict[str, Any]:
    return {
        "employee_number": e.employee_number or 0,
        "first_name": e.first_name[:80],
        "initials": e.initials[:20],
        "prefix": e.prefix[:20],
        "last_name": e.last_name[:120],
        "date_of_birth": e.date_of_birth,
        "email": e.email[:254],
    }


def _employment_record(m: LoketEmployment) -> dict[str, Any]:
    record: dict[str, Any] = {
        "start_date": m.start_date,
        "end_date": m.end_date,
        "payroll_administration_id": m.payroll_administration_id or "",
    }
    # Only where the API gives them: an absent value never overwrites one we have.
    if m.part_time_factor is not None:
        record["part_time_factor"] = m.part_time_factor.quantize(Decimal("0.0001"))
    if m.salary is not None:
        record["salary"] = m.salary.quantize(Decimal("0.01"))
    return record


def _name(record: dict[str, Any]) -> str:
    return " ".join(
        p
        for p in (record.get("first_name") or record.get("initials"), record.get("prefix"), record.get("last_name"))
        if p
    )


def _apply(
    company: Company,
    people: list[LoketEmployee],
    jobs: list[LoketEmployment],
    versions: dict[str, int],
    recorder: Recorder,
    *,
    complete: bool,
) -> None:
    incoming_people = {p.id: _employee_record(p) for p in people}
    incoming_jobs = {m.id: _employment_record(m) for m in jobs}
    job_owner = {m.id: m.employee_id or "" for m in jobs}
    stored_people = {
        row["loket_id"]: row
        for row in Employee.objects.filter(company=company).values("pk", "loket_id", *Employee.SYNCED)
    }
    stored_jobs = {
        row["loket_id"]: row
        for row in Employment.objects.filter(company=company).values(
            "pk", "loket_id", "loket_version", *Employment.SYNCED
        )
    }
    # An employment whose employee is neither stored nor coming in cannot be written: report it, skip it.
    for job_id in list(incoming_jobs):
        owner = job_owner[job_id]
        if owner not in incoming_people and owner not in stored_people:
            recorder.counts["skipped"] += 1
            recorder.error(f"employment {job_id}", f"werknemer {owner or '?'} ontbreekt of is onleesbaar; overgeslagen")
            del incoming_jobs[job_id]
    people_diff = diff(stored_people, incoming_people, complete=complete)
    jobs_diff = diff(stored_jobs, incoming_jobs, complete=complete)
    version_changes = {
        key: versions[key]
        for key in incoming_jobs
        if key in stored_jobs and key in versions and stored_jobs[key]["loket_version"] != versions[key]
    }
    # Group the work by employee so that each chunk holds whole employees with their employments.
    touched_people = set(people_diff.created) | set(people_diff.updated)
    touched_jobs = set(jobs_diff.created) | set(jobs_diff.updated) | set(version_changes)

    def number(owner: str) -> tuple[int, str]:
        record = incoming_people.get(owner) or stored_people.get(owner) or {}
        return (int(record.get("employee_number") or 0), owner)

    owners = sorted(touched_people | {job_owner[j] for j in touched_jobs}, key=number)
    jobs_by_owner: dict[str, list[str]] = {}
    for job_id in touched_jobs:
        jobs_by_owner.setdefault(job_owner[job_id], []).append(job_id)
    recorder.counts["employees_unchanged"] += people_diff.unchanged
    recorder.counts["employments_unchanged"] += jobs_diff.unchanged
    total = len(owners)
    recorder.progress("saving", 0, total)
    for start in range(0, total, CHUNK):
        chunk = owners[start : start + CHUNK]
        with transaction.atomic():
            _write_chunk(
                company,
                chunk,
                jobs_by_owner,
                incoming_people,
                incoming_jobs,
                stored_people,
                stored_jobs,
                people_diff,
                jobs_diff,
                versions,
                recorder,
            )
        recorder.progress("saving", min(start + CHUNK, total), total)
    if complete:
        now = timezone.now()
        gone_people = [k for k in people_diff.gone if stored_people[k]]
        gone_jobs = jobs_diff.gone
        with transaction.atomic():
            newly = Employee.objects.filter(company=company, loket_id__in=gone_people, gone_from_loket_at__isnull=True)
            recorder.counts["employees_gone"] += newly.update(gone_from_loket_at=now)
            newly_jobs = Employment.objects.filter(
                company=company, loket_id__in=gone_jobs, gone_from_loket_at__isnull=True
            )
            recorder.counts["employments_gone"] += newly_jobs.update(gone_from_loket_at=now)
            # Back in Loket's lists: no longer gone.
            Employee.objects.filter(
                company=company, loket_id__in=incoming_people, gone_from_loket_at__isnull=False
            ).update(gone_from_loket_at=None)
            Employment.objects.filter(
                company=company, loket_id__in=incoming_jobs, gone_from_loket_at__isnull=False
            ).update(gone_from_loket_at=None)


def _write_chunk(
    company: Company,
    owners: list[str],
    jobs_by_owner: dict[str, list[str]],
    incoming_people: dict[str, dict[str, Any]],
    incoming_jobs: dict[str, dict[str, Any]],
    stored_people: dict[str, dict[str, Any]],
    stored_jobs: dict[str, dict[str, Any]],
    people_diff: Diff,
    jobs_diff: Diff,
    versions: dict[str, int],
    recorder: Recorder,
) -> None:
    created_set = set(people_diff.created)
    now = timezone.now()
    # New employees, each with an account of its own (role employee; cannot log in until invited).
    new_ids = [o for o in owners if o in created_set]
    accounts = [
        User(name=_name(incoming_people[o])[:120] or "?", company=company, role=Role.EMPLOYEE, is_active=False)
        for o in new_ids
    ]
    for account in accounts:
        account.set_unusable_password()
    User.objects.bulk_create(accounts)
    new_people = [
        Employee(company=company, loket_id=o, user=a, **incoming_people[o])
        for o, a in zip(new_ids, accounts, strict=True)
    ]
    Employee.objects.bulk_create(new_people)
    pks = {e.loket_id: e.pk for e in new_people}
    for o in new_ids:
        recorder.counts["employees_created"] += 1
        record = incoming_people[o]
        recorder.change("employee_created", f"{record['employee_number']} {_name(record)}")
    # Changed employees.
    changed = []
    for o in owners:
        if o in people_diff.updated:
            fields = people_diff.updated[o]
            row = Employee(pk=stored_people[o]["pk"], updated_at=now, **incoming_people[o])
            changed.append(row)
            recorder.counts["employees_updated"] += 1
            recorder.change(
                "employee_updated",
                f"{row.employee_number} {_name(incoming_people[o])}",
                [(c.field, c.old, c.new) for c in fields],
            )
        pks.setdefault(o, stored_people.get(o, {}).get("pk"))
    if changed:
        Employee.objects.bulk_update(changed, [*Employee.SYNCED, "updated_at"])
    # Employments of these employees.
    new_jobs, changed_jobs = [], []
    for o in owners:
        for job_id in jobs_by_owner.get(o, ()):
            found = incoming_jobs.get(job_id)
            if found is None:
                continue
            record = found
            employee_pk = pks.get(o)
            label = (
                f"{incoming_people.get(o, stored_people.get(o, {})).get('employee_number', '?')} "
                f"{_name(incoming_people.get(o) or stored_people.get(o) or {})}"
            )
            if job_id in stored_jobs:
                row = Employment(
                    pk=stored_jobs[job_id]["pk"],
                    employee_id=employee_pk,
                    updated_at=now,
                    loket_version=versions.get(job_id, stored_jobs[job_id]["loket_version"]),
                    **{**{f: stored_jobs[job_id][f] for f in Employment.SYNCED}, **record},
                )
                changed_jobs.append(row)
                fields = jobs_diff.updated.get(job_id, [])
                if fields:
                    recorder.counts["employments_updated"] += 1
                    leaver = any(c.field == "end_date" and c.old is None and c.new is not None for c in fields)
                    if leaver:
                        recorder.counts["leavers"] += 1
                    recorder.change(
                        "leaver" if leaver else "employment_updated", label, [(c.field, c.old, c.new) for c in fields]
                    )
            else:
                new_jobs.append(
                    Employment(
                        company=company,
                        employee_id=employee_pk,
                        loket_id=job_id,
                        loket_version=versions.get(job_id),
                        **record,
                    )
                )
                recorder.counts["employments_created"] += 1
                if record.get("end_date") is not None:
                    recorder.counts["leavers"] += 1
    Employment.objects.bulk_create(new_jobs)
    if changed_jobs:
        Employment.objects.bulk_update(changed_jobs, [*Employment.SYNCED, "employee", "loket_version", "updated_at"])


def last_runs(company: Company, limit: int = 10) -> list[SyncRun]:
    return list(SyncRun.objects.filter(company=company)[:limit])


def latest_version(company: Company) -> int | None:
    value = Employment.objects.filter(company=company).aggregate(v=Max("loket_version"))["v"]
    return int(value) if value is not None else None
