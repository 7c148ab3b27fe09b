"""Import and sync from the real sandbox: complete, idempotent, incremental, leavers, logged, fault-tolerant."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from inleg.platform.accounts.models import Role, User
from inleg.platform.employees.models import Employee, Employment, SyncRun
from inleg.platform.employees.scheduler import enqueue_due_syncs
from inleg.platform.integrations.models import LoketConnection
from tests.platform.conftest import connect, connection_of, run_tasks
from tests.platform.loket_sandbox import Sandbox

# transaction=True: the worker sees only what was committed, as in production (and may close connections).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("loket")]


def sandbox_people(loket: Sandbox, employer_number: int = 20001) -> dict[str, Any]:
    """What Loket holds, read from the sandbox's own database (not through the platform's code)."""
    out = loket.orm(
        "import json\nfrom inleg.sandbox.core.models import Employee, Employment\n"
        f"people = Employee.objects.filter(employer__employer_number={employer_number})\n"
        "jobs = Employment.objects.filter(employee__employer__employer_number=" + str(employer_number) + ")\n"
        "print(json.dumps({'people': {str(p.id): [p.employee_number, p.first_name, p.last_name, str(p.date_of_birth),"
        " p.email] for p in people}, 'jobs': {str(j.id): [str(j.start_date), str(j.end_date)] for j in jobs}}))\n"
    )
    return json.loads(out)  # type: ignore[no-any-return]


def test_connecting_imports_every_employee_and_employment_of_the_coupled_employer(
    web: Client, admin: User, loket: Sandbox
) -> None:
    connect(web, "koppeling")
    run = SyncRun.objects.get(company=admin.company)
    assert (run.kind, run.trigger, run.status) == (SyncRun.Kind.IMPORT, SyncRun.Trigger.CONNECT, SyncRun.Status.QUEUED)
    run_tasks()
    run.refresh_from_db()
    assert run.status == SyncRun.Status.DONE, run.errors
    truth = sandbox_people(loket)
    people = {e.loket_id: e for e in Employee.objects.filter(company=admin.company)}
    assert set(people) == set(truth["people"])
    for loket_id, (number, first, last, born, email) in truth["people"].items():
        e = people[loket_id]
        assert [e.employee_number, e.first_name, e.last_name, str(e.date_of_birth), e.email] == [
            number,
            first,
            last,
            born,
            email,
        ]
    jobs = {m.loket_id: m for m in Employment.objects.filter(company=admin.company)}
    assert {k: [str(m.start_date), str(m.end_date)] for k, m in jobs.items()} == truth["jobs"]
    assert run.counts["employees_created"] == len(truth["people"])
    assert run.counts["employments_created"] == len(truth["jobs"])
    # Only the coupled employer's data: the other seeded employers' people are not here.
    assert not set(sandbox_people(loket, 20002)["people"]) & set(people)
    # Each employee has an account made by the import: an employee, not invited, unable to log in.
    accounts = User.objects.filter(company=admin.company, role=Role.EMPLOYEE)
    assert accounts.count() == len(truth["people"])
    assert not any(u.is_active or u.has_usable_password() or u.email for u in accounts)
    assert connection_of(admin).last_version is not None


def test_a_second_sync_changes_nothing(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    run_tasks()
    before = list(Employee.objects.filter(company=admin.company).order_by("pk").values())
    before_jobs = list(Employment.objects.filter(company=admin.company).order_by("pk").values())
    for full in ("", "1"):
        web.post("/company/integrations/loket/sync/", {"full": full} if full else {})
        run_tasks()
        run = SyncRun.objects.filter(company=admin.company).latest("pk")
        assert run.status == SyncRun.Status.DONE
        assert run.kind == (SyncRun.Kind.FULL if full else SyncRun.Kind.INCREMENTAL)
        changed = {k: v for k, v in run.counts.items() if k.endswith(("created", "updated", "gone")) and v}
        assert changed == {}
        assert run.changes == []
    assert list(Employee.objects.filter(company=admin.company).order_by("pk").values()) == before
    assert list(Employment.objects.filter(company=admin.company).order_by("pk").values()) == before_jobs


def test_incremental_sync_brings_a_leavers_end_date_and_a_changed_start_and_deletes_nobody(
    web: Client, admin: User, loket: Sandbox
) -> None:
    connect(web, "koppeling")
    run_tasks()
    count = Employment.objects.filter(company=admin.company).count()
    open_jobs = Employment.objects.filter(company=admin.company, end_date__isnull=True).order_by("loket_id")
    leaver, other = open_jobs[0], open_jobs[1]
    loket.orm(
        "from datetime import date\nfrom inleg.sandbox.core.models import Employment\n"
        f"job = Employment.objects.get(id='{leaver.loket_id}')\njob.end_date = date(2026, 10, 31)\njob.save()\n"
    )
    web.post("/company/integrations/loket/sync/")
    run_tasks()
    run = SyncRun.objects.filter(company=admin.company).latest("pk")
    assert run.kind == SyncRun.Kind.INCREMENTAL
    assert run.status == SyncRun.Status.DONE, run.errors
    leaver.refresh_from_db()
    other.refresh_from_db()
    assert leaver.end_date == date(2026, 10, 31)
    assert other.end_date is None
    assert run.counts["leavers"] == 1
    assert run.counts["employments_updated"] == 1
    assert [c["kind"] for c in run.changes] == ["leaver"]
    assert run.changes[0]["fields"] == [["end_date", "", "2026-10-31"]]
    assert Employment.objects.filter(company=admin.company).count() == count
    page = web.get(f"/employees/syncs/{run.pk}/").content.decode()
    assert "uit dienst: — → 2026-10-31" in page  # the field by its Dutch name, old and new value


def test_the_schedule_enqueues_a_due_sync_once(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    run_tasks()
    connection = connection_of(admin)
    assert connection.next_sync_at is not None
    assert enqueue_due_syncs() == []  # not due yet
    LoketConnection.objects.filter(pk=connection.pk).update(next_sync_at=connection.next_sync_at.replace(year=2020))
    started = enqueue_due_syncs()
    assert [r.trigger for r in started] == [SyncRun.Trigger.SCHEDULE]
    assert enqueue_due_syncs() == []  # claimed: a second scheduler gets nothing
    run_tasks()
    started[0].refresh_from_db()
    assert started[0].status == SyncRun.Status.DONE


def test_a_sync_asked_for_twice_runs_once(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    web.post("/company/integrations/loket/sync/")
    assert SyncRun.objects.filter(company=admin.company).count() == 1  # the import waiting is the one


def test_progress_and_log_are_shown(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    run = SyncRun.objects.get(company=admin.company)
    waiting = web.get(f"/employees/syncs/{run.pk}/").content.decode()
    assert "in de wachtrij" in waiting
    assert 'http-equiv="refresh"' in waiting
    run_tasks()
    done = web.get(f"/employees/syncs/{run.pk}/").content.decode()
    assert "100%" in done
    assert 'http-equiv="refresh"' not in done
    listing = web.get("/employees/").content.decode()
    first = Employee.objects.filter(company=admin.company).order_by("employee_number").first()
    assert first is not None
    assert first.last_name in listing


def test_many_changes_are_read_by_listing_and_all_arrive(web: Client, admin: User, loket: Sandbox) -> None:
    connect(web, "koppeling")
    run_tasks()
    open_jobs = list(Employment.objects.filter(company=admin.company, end_date__isnull=True).order_by("loket_id")[:7])
    ids = [j.loket_id for j in open_jobs]
    loket.orm(
        "from datetime import date\nfrom inleg.sandbox.core.models import Employment\n"
        f"for job in Employment.objects.filter(id__in={ids!r}):\n"
        "    job.end_date = date(2026, 12, 31)\n    job.save()\n"
    )
    web.post("/company/integrations/loket/sync/")
    run_tasks()
    run = SyncRun.objects.filter(company=admin.company).latest("pk")
    assert run.status == SyncRun.Status.DONE, run.errors
    assert run.counts["leavers"] == 7
    ended = Employment.objects.filter(company=admin.company, loket_id__in=ids, end_date=date(2026, 12, 31))
    assert ended.count() == 7


def test_a_run_whose_worker_died_does_not_block_new_syncs(admin: User, settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from inleg.platform.employees.runs import request_sync

    settings.SYNC_STALE_AFTER_S = 600
    lost = SyncRun.objects.create(
        company=admin.company,
        kind=SyncRun.Kind.FULL,
        trigger=SyncRun.Trigger.SCHEDULE,
        status=SyncRun.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(seconds=601),
    )
    alive = request_sync(admin.company, SyncRun.Kind.INCREMENTAL, SyncRun.Trigger.MANUAL)
    assert alive.pk != lost.pk
    lost.refresh_from_db()
    assert lost.status == SyncRun.Status.FAILED
    assert "geen teken van leven" in lost.errors[0]["reason"]
    assert request_sync(admin.company, SyncRun.Kind.INCREMENTAL, SyncRun.Trigger.MANUAL).pk == alive.pk


def test_a_resume_whose_worker_died_fails_and_so_does_the_run_it_resumed(admin: User, settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from inleg.platform.employees.runs import request_sync

    settings.SYNC_STALE_AFTER_S = 600
    interrupted = SyncRun.objects.create(
        company=admin.company,
        kind=SyncRun.Kind.FULL,
        trigger=SyncRun.Trigger.SCHEDULE,
        status=SyncRun.Status.INTERRUPTED,
    )
    lost = SyncRun.objects.create(
        company=admin.company,
        kind=SyncRun.Kind.FULL,
        trigger=SyncRun.Trigger.RESUME,
        status=SyncRun.Status.RUNNING,
        resumed_from=interrupted,
        resumes=1,
        heartbeat_at=timezone.now() - timedelta(seconds=601),
    )
    request_sync(admin.company, SyncRun.Kind.INCREMENTAL, SyncRun.Trigger.MANUAL)
    lost.refresh_from_db()
    interrupted.refresh_from_db()
    assert (lost.status, interrupted.status) == (SyncRun.Status.FAILED, SyncRun.Status.FAILED)


def test_the_migration_settles_interrupted_runs_whose_resumes_ended(admin: User) -> None:
    import importlib

    from django.apps import apps

    settle = importlib.import_module("inleg.platform.employees.migrations.0003_run_resumed").settle_interrupted

    def chain(*statuses: str) -> list[SyncRun]:
        runs: list[SyncRun] = []
        for status in statuses:
            runs.append(
                SyncRun.objects.create(
                    company=admin.company,
                    kind=SyncRun.Kind.FULL,
                    trigger=SyncRun.Trigger.RESUME if runs else SyncRun.Trigger.SCHEDULE,
                    status=status,
                    resumed_from=runs[-1] if runs else None,
                    resumes=len(runs),
                )
            )
        return runs

    failed = chain("interrupted", "interrupted", "failed")
    done = chain("interrupted", "done")
    waiting = chain("interrupted", "queued")
    orphan = chain("interrupted")
    settle(apps, None)

    def now(runs: list[SyncRun]) -> list[str]:
        return [SyncRun.objects.get(pk=r.pk).status for r in runs]

    assert now(failed) == ["failed", "failed", "failed"]
    assert now(done) == ["resumed", "done"]
    assert now(waiting) == ["interrupted", "queued"]  # still being resumed: true as it is
    assert now(orphan) == ["failed"]  # no resume will ever come
