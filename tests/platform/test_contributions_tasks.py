"""The write run's tasks: every failure line is plain Dutch saying what happened and who must act, and a chunk's
task delivered twice (one after the other, or at once on PostgreSQL) counts its employments and itself once."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection as database

from inleg.loket import errors
from inleg.platform.accounts.models import User
from inleg.platform.contributions import messages, services, tasks
from inleg.platform.contributions.models import WhoMustAct, WriteChunk, WriteFailure, WriteRun
from inleg.platform.domain.contributions.errors import InvalidSalary, NoOpenPeriod
from inleg.platform.domain.money import Cents, InvalidAmount
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.models import LoketConnection
from tests.platform.test_contributions_writes import coupled, loket_holds_the_plan, own_loket

__all__ = ["coupled", "own_loket"]  # the fixtures, shared with the writes' module

# Words of the domain's and the client's own messages (English, for the log) that a failure line never shows.
RAW = ("Error", "error", " is not ", "POST ", "/v2/", "http", "Onverwachte", "salary", "cents")


@pytest.mark.parametrize(
    ("error", "who", "says"),
    [
        (errors.Forbidden("POST", "http://x/v2/a", 403, "Forbidden"), "werkgever", "recht"),
        (errors.Unauthorized("GET", "http://x/v2/a", 401, "invalid_token"), "werkgever", "autoriseer Loket.nl"),
        (errors.InvalidGrant("invalid_grant"), "werkgever", "autoriseer Loket.nl"),
        (errors.Conflict("PUT", "http://x/v2/a", 409, "etag"), "platform", "Schrijf opnieuw"),
        (errors.ServerError("GET", "http://x/v2/a", 503, "busy"), "platform", "later opnieuw"),
        (errors.MalformedResponse("GET http://x/v2/a: not JSON"), "platform", "Pensify"),
        (services.NotReady("loket", "", "de koppeling met Loket.nl is niet actief"), "werkgever", "koppeling"),
        (InvalidSalary("salary", Cents(-100), "is not an amount of at least 0.00"), "salarisadministrateur", "salaris"),
        (InvalidAmount("salary", "abc", "is not an amount in euros"), "salarisadministrateur", "Het salaris"),
        (NoOpenPeriod("periods", "", "has no open period"), "salarisadministrateur", "loonperiode"),
        (KeyError("employment"), "platform", "Pensify"),
    ],
)
def test_a_failure_says_in_dutch_what_happened_and_who_must_act(error: Exception, who: str, says: str) -> None:
    reason, must_act = messages.refusal(error)
    assert (must_act, says in reason) == (who, True), reason
    assert not [word for word in RAW if word in reason], reason
    assert type(error).__name__ not in reason


def test_loket_s_own_words_for_a_refused_value_are_kept() -> None:
    reason, who = messages.refusal(
        errors.BadRequest("POST", "http://x/v2/a", 400, "De datum valt buiten het dienstverband.")
    )
    assert reason == (
        "Loket.nl weigert de waarde: De datum valt buiten het dienstverband. Controleer dit dienstverband in Loket.nl."
    )
    assert who == WhoMustAct.SALARISADMINISTRATEUR


pytestmark = pytest.mark.django_db(transaction=True)


def _chunks(user: User, settings: Any, size: int) -> tuple[WriteRun, list[list[int]]]:
    settings.CONTRIBUTIONS_CHUNK = size
    queued: list[tuple[int, list[int]]] = []
    services.use_queue(lambda run_pk, pks: queued.append((run_pk, pks)))
    try:
        run = services.request_writes(user.company, user)
    finally:
        services.use_queue(tasks.enqueue)
    return run, [pks for run_pk, pks in queued if run_pk == run.pk]


def test_one_employment_s_bad_salary_fails_only_that_employment_in_plain_dutch(coupled: User, settings: Any) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, percent=Decimal("3"))
    jobs = services.writable_employments(company)
    Employment.objects.filter(pk=jobs[0].pk).update(salary=Decimal("-10.00"))  # as a sync might store it
    run, chunks = _chunks(coupled, settings, 100)
    [chunk] = chunks
    tasks.execute_chunk(run.pk, chunk)
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == (WriteRun.Status.DONE_WITH_FAILURES, len(jobs), len(jobs))
    [failure] = WriteFailure.objects.filter(run=run)
    assert (failure.employment_id, failure.who) == (jobs[0].pk, "salarisadministrateur")
    assert failure.reason == (
        "Het salaris “€ -10,00” is onbekend of ongeldig. De salarisadministrateur legt het vast in Loket.nl."
    )
    assert not [word for word in RAW if word in failure.reason], failure.reason
    assert run.writes > 0  # the others were written


def test_a_chunk_executed_again_before_it_finished_reports_each_failure_once(coupled: User, settings: Any) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, percent=Decimal("3"))
    jobs = services.writable_employments(company)
    Employment.objects.filter(pk=jobs[0].pk).update(salary=Decimal("-10.00"))
    run, [chunk] = _chunks(coupled, settings, 100)
    tasks.execute_chunk(run.pk, chunk)
    # A second execution that passed the "finished?" check while the first still ran (two workers at once).
    WriteChunk.objects.filter(run=run).update(finished_at=None)
    tasks.execute_chunk(run.pk, chunk)
    assert WriteFailure.objects.filter(run=run).count() == 1


def test_a_chunk_that_cannot_start_names_the_cause_in_dutch(coupled: User, settings: Any) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    run, [chunk] = _chunks(coupled, settings, 100)
    LoketConnection.objects.filter(company=company).update(state="revoked")  # the consent went meanwhile
    assert tasks.execute_chunk(run.pk, chunk) == "failed"
    reasons = set(WriteFailure.objects.filter(run=run).values_list("reason", "who"))
    assert reasons == {("Nog niet klaar om in te leggen: de koppeling met Loket.nl is niet actief.", "werkgever")}
    run.refresh_from_db()
    assert (run.status, run.done) == (WriteRun.Status.DONE_WITH_FAILURES, run.total)


def test_a_chunk_delivered_twice_counts_once_and_does_not_end_the_run_early(coupled: User, settings: Any) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    run, chunks = _chunks(coupled, settings, 3)
    assert len(chunks) >= 2
    tasks.execute_chunk(run.pk, chunks[0])
    tasks.execute_chunk(run.pk, chunks[0])  # the same task again
    run.refresh_from_db()
    assert (run.done, run.chunks_done, run.status) == (len(chunks[0]), 1, WriteRun.Status.RUNNING)
    writes = run.writes
    for pks in chunks[1:]:
        tasks.execute_chunk(run.pk, pks)
        tasks.execute_chunk(run.pk, pks)
    run.refresh_from_db()
    assert (run.done, run.total, run.chunks_done) == (
        run.total,
        len(services.writable_employments(company)),
        run.chunks,
    )
    assert run.status == WriteRun.Status.DONE
    assert writes > 0
    assert run.writes >= writes
    assert set(WriteChunk.objects.filter(run=run).values_list("done", "size")) <= {(len(p), len(p)) for p in chunks}
    loket_holds_the_plan(coupled)


def test_a_chunk_run_twice_at_once_on_postgresql_counts_once(coupled: User, settings: Any) -> None:
    if database.vendor != "postgresql":
        pytest.skip("two executions at once need PostgreSQL's row locks; SQLite serialises every writer")
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    run, [chunk] = _chunks(coupled, settings, 100)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            tasks.execute_chunk(run.pk, chunk)
        except BaseException as error:  # reported to the test's thread
            failures.append(error)
        finally:
            database.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []
    run.refresh_from_db()
    assert (run.done, run.chunks_done, run.status) == (run.total, 1, WriteRun.Status.DONE)
    loket_holds_the_plan(coupled)
