"""Writes under Loket's faults (the sandbox's fault injection) and two workers at once on PostgreSQL: the end
state is the plan, and nothing is written twice."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from inleg.platform.accounts.models import User
from inleg.platform.contributions import services, tasks
from inleg.platform.contributions.models import JournalEntry, WriteRun
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import SyncRun
from tests.platform.conftest import connect, connection_of, run_tasks, sandbox_with_periods
from tests.platform.loket_sandbox import Sandbox
from tests.platform.test_contributions_writes import GROSS, NET, coupled, held, loket_holds_the_plan, own_loket

__all__ = ["coupled", "own_loket"]  # the fixtures, shared with the writes' module

pytestmark = pytest.mark.django_db(transaction=True)

FAULTS = "429=0.1,500=0.08,503=0.1,slow=0.03,slow_s=0.3,retry_after=0,seed=23"


@pytest.fixture(scope="module")
def faulty_loket() -> Iterator[Sandbox]:
    server = sandbox_with_periods(employees=12, faults=FAULTS)
    server.orm(  # a clean start on our two components
        "from inleg.sandbox.core.models import BenefitDeduction\n"
        f"BenefitDeduction.objects.filter(component__key__in=({GROSS}, {NET})).delete()\n"
    )
    yield server
    server.stop()


def created_once(user: User) -> None:
    """Every record the journal says Pensify created, it created once: one create per (employment, component,
    start) that succeeded."""
    creates = Counter(
        (e.employment_id, e.component_key, e.start)
        for e in JournalEntry.objects.filter(company=user.company, action="create", status="done")
    )
    assert [key for key, n in creates.items() if n > 1] == []


def test_writes_under_faults_end_in_the_plan_without_duplicates(
    web: Client, admin: User, faulty_loket: Sandbox, settings: Any
) -> None:
    settings.LOKET_OAUTH_URL = faulty_loket.url
    settings.LOKET_API_URL = faulty_loket.url + "/v2"
    settings.SYNC_RESUME_DELAY_S = 0
    settings.LOKET_MAX_ATTEMPTS = 8
    connect(web, "koppeling")
    for _ in range(20):  # the import itself may be interrupted by the faults: resumed until done
        run_tasks()
        if not any(r.is_open for r in SyncRun.objects.filter(company=admin.company)):
            break
    assert (connection_of(admin).component_key, connection_of(admin).net_component_key) == (GROSS, NET)
    company = admin.company
    services.set_scheme(company, admin, amount=Cents(5000))
    services.set_net_amount(services.writable_employments(company)[0], admin, Cents(2500))
    settings.LOKET_MAX_ATTEMPTS = 3  # few retries inside the client: some faults reach the write loop
    statuses = []
    for _ in range(30):
        run = services.request_writes(company, admin)
        run_tasks()
        run.refresh_from_db()
        statuses.append(run.status)
        if run.status == WriteRun.Status.DONE:
            break
    reasons = list(run.failures.values_list("employment__loket_id", "component_key", "reason"))
    assert statuses[-1] == WriteRun.Status.DONE, (statuses, reasons)
    settings.LOKET_MAX_ATTEMPTS = 8  # reading back what Loket holds, through the faults
    loket_holds_the_plan(admin)
    created_once(admin)
    assert services.request_writes(company, admin).pk  # and a run with nothing changed writes nothing
    run_tasks()
    assert WriteRun.objects.filter(company=company).latest("pk").writes == 0


def test_two_workers_at_once_on_postgresql_write_nothing_twice(coupled: User, settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two workers at once need PostgreSQL's row locks; SQLite serialises every writer")
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    services.set_net_amount(services.writable_employments(company)[1], coupled, Cents(1500))
    # The first run's worker is slow, not dead, when the second run is asked for: the first counts as lost and
    # a second run starts. Both workers then write the same employments at the same moment.
    settings.CONTRIBUTIONS_STALE_AFTER_S = -1
    first = services.request_writes(company, coupled)
    second = services.request_writes(company, coupled)
    assert first.pk != second.pk
    pks = [e.pk for e in services.writable_employments(company)]
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def worker(run_pk: int) -> None:
        try:
            start.wait()
            tasks.execute_chunk(run_pk, pks)
        except BaseException as error:  # reported to the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(run.pk,)) for run in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []
    loket_holds_the_plan(coupled)
    created_once(coupled)
    for employment in services.writable_employments(company):  # Loket has no second record anywhere
        records = held(coupled, employment, GROSS)
        assert len(records) == len(set(records)), employment.loket_id
