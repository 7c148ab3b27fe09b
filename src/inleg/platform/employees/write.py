"""Writing what a run read: whole employees with their employments, a chunk of them per transaction.

An interruption never leaves half an employee. Writing is idempotent: a record equal field by field is left
alone, so rerunning a run changes nothing. Nothing is deleted: after a complete reading, what Loket no longer
sends is marked gone from Loket, and unmarked when it comes back.

Salary and part-time factor are compared for every employment on each run (the pay lists cover them all), so an
incremental run writes a changed wage or hours of an employment whose version number did not move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from inleg.platform.accounts.models import Company, Role, User
from inleg.platform.domain.mapping import display_name, employee_record, employment_record, pay_record
from inleg.platform.domain.sync import Diff, diff
from inleg.platform.employees.fetch import Fetched
from inleg.platform.employees.models import Employee, Employment
from inleg.platform.employees.runs import Recorder

CHUNK = 500

Rows = dict[str, dict[str, Any]]  # Loket id -> fields


@dataclass(frozen=True)
class _Plan:
    """What is stored, what came in, and how they differ: all a chunk needs to write its employees."""

    company: Company
    incoming_people: Rows
    incoming_jobs: Rows
    stored_people: Rows
    stored_jobs: Rows
    people_diff: Diff
    jobs_diff: Diff
    versions: dict[str, int]
    jobs_by_owner: dict[str, list[str]]
    leavers: set[str]

    def label(self, owner: str) -> str:
        record = self.incoming_people.get(owner) or self.stored_people.get(owner) or {}
        return f"{record.get('employee_number', '?')} {display_name(record)}"


def apply(company: Company, fetched: Fetched, recorder: Recorder) -> None:
    keep = set(fetched.unreadable)  # in Loket but not readable this time: never called gone
    incoming_people = {p.id: employee_record(p) for p in fetched.people}
    incoming_jobs: Rows = {}
    job_owner: dict[str, str] = {}
    for m in fetched.jobs:
        try:
            incoming_jobs[m.id] = employment_record(m)
        except ValueError as problem:
            keep.add(m.id)
            recorder.skipped(f"employment {m.id}", str(problem))
            continue
        job_owner[m.id] = m.employee_id or ""
    stored_people = {
        row["loket_id"]: row
        for row in Employee.objects.filter(company=company).values("pk", "loket_id", *Employee.SYNCED)
    }
    stored_jobs = {
        row["loket_id"]: row
        for row in Employment.objects.filter(company=company).values(
            "pk", "loket_id", "loket_version", "employee__loket_id", *Employment.SYNCED
        )
    }
    _add_pay(fetched, incoming_jobs, stored_jobs, job_owner, keep, recorder)
    # An employment whose employee is neither stored nor coming in cannot be written: report it, skip it.
    for job_id in list(incoming_jobs):
        owner = job_owner[job_id]
        if owner not in incoming_people and owner not in stored_people:
            keep.add(job_id)
            recorder.skipped(
                f"employment {job_id}", f"werknemer {owner or '?'} ontbreekt of is onleesbaar; overgeslagen"
            )
            del incoming_jobs[job_id]
    people_diff = diff(stored_people, incoming_people, complete=fetched.complete)
    jobs_diff = diff(stored_jobs, incoming_jobs, complete=fetched.complete)
    versions = fetched.versions
    version_changes = {
        key
        for key in incoming_jobs
        if key in stored_jobs and key in versions and stored_jobs[key]["loket_version"] != versions[key]
    }
    # Group the work by employee so that each chunk holds whole employees with their employments.
    touched_people = set(people_diff.created) | set(people_diff.updated)
    touched_jobs = set(jobs_diff.created) | set(jobs_diff.updated) | version_changes

    def number(owner: str) -> tuple[int, str]:
        record = incoming_people.get(owner) or stored_people.get(owner) or {}
        return (int(record.get("employee_number") or 0), owner)

    owners = sorted(touched_people | {job_owner[j] for j in touched_jobs}, key=number)
    jobs_by_owner: dict[str, list[str]] = {}
    for job_id in touched_jobs:
        jobs_by_owner.setdefault(job_owner[job_id], []).append(job_id)
    plan = _Plan(
        company,
        incoming_people,
        incoming_jobs,
        stored_people,
        stored_jobs,
        people_diff,
        jobs_diff,
        versions,
        jobs_by_owner,
        set(jobs_diff.leavers()),
    )
    for changes in jobs_diff.updated.values():
        for change in changes:
            if change.field in PAY_COUNTS:
                recorder.counts[PAY_COUNTS[change.field]] += 1
    recorder.counts["employees_unchanged"] += people_diff.unchanged
    recorder.counts["employments_unchanged"] += jobs_diff.unchanged
    total = len(owners)
    recorder.progress("saving", 0, total)
    for start in range(0, total, CHUNK):
        with transaction.atomic():
            _write_chunk(plan, owners[start : start + CHUNK], recorder)
        recorder.progress("saving", min(start + CHUNK, total), total)
    if fetched.complete:
        gone_people = [k for k in people_diff.gone if k not in keep]
        gone_jobs = [k for k in jobs_diff.gone if k not in keep]
        _mark_gone(company, gone_people, gone_jobs, set(incoming_people), set(incoming_jobs), recorder)


PAY_COUNTS = {"salary": "salaries_updated", "part_time_factor": "part_time_factors_updated"}


def _add_pay(
    fetched: Fetched,
    incoming_jobs: Rows,
    stored_jobs: Rows,
    job_owner: dict[str, str],
    keep: set[str],
    recorder: Recorder,
) -> None:
    """Salary and part-time factor into the incoming records; for a stored employment that did not come in
    (an incremental run), a record of those two fields alone, when they differ from what is stored."""
    day = fetched.reference_date
    for job_id in set(incoming_jobs) | set(stored_jobs):
        record = incoming_jobs.get(job_id)
        stored = stored_jobs.get(job_id)
        if record is None and (fetched.complete or job_id in keep or stored is None):
            continue  # a full run's absent employment is gone (or unreadable): its pay is not this run's business
        end = (record or stored or {}).get("end_date")
        try:
            pay, note = pay_record(
                fetched.wages.get(job_id),
                fetched.hours.get(job_id),
                complete=fetched.pay_complete,
                ended=end is not None and end < day,
            )
        except ValueError as problem:
            recorder.skipped(f"employment {job_id}", str(problem))
            continue
        if note and (stored is None or pay.get("salary") != stored.get("salary")):
            recorder.error(f"employment {job_id}", note)  # said once, when the salary becomes unknown
        if record is not None:
            record.update(pay)
        elif stored is not None and any(stored.get(name) != value for name, value in pay.items()):
            incoming_jobs[job_id] = pay
            job_owner[job_id] = stored["employee__loket_id"]


def _mark_gone(
    company: Company,
    gone_people: list[str],
    gone_jobs: list[str],
    people: set[str],
    jobs: set[str],
    recorder: Recorder,
) -> None:
    now = timezone.now()
    with transaction.atomic():
        newly = Employee.objects.filter(company=company, loket_id__in=gone_people, gone_from_loket_at__isnull=True)
        recorder.counts["employees_gone"] += newly.update(gone_from_loket_at=now)
        newly_jobs = Employment.objects.filter(company=company, loket_id__in=gone_jobs, gone_from_loket_at__isnull=True)
        recorder.counts["employments_gone"] += newly_jobs.update(gone_from_loket_at=now)
        # Back in Loket's lists: no longer gone.
        Employee.objects.filter(company=company, loket_id__in=people, gone_from_loket_at__isnull=False).update(
            gone_from_loket_at=None
        )
        Employment.objects.filter(company=company, loket_id__in=jobs, gone_from_loket_at__isnull=False).update(
            gone_from_loket_at=None
        )


def _write_chunk(plan: _Plan, owners: list[str], recorder: Recorder) -> None:
    company = plan.company
    created = set(plan.people_diff.created)
    now = timezone.now()
    # New employees, each with an account of its own (role employee; cannot log in until invited).
    new_ids = [o for o in owners if o in created]
    accounts = [
        User(
            name=display_name(plan.incoming_people[o])[:120] or "?",
            company=company,
            role=Role.EMPLOYEE,
            is_active=False,
        )
        for o in new_ids
    ]
    for account in accounts:
        account.set_unusable_password()
    User.objects.bulk_create(accounts)
    new_people = [
        Employee(company=company, loket_id=o, user=a, **plan.incoming_people[o])
        for o, a in zip(new_ids, accounts, strict=True)
    ]
    Employee.objects.bulk_create(new_people)
    pks: dict[str, int] = {e.loket_id: e.pk for e in new_people}
    for o in new_ids:
        recorder.counts["employees_created"] += 1
        recorder.change("employee_created", plan.label(o))
    # Changed employees.
    changed = []
    for o in owners:
        if o in plan.people_diff.updated:
            fields = plan.people_diff.updated[o]
            changed.append(Employee(pk=plan.stored_people[o]["pk"], updated_at=now, **plan.incoming_people[o]))
            recorder.counts["employees_updated"] += 1
            recorder.change("employee_updated", plan.label(o), [(c.field, c.old, c.new) for c in fields])
        if o not in pks:  # not created here, so stored: plan() skipped employments of an employee neither is
            pks[o] = plan.stored_people[o]["pk"]
    if changed:
        Employee.objects.bulk_update(changed, [*Employee.SYNCED, "updated_at"])
    # Employments of these employees.
    new_jobs, changed_jobs = [], []
    for o in owners:
        for job_id in plan.jobs_by_owner.get(o, ()):
            record = plan.incoming_jobs.get(job_id)
            if record is None:
                continue
            stored = plan.stored_jobs.get(job_id)
            if stored is not None:
                changed_jobs.append(
                    Employment(
                        pk=stored["pk"],
                        employee_id=pks[o],
                        updated_at=now,
                        loket_version=plan.versions.get(job_id, stored["loket_version"]),
                        **{**{f: stored[f] for f in Employment.SYNCED}, **record},
                    )
                )
                fields = plan.jobs_diff.updated.get(job_id, [])
                if fields:
                    recorder.counts["employments_updated"] += 1
                    leaver = job_id in plan.leavers
                    if leaver:
                        recorder.counts["leavers"] += 1
                    recorder.change(
                        "leaver" if leaver else "employment_updated",
                        plan.label(o),
                        [(c.field, c.old, c.new) for c in fields],
                    )
            else:
                new_jobs.append(
                    Employment(
                        company=company,
                        employee_id=pks[o],
                        loket_id=job_id,
                        loket_version=plan.versions.get(job_id),
                        **record,
                    )
                )
                recorder.counts["employments_created"] += 1
                if record.get("end_date") is not None:
                    recorder.counts["leavers"] += 1
    Employment.objects.bulk_create(new_jobs)
    if changed_jobs:
        Employment.objects.bulk_update(changed_jobs, [*Employment.SYNCED, "employee", "loket_version", "updated_at"])
