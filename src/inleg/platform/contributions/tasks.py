"""Background tasks (django.tasks, database backend): one per chunk of a write run's employments.

Each chunk writes its employments' two components with the domain's loop (``write_component``). One
employment's failure (Loket refuses, a record someone else made, the salary unknown) is recorded with the reason
and who must act, and the chunk goes on with the others.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from django.db.models import F
from django.tasks import task
from django.utils import timezone

from inleg.loket import LoketClient, errors
from inleg.platform.contributions import services
from inleg.platform.contributions.loket import ClientWrites
from inleg.platform.contributions.models import WhoMustAct, WriteFailure, WriteRun
from inleg.platform.domain import contributions as domain
from inleg.platform.domain.contributions import LoketWrites
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.services import client_for

log = logging.getLogger("inleg.platform.contributions")

# Tests replace this to put a crashing adapter between the loop and Loket.
adapter: Callable[[LoketClient], LoketWrites] = ClientWrites


@task()
def write_chunk(run_pk: int, employment_pks: list[int]) -> str:
    return execute_chunk(run_pk, employment_pks)


def enqueue(run_pk: int, employment_pks: list[int]) -> None:
    """Queue a chunk's task in the caller's transaction (the database backend's task row commits with it)."""
    write_chunk.enqueue(run_pk, employment_pks)


def _refusal(error: Exception) -> tuple[str, str]:
    """(reason, who must act) for a failed write, in plain Dutch."""
    if isinstance(error, errors.Forbidden):
        return (
            "Loket.nl weigert het schrijven: de gekoppelde Loket-gebruiker mist het recht op vaste gegevens "
            f"({error.status}). Geef die gebruiker het recht in Loket.nl.",
            WhoMustAct.WERKGEVER,
        )
    if isinstance(error, errors.Conflict):
        return (
            "Loket.nl had de waarde tussendoor gewijzigd. Schrijf opnieuw; Pensify leest Loket dan eerst opnieuw.",
            WhoMustAct.PLATFORM,
        )
    if isinstance(error, errors.BadRequest | errors.NotFound):
        detail = str(getattr(error, "detail", "") or error)
        return (f"Loket.nl weigert de waarde: {detail}", WhoMustAct.SALARISADMINISTRATEUR)
    if isinstance(error, errors.RateLimited | errors.ServerError | errors.TransportError):
        return ("Loket.nl was niet bereikbaar. Schrijf later opnieuw.", WhoMustAct.PLATFORM)
    return (f"Onverwachte fout bij Pensify ({error.__class__.__name__}). Wij zoeken het uit.", WhoMustAct.PLATFORM)


def _held_back(changes: domain.Changes, names: dict[int, str]) -> list[tuple[str, str]]:
    lines = domain.preview([changes], names)
    return [(line.text, str(line.who)) for line in lines if line.who is not None]


def execute_chunk(run_pk: int, employment_pks: list[int], *, now: Callable[[], datetime] = timezone.now) -> str:
    run = WriteRun.objects.select_related("company").get(pk=run_pk)
    company = run.company
    WriteRun.objects.filter(pk=run_pk, status=WriteRun.Status.QUEUED).update(
        status=WriteRun.Status.RUNNING, started_at=timezone.now()
    )
    holder = uuid.uuid4().hex
    try:
        connection = services.connection_of(company)
        client = client_for(connection)
        employments = list(Employment.objects.filter(company=company, pk__in=employment_pks).order_by("pk"))
        company_plan = services.plan(company, employments=employments, now=now(), client=client)
    except Exception as error:  # the whole chunk cannot start: each of its employments is reported
        reason, who = _refusal(error) if not isinstance(error, domain.ContributionError) else (str(error), "werkgever")
        log.warning("write run %s: chunk could not start: %s", run_pk, error)
        for pk in employment_pks:
            WriteFailure.objects.create(run_id=run_pk, employment_id=pk, component_key=0, reason=reason, who=who)
        WriteRun.objects.filter(pk=run_pk).update(done=F("done") + len(employment_pks))
        services.chunk_finished(run_pk)
        return "failed"
    loket, journal = adapter(client), services.DbJournal(company)
    names = services.component_names(connection)
    for employment in employments:
        writes = 0
        for component_plan in company_plan.plans[employment.pk]:
            writes += _write_one(run_pk, employment, component_plan, loket, journal, names, holder, now)
        WriteRun.objects.filter(pk=run_pk).update(
            done=F("done") + 1, writes=F("writes") + writes, progress_at=timezone.now()
        )
    services.chunk_finished(run_pk)
    return "done"


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
        WriteFailure.objects.create(run_id=run_pk, employment=employment, component_key=key, reason=reason, who=who)

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
            except (errors.LoketError, domain.ContributionError) as error:
                fail(*_refusal(error))
                return 0
            for reason, who in _held_back(result.changes, names):
                fail(reason, who)
            return result.writes
        return 0
    finally:
        services.release_lock(employment.loket_id, key, holder)
