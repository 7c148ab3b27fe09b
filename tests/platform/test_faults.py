"""Faults: Loket answering 429/5xx/slowly (the sandbox's seeded fault injection), and malformed list rows."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2
import pytest
from django.db.models import Count
from django.test import Client

from inleg.platform.accounts.models import User
from inleg.platform.employees.models import Employee, Employment, SyncRun
from tests.platform.conftest import connect, connection_of, run_tasks
from tests.platform.loket_sandbox import Sandbox
from tests.platform.test_sync import sandbox_people

pytestmark = pytest.mark.django_db(transaction=True)

FAULTS = "429=0.12,500=0.06,503=0.12,slow=0.05,slow_s=0.4,retry_after=1,seed=11"


@pytest.fixture(scope="module")
def faulty() -> Iterator[Sandbox]:
    server = Sandbox(employers=2, employees=40, faults=FAULTS)
    yield server
    server.stop()


@pytest.fixture
def on_faulty(faulty: Sandbox, settings: Any) -> Sandbox:
    settings.LOKET_OAUTH_URL = faulty.url
    settings.LOKET_API_URL = faulty.url + "/v2"
    settings.SYNC_RESUME_DELAY_S = 0
    settings.LOKET_MAX_ATTEMPTS = 8
    return faulty


def whole_employees(admin: User) -> bool:
    """Every employee stored has at least one employment: nothing half-written."""
    return not Employee.objects.filter(company=admin.company).annotate(n=Count("employments")).filter(n=0).exists()


def test_import_completes_through_429_5xx_and_slow_answers(web: Client, admin: User, on_faulty: Sandbox) -> None:
    connect(web, "koppeling")
    assert connection_of(admin).state == "active"
    run_tasks()
    run = SyncRun.objects.filter(company=admin.company).latest("pk")
    assert run.status == SyncRun.Status.DONE, run.errors
    truth = sandbox_people(on_faulty)
    assert set(Employee.objects.filter(company=admin.company).values_list("loket_id", flat=True)) == set(
        truth["people"]
    )
    assert set(Employment.objects.filter(company=admin.company).values_list("loket_id", flat=True)) == set(
        truth["jobs"]
    )


def test_an_import_that_loket_interrupts_stops_cleanly_and_resumes(
    web: Client, admin: User, on_faulty: Sandbox, settings: Any
) -> None:
    connect(web, "koppeling")
    settings.LOKET_MAX_ATTEMPTS = 1  # no retries inside the client: the first fault interrupts the run
    # A run makes five list calls (versions, employees, employments, wages, hours), each failing about one time in
    # three here: a run gets through about one time in nine, so it may take more resumes than the default five.
    settings.SYNC_MAX_RESUMES = 20
    statuses: list[str] = []
    for _ in range(40):
        run_tasks()
        assert whole_employees(admin)
        runs = SyncRun.objects.filter(company=admin.company).order_by("pk")
        statuses = [r.status for r in runs]
        if not any(r.is_open for r in runs):
            break
    assert SyncRun.Status.RESUMED in statuses  # the faults did interrupt it, and a resume completed it
    assert SyncRun.Status.INTERRUPTED not in statuses  # nothing is waiting for a resume any more
    assert statuses[-1] == SyncRun.Status.DONE
    resumed = SyncRun.objects.filter(company=admin.company).latest("pk")
    assert resumed.trigger == SyncRun.Trigger.RESUME
    assert resumed.resumed_from is not None
    truth = sandbox_people(on_faulty)
    assert Employee.objects.filter(company=admin.company).count() == len(truth["people"])
    assert Employment.objects.filter(company=admin.company).count() == len(truth["jobs"])
    interrupted = SyncRun.objects.filter(company=admin.company, status=SyncRun.Status.RESUMED).first()
    assert interrupted is not None
    assert any(e["reason"].startswith(("RateLimited", "ServerError")) for e in interrupted.errors)
    page = web.get(f"/employees/syncs/{interrupted.pk}/").content.decode()
    assert "onderbroken, afgerond na hervatten" in page
    assert "wordt hervat" not in page
    assert 'http-equiv="refresh"' not in page


def work_off(admin: User) -> None:
    """Run tasks until no run of the company waits or runs (resumes are queued by the runs they resume)."""
    for _ in range(10):
        run_tasks()
        if not SyncRun.objects.filter(company=admin.company, status__in=("queued", "running")).exists():
            return
    raise AssertionError("runs still waiting after ten rounds of the worker")


def chain_of(run: SyncRun) -> list[SyncRun]:
    """The run and the resumes after it, in order."""
    chain = [run]
    while (resume := SyncRun.objects.filter(resumed_from=chain[-1]).first()) is not None:
        chain.append(resume)
    return chain


def test_an_interrupted_sync_whose_resumes_give_up_says_mislukt(
    web: Client, admin: User, on_faulty: Sandbox, settings: Any
) -> None:
    from inleg.platform.employees.sync import request_sync

    connect(web, "koppeling")
    settings.LOKET_MAX_ATTEMPTS = 1  # the first fault interrupts a run
    settings.SYNC_MAX_RESUMES = 2  # a run and two resumes, then give up
    given_up: list[SyncRun] = []
    for _ in range(40):  # the faults are random (seeded): sync until a chain has been interrupted three times
        work_off(admin)
        first = SyncRun.objects.filter(company=admin.company).exclude(trigger=SyncRun.Trigger.RESUME).latest("pk")
        chain = chain_of(first)
        if len(chain) == 3 and chain[-1].status == SyncRun.Status.FAILED:
            given_up = chain
            break
        request_sync(admin.company, SyncRun.Kind.FULL, SyncRun.Trigger.MANUAL)
    assert given_up, "no sync was interrupted three times in a row"
    last = given_up[-1]
    assert last.resumes == 2
    assert any(e["reason"].startswith(("RateLimited", "ServerError")) for e in last.errors)
    # The runs it resumed were interrupted, and their resume failed: they failed, they are not being resumed.
    assert [r.status for r in given_up] == [SyncRun.Status.FAILED] * 3
    assert not SyncRun.objects.filter(company=admin.company, status=SyncRun.Status.INTERRUPTED).exists()
    page = web.get(f"/employees/syncs/{given_up[0].pk}/").content.decode()
    assert "mislukt" in page
    assert "wordt hervat" not in page
    assert 'http-equiv="refresh"' not in page  # nothing to wait for
    assert "Start opnieuw met ‘Nu synchroniseren’" in page  # what to do
    listing = web.get("/employees/syncs/").content.decode()
    assert "wordt hervat" not in listing


def test_an_interrupted_sync_whose_resume_fails_says_mislukt(
    web: Client, admin: User, on_faulty: Sandbox, settings: Any
) -> None:
    from inleg.platform.employees.sync import execute, request_sync

    connect(web, "koppeling")
    settings.LOKET_MAX_ATTEMPTS = 1
    settings.SYNC_RESUME_DELAY_S = 3600  # the resume waits: the worker in batch mode leaves it queued
    for _ in range(40):
        run_tasks()
        interrupted = SyncRun.objects.filter(company=admin.company, status=SyncRun.Status.INTERRUPTED).first()
        if interrupted is not None:
            break
        request_sync(admin.company, SyncRun.Kind.FULL, SyncRun.Trigger.MANUAL)
    assert interrupted is not None, "no sync was interrupted"
    waiting = web.get(f"/employees/syncs/{interrupted.pk}/").content.decode()
    assert "wordt hervat" in waiting  # true now: its resume is queued
    resume = SyncRun.objects.get(resumed_from=interrupted)
    assert resume.status == SyncRun.Status.QUEUED
    web.post("/company/integrations/loket/disconnect/")  # the employer disconnects before the resume runs
    assert execute(resume.pk) == SyncRun.Status.FAILED
    interrupted.refresh_from_db()
    assert interrupted.status == SyncRun.Status.FAILED
    page = web.get(f"/employees/syncs/{interrupted.pk}/").content.decode()
    assert "mislukt" in page
    assert "wordt hervat" not in page
    assert "De koppeling met Loket.nl vraagt aandacht" in page


class Garbler:
    """A real HTTP hop between the platform and the sandbox that spoils some list rows and adds unknown fields.

    Loket may send rows the client cannot read; the sandbox always sends good ones, so this hop makes bad ones.
    """

    def __init__(self, upstream: str, *, one_employment: bool = False) -> None:
        self.upstream = upstream
        self.one_employment = one_employment  # also spoil an employment read on its own
        garbler = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "accept")}
                answer = httpx2.get(garbler.upstream + self.path, headers=headers, timeout=30)
                body = answer.content
                if answer.status_code == 200 and "/employees" in self.path and "lastmodified" not in self.path:
                    body = json.dumps(garbler.spoil(self.path, json.loads(body))).encode()
                self.send_response(answer.status_code)
                for name in ("Content-Type", "ETag", "Retry-After"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.spoiled: dict[str, str] = {}

    def spoil(self, path: str, document: dict[str, Any]) -> dict[str, Any]:
        if self.one_employment and "/employments/" in path and isinstance(document.get("content"), dict):
            del document["content"]["startDate"]
            self.spoiled["one employment"] = document["content"]["id"]
            return document
        items = document.get("_embedded") or []
        for item in items:
            item["eenNieuwVeld"] = {"dat": "de client niet kent"}  # unknown fields are ignored
        if path.split("?")[0].endswith("/employees") and len(items) > 2:
            items[1]["personalDetails"]["dateOfBirth"] = "31-02-1980"
            self.spoiled["employee"] = items[1]["id"]
        if path.split("?")[0].endswith("/employments") and len(items) > 3:
            del items[3]["startDate"]
            self.spoiled["employment"] = items[3]["id"]
        return document

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_malformed_rows_are_reported_and_skipped_and_the_rest_imported(
    web: Client, admin: User, loket: Sandbox, settings: Any
) -> None:
    garbler = Garbler(loket.url)
    try:
        settings.LOKET_API_URL = garbler.url + "/v2"
        connect(web, "koppeling")
        run_tasks()
    finally:
        garbler.stop()
    run = SyncRun.objects.filter(company=admin.company).latest("pk")
    assert run.status == SyncRun.Status.DONE
    bad_person, bad_job = garbler.spoiled["employee"], garbler.spoiled["employment"]
    truth = sandbox_people(loket)
    stored_people = set(Employee.objects.filter(company=admin.company).values_list("loket_id", flat=True))
    stored_jobs = set(Employment.objects.filter(company=admin.company).values_list("loket_id", flat=True))
    assert stored_people == set(truth["people"]) - {bad_person}
    # The spoiled employment is skipped, and so are the employments of the spoiled employee (they have no owner).
    assert bad_job not in stored_jobs
    assert stored_jobs < set(truth["jobs"])
    assert len(stored_jobs) >= len(truth["jobs"]) - 3
    reasons = " | ".join(f"{e['where']}: {e['reason']}" for e in run.errors)
    assert "personalDetails.dateOfBirth: not a date: '31-02-1980'" in reasons
    assert bad_person in reasons
    assert "startDate: missing" in reasons
    assert run.counts["skipped"] >= 2
    page = web.get(f"/employees/syncs/{run.pk}/").content.decode()
    assert "31-02-1980" in page


def test_rows_loket_sends_that_cannot_be_read_are_not_called_gone(
    web: Client, admin: User, loket: Sandbox, settings: Any
) -> None:
    connect(web, "koppeling")
    run_tasks()  # a clean import first
    garbler = Garbler(loket.url)
    try:
        settings.LOKET_API_URL = garbler.url + "/v2"
        web.post("/company/integrations/loket/sync/", {"full": "1"})
        run_tasks()
    finally:
        garbler.stop()
    run = SyncRun.objects.filter(company=admin.company).latest("pk")
    assert (run.kind, run.status) == (SyncRun.Kind.FULL, SyncRun.Status.DONE)
    assert {"employee", "employment"} <= set(garbler.spoiled)
    assert run.counts["skipped"] >= 2
    # Unreadable this time is not gone from Loket: nobody is marked "niet meer in Loket.nl".
    assert (run.counts["employees_gone"], run.counts["employments_gone"]) == (0, 0)
    assert not Employee.objects.filter(company=admin.company, gone_from_loket_at__isnull=False).exists()
    assert not Employment.objects.filter(company=admin.company, gone_from_loket_at__isnull=False).exists()


def test_an_unreadable_employment_read_on_its_own_is_skipped_not_a_failed_run(
    web: Client, admin: User, loket: Sandbox, settings: Any
) -> None:
    connect(web, "koppeling")
    run_tasks()
    job = Employment.objects.filter(company=admin.company, end_date__isnull=True).order_by("loket_id").first()
    assert job is not None
    loket.orm(
        "from datetime import date\nfrom inleg.sandbox.core.models import Employment\n"
        f"job = Employment.objects.get(id='{job.loket_id}')\njob.end_date = date(2026, 10, 31)\njob.save()\n"
    )
    garbler = Garbler(loket.url, one_employment=True)
    try:
        settings.LOKET_API_URL = garbler.url + "/v2"
        web.post("/company/integrations/loket/sync/")
        run_tasks()
    finally:
        garbler.stop()
    run = SyncRun.objects.filter(company=admin.company).latest("pk")
    assert run.kind == SyncRun.Kind.INCREMENTAL
    assert garbler.spoiled["one employment"] == job.loket_id
    assert run.status == SyncRun.Status.DONE, run.errors
    assert run.counts["skipped"] == 1
    assert any(e["where"] == f"employment {job.loket_id}" and "startDate: missing" in e["reason"] for e in run.errors)
    job.refresh_from_db()
    assert job.end_date is None  # not written: it could not be read
