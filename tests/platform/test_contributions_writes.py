"""Contributions into Loket.nl through the platform: scheme → preview → background writes → Loket holds the
plan; nothing twice, foreign records untouched, crash-safe, and what the payroll paid read back.

Its own sandbox (records written here must not meet other modules' tests), over HTTP; the worker is the real
one (``run_tasks``).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from inleg.platform.accounts.models import Right, Role, User
from inleg.platform.contributions import services, tasks
from inleg.platform.contributions.loket import ClientWrites
from inleg.platform.contributions.models import JournalEntry, PaidAmount, WriteFailure, WriteRun
from inleg.platform.domain.contributions import ComponentPlan
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.services import client_for
from tests.platform.conftest import (
    connection_of,
    couple_on_clean_components,
    logged_in,
    make_company,
    run_tasks,
    sandbox_with_periods,
)
from tests.platform.domain.fake_loket import Crash, CrashingLoket
from tests.platform.loket_sandbox import BIN, Sandbox

pytestmark = pytest.mark.django_db(transaction=True)

GROSS, NET = 751, 831


@pytest.fixture(scope="module")
def own_loket() -> Iterator[Sandbox]:
    server = sandbox_with_periods()
    yield server
    server.stop()


@pytest.fixture
def coupled(web: Client, admin: User, own_loket: Sandbox, settings: Any) -> User:
    """The company coupled and imported; Loket's records on our two components cleared (a clean start)."""
    couple_on_clean_components(web, own_loket, settings, GROSS, NET)
    connection = connection_of(admin)
    assert (connection.component_key, connection.net_component_key) == (GROSS, NET)
    return admin


def loket_of(user: User) -> ClientWrites:
    return ClientWrites(client_for(connection_of(user)))


def held(user: User, employment: Employment, key: int = GROSS) -> list[tuple[date, date | None, Cents]]:
    return [(r.start, r.end, r.value) for r in loket_of(user).records(employment.loket_id, key)]


def wanted(plan: ComponentPlan) -> list[tuple[date, date | None, Cents]]:
    return [(s.start, s.end, s.value) for s in plan.segments]


def write(user: User) -> WriteRun:
    run = services.request_writes(user.company, user)
    run_tasks()
    run.refresh_from_db()
    return run


def loket_holds_the_plan(user: User) -> None:
    company_plan = services.plan(user.company)
    for employment in services.writable_employments(user.company):
        gross, net = company_plan.plans[employment.pk]
        assert held(user, employment, GROSS) == wanted(gross), employment.loket_id
        assert held(user, employment, NET) == wanted(net), employment.loket_id


def test_a_scheme_is_previewed_written_once_and_a_stop_ends_it(coupled: User) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    jobs = services.writable_employments(company)
    some = jobs[0]
    services.set_net_amount(some, coupled, Cents(2500))
    first = services.effective_period(company)
    # The preview says what will be written, per employee, before anything is.
    lines = {p.employment.pk: [line.text for line in p.lines] for p in services.preview(company)}
    assert any("€ 50,00 per periode vanaf" in text for text in lines[some.pk])
    assert any("€ 25,00 per periode vanaf" in text for text in lines[some.pk])
    assert held(coupled, some) == []

    run = write(coupled)
    assert run.status == WriteRun.Status.DONE, list(WriteFailure.objects.filter(run=run).values("reason"))
    assert (run.done, run.total) == (len(jobs), len(jobs))
    running = [j for j in jobs if j.end_date is None or j.end_date >= first.start]
    assert run.writes == len(running) + 1  # one gross record each, and one net record
    assert held(coupled, some)[0][0] == max(first.start, some.start_date)
    assert held(coupled, some, NET)[0][2] == Cents(2500)
    loket_holds_the_plan(coupled)

    again = write(coupled)
    assert (again.status, again.writes) == (WriteRun.Status.DONE, 0)  # nothing changed: nothing written

    # A stop from the next period ends every record the day before that period starts.
    periods, _ = services.payroll_periods(company)
    following = next(p for p in sorted(periods, key=lambda p: p.key) if p.key > first.key)
    services.stop_scheme(company, coupled, from_period=following.key)
    stopped = write(coupled)
    assert stopped.status == WriteRun.Status.DONE
    loket_holds_the_plan(coupled)
    ends = {r[1] for j in running for r in held(coupled, j)}
    assert ends == {following.start - timedelta(days=1)}


def test_a_leaver_is_end_dated(coupled: User) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(4000))
    assert write(coupled).status == WriteRun.Status.DONE
    leaver = services.writable_employments(company)[1]
    last_day = services.effective_period(company).start + timedelta(days=9)
    Employment.objects.filter(pk=leaver.pk).update(end_date=last_day)  # as the sync writes a leaver's end date
    run = write(coupled)
    assert run.status == WriteRun.Status.DONE
    assert [r[1] for r in held(coupled, leaver)] == [last_day]
    loket_holds_the_plan(coupled)


