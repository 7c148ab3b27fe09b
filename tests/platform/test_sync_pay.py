"""Salary and part-time factor from Loket's actual wages and working hours: imported, kept current by incremental
runs even when no version number moves, and shown on the employees page ("—" only where Loket has none)."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from inleg.platform.accounts.models import User
from inleg.platform.employees.models import Employment, SyncRun
from tests.platform.conftest import connect, run_tasks
from tests.platform.loket_sandbox import Sandbox

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("loket")]

CENT, FACTOR = Decimal("0.01"), Decimal("0.0001")


def sandbox_pay(loket: Sandbox, employer_number: int = 20001) -> dict[str, dict[str, Any]]:
    """The wage and hours records valid today of each employment, read from the sandbox's own database."""
    day = timezone.localdate().isoformat()
    out = loket.orm(
        "import json\nfrom datetime import date\nfrom django.db.models import Q\n"
        "from inleg.sandbox.core.models import Employment, Wage, WorkingHours\n"
        f"day = date.fromisoformat({day!r})\n"
        "valid = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))\n"
        f"mine = dict(employment__employee__employer__employer_number={employer_number})\n"
        "wages = {str(w.employment_id): w for w in Wage.objects.filter(valid, **mine)}\n"
        "hours = WorkingHours.objects.select_related('shift').filter(valid, **mine)\n"
        "hours = {str(h.employment_id): h for h in hours}\n"
        "out = {}\n"
        f"for job in Employment.objects.filter(employee__employer__employer_number={employer_number}):\n"
        "    w, h = wages.get(str(job.id)), hours.get(str(job.id))\n"
        "    out[str(job.id)] = {'gross': str(w.gross_wage) if w else None,\n"
        "        'full_time': w.is_full_time if w else None,\n"
        "        'hours': str(h.deviating_hours_per_week or h.shift.full_time_hours_per_week) if h else None,\n"
        "        'shift_hours': str(h.shift.full_time_hours_per_week) if h else None, 'end': str(job.end_date)}\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(out)  # type: ignore[no-any-return]


def expected(row: dict[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    """(salary, part-time factor) by the test's own arithmetic: hours / full-time hours to 4 decimals half up
    (the sandbox's README), and a full-time wage times that factor to the cent, half away from zero."""
    factor = None
    if row["hours"] is not None:
        factor = (Decimal(row["hours"]) / Decimal(row["shift_hours"])).quantize(FACTOR, rounding=ROUND_HALF_UP)
    if row["gross"] is None:
        return None, factor
    gross = Decimal(row["gross"])
    if not row["full_time"]:
        return gross, factor
    assert factor is not None
    return (gross * factor).quantize(CENT, rounding=ROUND_HALF_UP), factor


def pay_of(admin: User) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    return {
        m.loket_id: (m.salary, m.part_time_factor)
        for m in Employment.objects.filter(company=admin.company).only("loket_id", "salary", "part_time_factor")
    }


def latest_run(admin: User) -> SyncRun:
    run = SyncRun.objects.filter(company=admin.company).latest("pk")
    assert run.status == SyncRun.Status.DONE, run.errors
    return run


def open_job(admin: User, loket: Sandbox, index: int = 0, *, not_hours: tuple[str, ...] = ()) -> str:
    """An employment that runs today with a full-time wage and hours, by Loket's id; ``not_hours``: hours per week
    it must not work already (the ids are random, so a job the test changes to 32 hours might work 32 already)."""
    truth = sandbox_pay(loket)
    today = timezone.localdate().isoformat()
    running = {k for k, r in truth.items() if r["end"] == "None" or r["end"] >= today}  # other tests end some
    candidates = sorted(
        k
        for k in running
        if truth[k]["gross"] and truth[k]["hours"] and truth[k]["full_time"]
        and Decimal(truth[k]["hours"]) not in {Decimal(h) for h in not_hours}
    )  # fmt: skip
    return candidates[index]


def test_the_import_brings_each_employments_salary_and_part_time_factor(
    web: Client, admin: User, loket: Sandbox
) -> None:
    connect(web, "koppeling")
    run_tasks()
    latest_run(admin)
    truth = sandbox_pay(loket)
    assert pay_of(admin) == {k: expected(r) for k, r in truth.items()}
    # The seed has part-time workers (else the product would go untested) and full-time ones.
    factors = {f for _, f in pay_of(admin).values() if f is not None}
    assert Decimal("1.0000") in factors
    assert factors - {Decimal("1.0000")}
    assert sum(1 for s, _ in pay_of(admin).values() if s is not None) >= 5  # of the seed's 10


def test_an_incremental_sync_brings_a_changed_wage_and_hours_whose_version_did_not_move(
    web: Client, admin: User, loket: Sandbox
) -> None:
    connect(web, "koppeling")
    run_tasks()
    paid, hours_changed = (
        open_job(admin, loket, 0, not_hours=("32", "21.5")),
        open_job(admin, loket, 1, not_hours=("32", "21.5")),
    )
    # A queryset update: Loket's version numbers stay where they were.
    show_versions = (
        f"jobs = Employment.objects.filter(id__in=[{paid!r}, {hours_changed!r}])\n"
        "print(sorted(jobs.values_list('version', flat=True)))\n"
    )
    versions = loket.orm(
        "from datetime import date\nfrom decimal import Decimal\nfrom django.db.models import Q\n"
        "from inleg.sandbox.core.models import Employment, Wage, WorkingHours\n"
        "valid = Q(start_date__lte=date.today()) & (Q(end_date__isnull=True) | Q(end_date__gte=date.today()))\n"
        f"Wage.objects.filter(valid, employment_id={paid!r}).update(gross_wage=Decimal('4390.50'), is_full_time=True)\n"
        f"WorkingHours.objects.filter(valid, employment_id={paid!r}).update(deviating_hours_per_week=Decimal('32'))\n"
        f"hours = WorkingHours.objects.filter(valid, employment_id={hours_changed!r})\n"
        "hours.update(deviating_hours_per_week=Decimal('21.5'))\n" + show_versions
    )
    web.post("/company/integrations/loket/sync/")
    run_tasks()
    run = latest_run(admin)
    assert run.kind == SyncRun.Kind.INCREMENTAL
    assert versions == loket.orm("from inleg.sandbox.core.models import Employment\n" + show_versions)
    job = Employment.objects.get(company=admin.company, loket_id=paid)
    # 32 of the shift's 40 hours = 0.8; 4,390.50 x 0.8 = 3,512.40 (worked by hand).
    assert (job.salary, job.part_time_factor) == (Decimal("3512.40"), Decimal("0.8000"))
    truth = sandbox_pay(loket)
    assert pay_of(admin) == {k: expected(r) for k, r in truth.items()}
    assert run.counts["salaries_updated"] == 2  # both: the second one's salary follows its hours
    assert run.counts["part_time_factors_updated"] == 2
    assert run.counts["employments_updated"] == 2
    assert sorted(f[0] for c in run.changes for f in c["fields"]) == [
        "part_time_factor",
        "part_time_factor",
        "salary",
        "salary",
    ]
    page = web.get("/employees/").content.decode()
    assert "€ 3.512,40" in page
    assert "80,00 %" in page
    # Nothing changed since: the next run writes nothing.
    web.post("/company/integrations/loket/sync/")
    run_tasks()
    again = latest_run(admin)
    assert again.counts["salaries_updated"] == again.counts["part_time_factors_updated"] == 0
    assert again.counts["employments_updated"] == 0
    assert again.changes == []


def test_an_employment_without_a_wage_shows_a_dash_and_one_with_a_wage_its_salary(
    web: Client, admin: User, loket: Sandbox
) -> None:
    connect(web, "koppeling")
    run_tasks()
    gone = open_job(admin, loket, 2)
    job = Employment.objects.select_related("employee").get(company=admin.company, loket_id=gone)
    assert job.salary is not None
    loket.orm(f"from inleg.sandbox.core.models import Wage\nWage.objects.filter(employment_id={gone!r}).delete()\n")
    web.post("/company/integrations/loket/sync/", {"full": "1"})
    run_tasks()
    run = latest_run(admin)
    job.refresh_from_db()
    assert job.salary is None
    assert job.part_time_factor is not None  # the hours are still there
    assert run.counts["salaries_updated"] == 1
    page = web.get("/employees/", {"q": str(job.employee.employee_number)}).content.decode()
    row = page.split(job.start_date.strftime("%d-%m-%Y"), 1)[1].split("</tr>", 1)[0]
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in row.split("<td")[1:]]
    assert cells[-1] == "—"  # salary
    assert cells[-2].endswith(" %")  # the part-time factor, still known
    # Every other employment with a wage today shows an amount, never a dash.
    others = Employment.objects.filter(company=admin.company, salary__isnull=False).count()
    truth = sandbox_pay(loket)
    assert others == sum(1 for r in truth.values() if r["gross"] is not None)
