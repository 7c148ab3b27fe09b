"""The collective write path against a real sandbox over HTTP: a crash between the collective create and its
settlement, a foreign record the employer-wide read cannot see, and nothing written when nothing changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from inleg.loket import LoketClient
from inleg.platform.accounts.models import User
from inleg.platform.contributions import services, tasks
from inleg.platform.contributions.loket import ClientBulk
from inleg.platform.contributions.models import JournalEntry, WriteFailure, WriteRun
from inleg.platform.domain.contributions.bulk import Outcome
from inleg.platform.domain.contributions.diff import Create, HeldRecord, Update
from inleg.platform.domain.money import Cents
from inleg.platform.integrations.services import client_for
from tests.platform.conftest import connection_of
from tests.platform.domain.fake_loket import Crash
from tests.platform.test_contributions_writes import (  # noqa: F401 (fixtures)
    GROSS,
    coupled,
    held,
    loket_holds_the_plan,
    own_loket,
    write,
)

pytestmark = pytest.mark.django_db(transaction=True)


class CrashAfterCreate:
    """Loket makes the collective create; the process dies before the answer is recorded."""

    def __init__(self, loket: ClientBulk) -> None:
        self.loket = loket
        self.created = 0

    def held_on(self, day: date, component_keys: Any) -> Sequence[HeldRecord]:
        return self.loket.held_on(day, component_keys)

    def create_many(self, creates: Sequence[Create]) -> Outcome:
        self.loket.create_many(creates)
        self.created += len(creates)
        raise Crash("after the collective create")

    def end_many(self, ends: Sequence[Update]) -> Outcome:
        return self.loket.end_many(ends)


class CountingBulk(ClientBulk):
    calls: list[str]

    def __init__(self, client: LoketClient, employer_id: str) -> None:
        super().__init__(client, employer_id)
        CountingBulk.calls = []

    def held_on(self, day: date, component_keys: Any) -> list[HeldRecord]:
        CountingBulk.calls.append("read")
        return super().held_on(day, component_keys)

    def create_many(self, creates: Sequence[Create]) -> Outcome:
        CountingBulk.calls.append("create")
        return super().create_many(creates)

    def end_many(self, ends: Sequence[Update]) -> Outcome:
        CountingBulk.calls.append("end")
        return super().end_many(ends)


def test_a_crash_after_the_collective_create_is_settled_by_the_next_run_without_a_duplicate(
    coupled: User,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    crashing: list[CrashAfterCreate] = []

    def adapter(client: LoketClient, employer_id: str) -> CrashAfterCreate:
        crashing.append(CrashAfterCreate(ClientBulk(client, employer_id)))
        return crashing[-1]

    monkeypatch.setattr(tasks, "bulk_adapter", adapter)
    run = services.request_writes(company, coupled)
    with pytest.raises(Crash):
        tasks.execute_chunk(run.pk, [e.pk for e in services.writable_employments(company)])
    made = crashing[0].created
    assert made > 0
    # Every intent of the call was committed before it; Loket holds the records, the journal knows no id yet.
    assert JournalEntry.objects.filter(status="pending", record_id__isnull=True).count() == made
    monkeypatch.setattr(tasks, "bulk_adapter", CountingBulk)
    settings.CONTRIBUTIONS_STALE_AFTER_S = -1  # the crashed run lost its worker
    rerun = write(coupled)
    assert (rerun.status, rerun.writes) == (WriteRun.Status.DONE, 0)  # adopted, not written again
    assert CountingBulk.calls == ["read"]
    assert not JournalEntry.objects.filter(status="pending").exists()
    assert JournalEntry.objects.filter(adopted=True).count() == made
    loket_holds_the_plan(coupled)
    for employment in services.writable_employments(company):
        assert len([r for r in held(coupled, employment) if r[1] is None]) <= 1  # one open record at most


def test_a_foreign_record_after_the_window_start_is_a_conflict_and_never_touched(
    coupled: User,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    company = coupled.company
    jobs = [j for j in services.writable_employments(company) if j.end_date is None]
    victim = jobs[0]
    first = services.effective_period(company)
    client = client_for(connection_of(coupled))
    # Starts after the window's first day: the employer-wide read on that day does not show it.
    theirs = client.create_benefit_and_deduction(victim.loket_id, GROSS, first.start + timedelta(days=40), Decimal("7"))
    services.set_scheme(company, coupled, amount=Cents(5000))
    monkeypatch.setattr(tasks, "bulk_adapter", CountingBulk)
    run = write(coupled)
    assert run.status == WriteRun.Status.DONE_WITH_FAILURES
    [failure] = WriteFailure.objects.filter(run=run)
    assert (failure.employment_id, failure.component_key, failure.who) == (victim.pk, GROSS, "salarisadministrateur")
    assert "niet gezet door Pensify" in failure.reason
    after = client.benefit_and_deduction(theirs.id)
    assert (after.start_date, after.end_date, after.value, after.etag) == (
        theirs.start_date, theirs.end_date, theirs.value, theirs.etag
    )  # fmt: skip
    assert held(coupled, victim) == [(theirs.start_date, None, Cents(700))]
    assert all(held(coupled, j) for j in jobs[1:])  # the others were written, collectively
    assert "create" in CountingBulk.calls
    again = write(coupled)
    assert again.writes == 0
    assert WriteFailure.objects.filter(run=again).count() == 1  # still reported, still untouched


def test_an_unchanged_plan_is_one_read_per_component_and_no_write(
    coupled: User,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(3000))
    jobs = services.writable_employments(company)
    services.set_net_amount(jobs[0], coupled, Cents(1000))
    leaver = next(j for j in jobs if j.end_date is None and j.pk != jobs[0].pk)
    last_day = services.effective_period(company).start + timedelta(days=20)
    type(leaver).objects.filter(pk=leaver.pk).update(end_date=last_day)
    monkeypatch.setattr(tasks, "bulk_adapter", CountingBulk)
    first = write(coupled)
    assert first.status == WriteRun.Status.DONE
    assert CountingBulk.calls == ["read", "create", "read", "end"]  # the leaver's record: created, then ended
    assert [r[1] for r in held(coupled, leaver)] == [last_day]
    loket_holds_the_plan(coupled)
    again = write(coupled)
    assert (again.status, again.writes) == (WriteRun.Status.DONE, 0)
    assert CountingBulk.calls == ["read"]