def test_a_record_someone_else_made_is_a_conflict_and_never_touched(coupled: User) -> None:
    company = coupled.company
    victim = services.writable_employments(company)[2]
    client = client_for(connection_of(coupled))
    start = max(victim.start_date, services.effective_period(company).start - timedelta(days=40))
    theirs = client.create_benefit_and_deduction(victim.loket_id, GROSS, start, Decimal("12.34"))
    services.set_scheme(company, coupled, amount=Cents(5000))
    lines = {p.employment.pk: p.lines for p in services.preview(company)}
    assert [line.who for line in lines[victim.pk] if line.who is not None] == ["salarisadministrateur"]
    run = write(coupled)
    assert run.status == WriteRun.Status.DONE_WITH_FAILURES
    [failure] = WriteFailure.objects.filter(run=run)
    assert (failure.employment_id, failure.who, failure.component_key) == (victim.pk, "salarisadministrateur", GROSS)
    assert "niet gezet door Pensify" in failure.reason
    after = client.benefit_and_deduction(theirs.id)
    assert (after.start_date, after.end_date, after.value, after.etag) == (
        theirs.start_date, theirs.end_date, theirs.value, theirs.etag
    )  # fmt: skip
    assert [r[2] for r in held(coupled, victim)] == [Cents(1234)]
    others = [j for j in services.writable_employments(company) if j.pk != victim.pk and j.end_date is None]
    assert all(held(coupled, j) for j in others)  # the others were written


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_crash_around_a_write_then_a_rerun_ends_in_the_plan_without_a_duplicate(
    coupled: User, when: str, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    monkeypatch.setattr(
        tasks, "bulk_adapter", None
    )  # the per-employment loop's crash (the collective one: test_contributions_bulk)
    monkeypatch.setattr(tasks, "adapter", lambda client: CrashingLoket(ClientWrites(client), 2, when))  # type: ignore[arg-type]
    run = services.request_writes(company, coupled)
    with pytest.raises(Crash):
        tasks.execute_chunk(run.pk, [e.pk for e in services.writable_employments(company)])
    assert JournalEntry.objects.filter(status="pending").count() == 1  # the intent was committed before the call
    monkeypatch.setattr(tasks, "adapter", ClientWrites)
    settings.CONTRIBUTIONS_STALE_AFTER_S = -1  # the crashed run lost its worker: it counts as failed
    rerun = write(coupled)
    assert rerun.pk != run.pk
    assert rerun.status == WriteRun.Status.DONE
    loket_holds_the_plan(coupled)
    assert not JournalEntry.objects.filter(status="pending").exists()
    adopted = JournalEntry.objects.filter(adopted=True).count()
    assert adopted == (1 if when == "after" else 0)
    assert write(coupled).writes == 0


def test_what_the_payroll_paid_is_read_back_after_the_run_is_approved(coupled: User, own_loket: Sandbox) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    assert write(coupled).status == WriteRun.Status.DONE
    period = services.effective_period(company)
    number = connection_of(coupled).employer_number
    done = subprocess.run(
        [str(BIN / "inleg"), "sandbox", "payroll", "--employer", str(number), "--year", str(period.year),
         "--period", str(period.number), "--approve"],
        env=own_loket.env, cwd=own_loket.dir, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    read = services.read_results(company, period.key)
    assert read == services.read_results(company, period.key)  # again: the same rows, none added
    paid = {p.employment_id: p for p in PaidAmount.objects.filter(company=company)}
    assert len(paid) == read > 0
    for employment_pk, row in paid.items():
        employment = Employment.objects.get(pk=employment_pk)
        if employment.start_date <= period.start and (employment.end_date is None or employment.end_date >= period.end):
            assert (row.gross_cents, row.withheld_cents) == (5000, 5000), json.dumps(employment.loket_id)
            assert row.excasso_cents == 5000


def test_the_pages_set_a_scheme_preview_write_and_keep_tenants_apart(coupled: User, web: Client) -> None:
    page = web.get("/contributions/")
    assert page.status_code == 200
    assert "Gaat in vanaf periode" in page.content.decode()
    saved = web.post("/contributions/", {"action": "scheme", "rule": "fixed", "amount": "50,00", "scope": "all"})
    assert saved.status_code == 302
    assert "vast bedrag" in web.get("/contributions/").content.decode()  # the history shows it
    preview = web.get("/contributions/preview/").content.decode()
    assert "€ 50,00 per periode vanaf" in preview
    assert "Schrijf naar Loket.nl" in preview
    started = web.post("/contributions/preview/")
    assert started.status_code == 302
    run_tasks()
    assert "klaar" in web.get(started["Location"]).content.decode()
    # Another company sees none of it: its ids give 404, and a payroll administrator needs the right.
    _, other = make_company("Slagerij Pieters", "baas@pieters.example")
    stranger = logged_in(other)
    assert stranger.get(started["Location"]).status_code == 404
    payroll = User.objects.create_user("loon@jansen.example", "x-x-x-x-x-1", name="Piet", company=coupled.company,
                                       role=Role.PAYROLL)  # fmt: skip
    assert logged_in(payroll).get("/contributions/").status_code == 403
    payroll.rights = [Right.MANAGE_CONTRIBUTIONS]
    payroll.save()
    assert logged_in(payroll).get("/contributions/").status_code == 200
