"""The property at platform level, against the real sandbox over HTTP: for random sequences of scheme changes,
stops, leavers (the end date as the sync writes it), net amounts and crashes around a write call, each followed
by a write run, a final clean run leaves Loket holding exactly the plan; nothing is created twice; a record
someone else made on our component is never touched.

Few examples (each resets the sandbox's records and the platform's journal): the domain's own property test
(tests/platform/domain/test_contributions_property.py) explores the space widely against a fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from inleg.platform.accounts.models import User
from inleg.platform.contributions import services, tasks
from inleg.platform.contributions.loket import ClientWrites
from inleg.platform.contributions.models import JournalEntry, Version, WriteFailure, WriteLock, WriteRun
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.services import client_for
from tests.platform.conftest import connection_of, run_tasks
from tests.platform.domain.fake_loket import Crash, CrashingLoket
from tests.platform.loket_sandbox import Sandbox
from tests.platform.test_contributions_scale import created_once
from tests.platform.test_contributions_writes import GROSS, NET, coupled, held, own_loket, wanted

__all__ = ["coupled", "own_loket"]  # the fixtures, shared with the writes' module

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Scheme:
    offset: int
    cents: int
    only_first: bool


@dataclass(frozen=True)
class Stop:
    offset: int


@dataclass(frozen=True)
class Net:
    who: int
    cents: int


@dataclass(frozen=True)
class Leave:
    who: int
    days: int  # after the first open period's start


@dataclass(frozen=True)
class CrashAt:
    at: int
    when: Literal["before", "after"]


steps = st.one_of(
    st.builds(Scheme, st.integers(0, 2), st.sampled_from([0, 2500, 5000]), st.booleans()),
    st.builds(Stop, st.integers(0, 2)),
    st.builds(Net, st.integers(0, 1), st.sampled_from([0, 1500])),
    st.builds(Leave, st.integers(0, 1), st.integers(0, 70)),
)
rounds = st.lists(st.tuples(steps, st.one_of(st.none(), st.builds(CrashAt, st.integers(1, 3),
                                                                  st.sampled_from(["before", "after"])))),
                  min_size=1, max_size=5)  # fmt: skip


def reset(user: User, sandbox: Sandbox, originals: dict[int, Any]) -> None:
    """A clean start for one example: no records of ours in Loket, no history, no journal; the employments'
    end dates as Loket has them."""
    company = user.company
    sandbox.orm(
        "from decimal import Decimal\n"
        "from inleg.sandbox.core.models import BenefitDeduction\n"
        f"BenefitDeduction.objects.filter(component__key__in=({GROSS}, {NET}))"
        ".exclude(value=Decimal('12.34')).delete()\n"  # someone else's record stays
    )
    for model in (Version, JournalEntry, WriteRun):
        model.objects.filter(company=company).delete()
    WriteLock.objects.all().delete()
    for pk, end in originals.items():
        Employment.objects.filter(pk=pk).update(end_date=end)


def apply(user: User, step: object) -> None:
    company = user.company
    periods, _ = services.payroll_periods(company)
    ordered = sorted(periods, key=lambda p: p.key)
    first = services.effective_period(company)
    jobs = services.writable_employments(company)

    def start(offset: int) -> Any:
        return ordered[ordered.index(first) + offset].key

    match step:
        case Scheme(offset, cents, only_first):
            group = [jobs[0].pk] if only_first else None
            services.set_scheme(company, user, amount=Cents(cents), group=group, from_period=start(offset))
        case Stop(offset):
            services.stop_scheme(company, user, from_period=start(offset))
        case Net(who, cents):
            services.set_net_amount(jobs[who], user, Cents(cents))
        case Leave(who, days):
            job = jobs[who]
            end = max(first.start + timedelta(days=days), job.start_date)
            Employment.objects.filter(pk=job.pk).update(end_date=end)  # as the sync writes a leaver's end date


def write_run(user: User, crash: CrashAt | None, monkeypatch: pytest.MonkeyPatch) -> None:
    company = user.company
    if crash is None:
        run = services.request_writes(company, user)
        run_tasks()
        return
    monkeypatch.setattr(tasks, "adapter", lambda client: CrashingLoket(ClientWrites(client), crash.at, crash.when))
    run = services.request_writes(company, user)
    try:
        tasks.execute_chunk(run.pk, [e.pk for e in services.writable_employments(company)])
    except Crash:
        pass  # the worker died: the run stays open until it counts as lost
    finally:
        monkeypatch.setattr(tasks, "adapter", ClientWrites)
    # The queued task of the crashed run must not run later as if nothing happened: it is dropped with the run.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()


@hypothesis_settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(sequence=rounds)
def test_loket_ends_holding_the_plan_whatever_happened(
    coupled: User, own_loket: Sandbox, monkeypatch: pytest.MonkeyPatch, settings: Any, sequence: list[Any]
) -> None:
    settings.CONTRIBUTIONS_STALE_AFTER_S = -1  # a crashed run lost its worker: the next request fails it
    company = coupled.company
    jobs = services.writable_employments(company)
    originals = {e.pk: Employment.objects.get(pk=e.pk).end_date for e in jobs}
    reset(coupled, own_loket, originals)
    # Someone else's record on our component, on the last employment: never touched, reported as a conflict.
    victim = next(j for j in reversed(jobs[2:]) if j.end_date is None)
    client = client_for(connection_of(coupled))
    first = services.effective_period(company)
    theirs = next((r for r in client.benefits_and_deductions(victim.loket_id, GROSS) if r.value == Decimal("12.34")),
                  None) or client.create_benefit_and_deduction(victim.loket_id, GROSS, max(victim.start_date,
                  first.start - timedelta(days=40)), Decimal("12.34"))  # fmt: skip
    theirs = client.benefit_and_deduction(theirs.id)
    for step, crash in sequence:
        apply(coupled, step)
        write_run(coupled, crash, monkeypatch)
    run = services.request_writes(company, coupled)
    run_tasks()
    run.refresh_from_db()
    assert run.status in (WriteRun.Status.DONE, WriteRun.Status.DONE_WITH_FAILURES)
    others = [f for f in WriteFailure.objects.filter(run=run) if f.employment_id != victim.pk]
    assert others == [], [f.reason for f in others]
    company_plan = services.plan(company)
    for employment in services.writable_employments(company):
        gross, net = company_plan.plans[employment.pk]
        if employment.pk != victim.pk:
            assert held(coupled, employment, GROSS) == wanted(gross), employment.loket_id
        assert held(coupled, employment, NET) == wanted(net), employment.loket_id
    after = client.benefit_and_deduction(theirs.id)
    assert (after.start_date, after.end_date, after.value, after.etag) == (
        theirs.start_date, theirs.end_date, theirs.value, theirs.etag
    )  # fmt: skip
    created_once(coupled)
    again = services.request_writes(company, coupled)
    run_tasks()
    again.refresh_from_db()
    assert again.writes == 0
