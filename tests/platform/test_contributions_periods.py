"""What the payroll paid, read back (on the worker's schedule and by the button), and the period overview:
planned, held by Loket, paid; the scheme form's start period; amounts in euros; errors in plain Dutch.

Its own sandbox (the module fixture of test_contributions_writes), over HTTP; the worker is the real one.
"""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from inleg.platform.accounts.models import User
from inleg.platform.contributions import overview, readback, services
from inleg.platform.contributions.messages import explain
from inleg.platform.contributions.models import ContributionSettings, PaidAmount, ResultsRead, Version, WriteRun
from inleg.platform.contributions.templatetags.money import euro
from inleg.platform.domain.contributions import PayrollPeriod
from inleg.platform.domain.money import Cents, InvalidAmount
from inleg.platform.employees.models import Employment
from tests.platform.conftest import connection_of, run_tasks
from tests.platform.loket_sandbox import BIN, Sandbox
from tests.platform.test_contributions_writes import coupled, own_loket, write

__all__ = ["coupled", "own_loket"]  # the fixtures, shared with the writes' module

pytestmark = pytest.mark.django_db(transaction=True)


def approve_payroll(sandbox: Sandbox, user: User, period: PayrollPeriod) -> None:
    """The payroll administrator runs and approves the period in Loket (the sandbox's command)."""
    number = connection_of(user).employer_number
    done = subprocess.run(
        [str(BIN / "inleg"), "sandbox", "payroll", "--employer", str(number), "--year", str(period.year),
         "--period", str(period.number), "--approve"],
        env=sandbox.env, cwd=sandbox.dir, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def in_period(employment: Employment, period: PayrollPeriod) -> bool:
    return employment.start_date <= period.end and (employment.end_date is None or employment.end_date >= period.start)


def test_approved_runs_are_read_on_the_schedule_and_by_the_button_once_each(
    coupled: User, own_loket: Sandbox, web: Client, settings: Any
) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    assert write(coupled).status == WriteRun.Status.DONE
    first = services.effective_period(company)
    periods, _ = services.payroll_periods(company)
    second = next(p for p in sorted(periods, key=lambda p: p.key) if p.key > first.key)
    present = [e for e in Employment.objects.filter(company=company) if in_period(e, first)]

    # Nothing approved yet: the schedule's task reads nothing, the overview says "not paid yet".
    assert readback.enqueue_due_readbacks() == [company.pk]
    assert readback.enqueue_due_readbacks() == []  # claimed: a second scheduler enqueues nothing
    run_tasks()
    assert not PaidAmount.objects.filter(company=company).exists()
    [row] = [r for r in overview.period_rows(company) if r.period.key == first.key]
    assert (row.planned, row.held, row.paid) == (Cents(5000 * len(present)), Cents(5000 * len(present)), None)

    # The payroll of the first period is approved: the next scheduled check reads it.
    approve_payroll(own_loket, coupled, first)
    settings.CONTRIBUTIONS_RESULTS_INTERVAL_S = 0
    assert readback.enqueue_due_readbacks() == [company.pk]
    run_tasks()
    paid = PaidAmount.objects.filter(company=company, year=first.year, number=first.number)
    assert sorted(p.employment_id for p in paid) == sorted(e.pk for e in present)
    assert {p.excasso_cents for p in paid} == {5000}
    marker = ResultsRead.objects.get(company=company, year=first.year, number=first.number)
    assert marker.run_id
    assert marker.employments == len(present)

    # The button reads the second period as soon as it is approved; the schedule then finds nothing new.
    approve_payroll(own_loket, coupled, second)
    answer = web.post("/contributions/periods/", follow=True)
    assert f"De resultaten van periode {second.number} van {second.year} zijn gelezen." in answer.content.decode()
    rows_before = list(PaidAmount.objects.filter(company=company).values_list("pk", "read_at"))
    assert services.read_approved_results(company) == []
    ContributionSettings.objects.filter(company=company).update(results_checked_at=None)
    assert readback.enqueue_due_readbacks() == [company.pk]
    run_tasks()
    assert list(PaidAmount.objects.filter(company=company).values_list("pk", "read_at")) == rows_before
    assert "Geen nieuwe goedgekeurde verloning" in web.post("/contributions/periods/", follow=True).content.decode()

    # The overview: planned = held = paid in both periods, in euros; a period's page has the same per employee.
    rows = {r.period.key: r for r in overview.period_rows(company)}
    total = Cents(5000 * len(present))
    assert (rows[first.key].planned, rows[first.key].held, rows[first.key].paid) == (total, total, total)
    assert rows[first.key].differences == 0
    page = web.get("/contributions/periods/").content.decode()
    assert euro(total) in page
    assert " ct" not in page
    assert f"/contributions/periods/{first.year}/{first.number}/" in page
    detail = web.get(f"/contributions/periods/{first.year}/{first.number}/").content.decode()
    assert detail.count("€ 50,00") == 3 * len(present)  # planned, held and paid on every line
    assert "wijkt af" not in detail


def test_the_overview_flags_what_loket_holds_differently(coupled: User) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    assert write(coupled).status == WriteRun.Status.DONE
    first = services.effective_period(company)
    # A new scheme after the write, not written yet: planned 60.00, Loket still holds 50.00.
    services.set_scheme(company, coupled, amount=Cents(6000))
    lines = overview.lines_of(company, [first])[first.key]
    assert lines
    assert all((line.planned, line.held, line.paid) == (Cents(6000), Cents(5000), None) for line in lines)
    assert all(line.differs for line in lines)


def test_the_form_says_from_which_period_before_saving_and_refuses_an_earlier_one(coupled: User, web: Client) -> None:
    company = coupled.company
    first = services.effective_period(company)
    periods, _ = services.payroll_periods(company)
    ordered = sorted(periods, key=lambda p: p.key)
    earlier = ordered[ordered.index(first) - 1]
    later = ordered[ordered.index(first) + 1]
    page = web.get("/contributions/").content.decode()
    assert f"Gaat in vanaf periode {first.number} van {first.year} ({first.start:%-d-%-m-%Y})" in page
    assert f'value="{earlier.key}"' not in page
    assert f'value="{later.key}"' in page

    form = {"action": "scheme", "rule": "fixed", "amount": "1.234,50", "scope": "all", "from_period": str(later.key)}
    checked = web.post("/contributions/", {**form, "check": "1"}).content.decode()
    assert f"Gaat in vanaf periode {later.number} van {later.year} ({later.start:%-d-%-m-%Y})." in checked
    assert not Version.objects.filter(company=company).exists()  # looking is not saving

    refused = web.post("/contributions/", {**form, "from_period": str(earlier.key)}, follow=True).content.decode()
    assert f"Periode “{earlier.key}” kan niet meer" in refused
    assert f"de eerste mogelijke: periode {first.number} van {first.year}" in refused
    assert not Version.objects.filter(company=company).exists()

    web.post("/contributions/", form)
    [saved] = Version.objects.filter(company=company)
    assert (saved.from_period, saved.amount_cents) == (later.key, 123450)
    history = web.get("/contributions/").content.decode()
    assert "€ 1.234,50" in history
    assert " ct" not in history


def test_a_group_by_pasted_employee_numbers_and_a_wrong_number_named(coupled: User, web: Client) -> None:
    company = coupled.company
    jobs = services.writable_employments(company)
    numbers = f"{jobs[0].employee.employee_number},\n{jobs[1].employee.employee_number}"
    form = {"action": "scheme", "rule": "percent", "percent": "3,5", "scope": "group", "numbers": numbers}
    web.post("/contributions/", form)
    [saved] = Version.objects.filter(company=company)
    assert sorted(e.pk for e in saved.group.all()) == sorted([jobs[0].pk, jobs[1].pk])
    assert saved.percent == Decimal("3.5")

    wrong = web.post("/contributions/", {**form, "numbers": "99999 x7"}, follow=True).content.decode()
    assert "“x7”" in wrong
    assert "personeelsnummers" in wrong
    unknown = web.post("/contributions/", {**form, "numbers": "99999"}, follow=True).content.decode()
    assert "Deze personeelsnummers kent Pensify niet bij dit bedrijf: “99999”" in unknown
    assert Version.objects.filter(company=company).count() == 1


def test_errors_are_plain_dutch_naming_the_field_and_the_value(coupled: User, web: Client) -> None:
    answer = web.post(
        "/contributions/", {"action": "scheme", "rule": "fixed", "amount": "12,345", "scope": "all"}, follow=True
    ).content.decode()
    assert "Het bedrag “12,345” is geen bedrag in euro&#x27;s" in answer
    assert "has more than 2 decimals" not in answer
    too_much = web.post(
        "/contributions/", {"action": "scheme", "rule": "percent", "percent": "101", "scope": "all"}, follow=True
    ).content.decode()
    assert "Het percentage “101” is geen geldig percentage" in too_much
    assert not Version.objects.filter(company=coupled.company).exists()
    assert explain(InvalidAmount("bedrag", "abc", "is not an amount")).startswith("Het bedrag “abc”")


def test_the_euro_filter() -> None:
    assert euro(Cents(123456)) == "€ 1.234,56"
    assert euro(5000) == "€ 50,00"
    assert euro(Decimal("3000.5")) == "€ 3.000,50"
    assert euro(Decimal("0.125")) == "€ 0,125"  # shown as it is, never rounded
    assert euro(None) == "—"
    with pytest.raises(TypeError):
        euro(True)


def test_the_last_day_of_a_leaver_in_a_period() -> None:
    period = PayrollPeriod(2025, 3, date(2025, 3, 1), date(2025, 3, 31))
    job = Employment(start_date=period.start - timedelta(days=400), end_date=period.start + timedelta(days=9))
    assert overview.last_day_in(job, period) == period.start + timedelta(days=9)
    job.end_date = period.start - timedelta(days=1)
    assert overview.last_day_in(job, period) is None
