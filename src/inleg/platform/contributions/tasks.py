"""Background tasks (django.tasks, database backend): one per chunk of a write run's employments.

Each chunk writes its employments' two components: first collectively (the domain's ``write_many``: one
employer-wide read, collective creates and end dates), then, one by one with the domain's loop
(``write_component``), the components the collective calls cannot write or Loket refused there. One
employment's failure (Loket refuses, a record someone else made, the salary unknown) is recorded with the reason
and who must act, and the chunk goes on with the others.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from inleg.loket import LoketClient, errors
from inleg.platform.accounts.models import Company
from inleg.platform.contributions import bulk, messages, services
from inleg.platform.contributions.loket import ClientBulk, ClientWrites
from inleg.platform.contributions.models import WhoMustAct, WriteFailure, WriteRun
from inleg.platform.domain import contributions as domain
from inleg.platform.domain.contributions import LoketWrites
from inleg.platform.domain.contributions.bulk import LoketBulk, NotProcessed, Pair, pair_of, write_many
from inleg.platform.domain.errors import DomainError
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.services import client_for

log = logging.getLogger("inleg.platform.contributions")

# Tests replace these to put a crashing adapter between the writer and Loket; ``bulk_adapter`` None: every
# component goes through the per-employment loop (``write_component``).
adapter: Callable[[LoketClient], LoketWrites] = ClientWrites
bulk_adapter: Callable[[LoketClient, str], LoketBulk] | None = ClientBulk


@task()
def write_chunk(run_pk: int, employment_pks: list[int]) -> str:
    return execute_chunk(run_pk, employment_pks)


def enqueue(run_pk: int, employment_pks: list[int]) -> None:
    """Queue a chunk's task in the caller's transaction (the database backend's task row commits with it)."""
    write_chunk.enqueue(run_pk, employment_pks)


def _refusal(error: Exception) -> tuple[str, str]:
    """(reason, who must act) for a failed write, in plain Dutch; the error itself goes to the log."""
    log.info("write failed: %s: %s", type(error).__name__, error)
    reason, who = messages.refusal(error)
    return reason, str(who)


def _held_back(changes: domain.Changes, names: dict[int, str]) -> list[tuple[str, str]]:
    lines = domain.preview([changes], names)
    return [(line.text, str(line.who)) for line in lines if line.who is not None]


def execute_chunk(run_pk: int, employment_pks: list[int], *, now: Callable[[], datetime] = timezone.now) -> str:
    chunk = services.chunk_of(run_pk, employment_pks)
    if chunk.finished_at is not None:  # the task was delivered again after it ran: nothing is left to do
        return "done"
    run = WriteRun.objects.select_related("company").get(pk=run_pk)
    company = run.company
    WriteRun.objects.filter(pk=run_pk, status=WriteRun.Status.QUEUED).update(
        status=WriteRun.Status.RUNNING, started_at=timezone.now()
    )
    holder = uuid.uuid4().hex
    refused: dict[int, DomainError] = {}  # employments whose plan cannot be made (a salary that is no amount)
    try:
        connection = services.connection_of(company)
        client = client_for(connection)
        employments = list(Employment.objects.filter(company=company, pk__in=employment_pks).order_by("pk"))
        company_plan = services.plan(company, employments=employments, now=now(), client=client, refused=refused)
    except Exception as error:  # the whole chunk cannot start: each of its employments is reported
        reason, who = _refusal(error)
        log.warning("write run %s: chunk could not start: %s", run_pk, error)
        _record(
            WriteFailure(run_id=run_pk, employment_id=pk, component_key=0, reason=reason, who=who)
            for pk in employment_pks
        )
        services.chunk_finished(chunk)
        return "failed"
    for pk, problem in refused.items():
        reason, who = _refusal(problem)
        _record([WriteFailure(run_id=run_pk, employment_id=pk, component_key=0, reason=reason, who=who)])
    employments = [e for e in employments if e.pk not in refused]
    loket, journal = adapter(client), services.DbJournal(company)
    names = services.component_names(connection)
    plans = {pair_of(p): (employment, p) for employment in employments for p in company_plan.plans[employment.pk]}
    writes: dict[int, int] = {e.pk: 0 for e in employments}
    finished: set[int] = set()  # employments whose every component was written collectively
    chained = list(plans)  # the components for the per-employment loop
    counted = len(refused)  # this execution's employments done so far (the chunk's count rises to it)
    if bulk_adapter is not None and plans:
        chained = _write_collectively(
            run_pk, plans, bulk_adapter(client, connection.employer_id), company, names, holder, now, writes
        )
        pending = {plans[pair][0].pk for pair in chained}
        finished = {e.pk for e in employments if e.pk not in pending}
        counted += len(finished)
        services.chunk_progress(chunk, counted, sum(writes[pk] for pk in finished))
    for employment in employments:
        if employment.pk in finished:
            continue
        for pair in (p for p in chained if plans[p][0].pk == employment.pk):
            writes[employment.pk] += _write_one(run_pk, employment, plans[pair][1], loket, journal, names, holder, now)
        counted += 1
        services.chunk_progress(chunk, counted, writes[employment.pk])
    services.chunk_finished(chunk)
    return "done"


def _write_collectively(
    run_pk: int,
    plans: dict[Pair, tuple[Employment, domain.ComponentPlan]],
    loket: LoketBulk,
    company: Company,
    names: dict[int, str],
    holder: str,
    now: Callable[[], datetime],
    writes: dict[int, int],
) -> list[Pair]:
    """Write what Loket's collective operations can (``write_many``); the components left for the
    per-employment loop. A failure of a collective call is reported for each component it concerned."""
    taken = bulk.take_leases(plans, holder, timedelta(seconds=max(settings.CONTRIBUTIONS_STALE_AFTER_S, 300)))
    left = [pair for pair in plans if pair not in taken]  # another worker holds them: the loop waits for them
    try:
        try:
            result = write_many(
                [plans[pair][1] for pair in plans if pair in taken], loket, bulk.DbBulkJournal(company), now=now
            )
        except NotProcessed:
            reason = "Loket.nl verwerkt de opdracht nog. Schrijf straks opnieuw; Pensify leest Loket dan eerst."
            _fail_all(run_pk, plans, taken, reason, WhoMustAct.PLATFORM)
            return left
        except (errors.LoketError, DomainError) as error:
            log.warning("write run %s: a collective write failed: %s", run_pk, error)
            _fail_all(run_pk, plans, taken, *_refusal(error))
            return left
        for pair, changes in result.written.items():
            employment = plans[pair][0]
            writes[employment.pk] += result.writes[pair]
            for reason, who in _held_back(changes, names):
                _record(
                    [WriteFailure(run_id=run_pk, employment=employment, component_key=pair[1], reason=reason, who=who)]
                )
        return [*left, *(pair_of(p) for p in result.per_employment)]
    finally:
        # The per-employment loop takes (and gives back) each of its components' leases itself.
        bulk.release_leases(taken, holder)


def _record(failures: Iterable[WriteFailure]) -> None:
    """Store failure lines once: a chunk delivered twice, or executed twice at once, meets the same failures
    again, and the employer should read each once (the database's unique constraint decides)."""
    WriteFailure.objects.bulk_create(list(failures), ignore_conflicts=True)


def _fail_all(
    run_pk: int, plans: dict[Pair, tuple[Employment, domain.ComponentPlan]], pairs: set[Pair], reason: str, who: str
) -> None:
    _record(
        WriteFailure(run_id=run_pk, employment=plans[pair][0], component_key=pair[1], reason=reason, who=who)
        for pair in sorted(pairs)
    )


def _write_one(
    run_pk: int,
    employment: Employment,
    plan: domain.ComponentPlan,
    loket: LoketWrites,
    journal: services.DbJournal,
    names: dict[int, str],
    holder: str,
    now: Callable[[], datetime],
) -> int:
    key = plan.component_key

    def fail(reason: str, who: str) -> None:
        _record([WriteFailure(run_id=run_pk, employment=employment, component_key=key, reason=reason, who=who)])

    if not services.take_lock(employment.loket_id, key, holder):
        fail("Een andere verwerking schrijft dit dienstverband nog. Schrijf straks opnieuw.", WhoMustAct.PLATFORM)
        return 0
    try:
        for attempt in (1, 2):
            try:
                result = domain.write_component(plan, loket, journal, now=now)
            except errors.Conflict as error:
                if attempt == 2:  # Loket changed under us twice: report it, the next run reads again
                    fail(*_refusal(error))
                    return 0
                continue  # read Loket again and diff anew
            except (errors.LoketError, DomainError) as error:
                fail(*_refusal(error))
                return 0
            for reason, who in _held_back(result.changes, names):
                fail(reason, who)
            return result.writes
        return 0
    finally:
        services.release_lock(employment.loket_id, key, holder)
