"""``inleg platform demo-seed`` against a real sandbox over HTTP: the demo company coupled through the consent flow,
its scheme and one own net amount written, the period paid, read back and received; a second run adds nothing;
Loket's records that someone else made are left as they were; a production platform refuses it.

Its own sandbox: the demo writes records and approves a payroll period there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inleg.platform import demo
from inleg.platform.accounts.models import Company, User
from inleg.platform.bank.models import Credit, StatementFile
from inleg.platform.contributions.models import JournalEntry, PaidAmount, ResultsRead, Version, WriteRun
from inleg.platform.integrations.models import LoketConnection
from tests.platform.loket_sandbox import Sandbox

pytestmark = pytest.mark.django_db(transaction=True)

RECORDS = (
    "import json\nfrom inleg.sandbox.core.models import BenefitDeduction\n"
    "rows = BenefitDeduction.objects.filter(component__key__in=(751, 831), employment__administration__employer__"
    "employer_number=20001)\n"
    "print(json.dumps(sorted([str(r.pk), str(r.value), str(r.start_date), str(r.end_date)] for r in rows)))\n"
)


@pytest.fixture(scope="module")
def own_loket() -> Iterator[Sandbox]:
    server = Sandbox(employers=2, employees=16)  # no periods opened: the demo opens this year's and the next
    yield server
    server.stop()


@pytest.fixture
def demo_loket(own_loket: Sandbox, settings: Any, ledger_emptied_after: None) -> Sandbox:
    settings.DEBUG = True  # PLATFORM_DEBUG=1 (pytest-django turns DEBUG off for its tests)
    settings.LOKET_OAUTH_URL = own_loket.url
    settings.LOKET_API_URL = own_loket.url + "/v2"
    settings.LOKET_REDIRECT_URI = ""
    settings.SYNC_RESUME_DELAY_S = 0
    return own_loket


def seed(sandbox: Sandbox) -> None:
    call_command("demo_seed", sandbox_dir=sandbox.dir, employer=20001, verbosity=0)


def records(sandbox: Sandbox) -> list[list[str]]:
    """Loket's records on 751 and 831 of employer 20001: pk, value, start and end."""
    return [list(r) for r in json.loads(sandbox.orm(RECORDS))]


def unchanged(sandbox: Sandbox, before: list[list[str]]) -> bool:
    pks = {r[0] for r in before}
    return [r for r in records(sandbox) if r[0] in pks] == before


def test_the_demo_company_is_coupled_written_paid_and_received_once(demo_loket: Sandbox) -> None:
    theirs = records(demo_loket)  # before the demo wrote anything: all someone else's
    assert theirs  # the seed holds values on 751/831 of 20001: the demo meets them as conflicts

    seed(demo_loket)
    company = Company.objects.get(name=demo.COMPANY)
    user = User.objects.get(email=demo.EMAIL)
    assert user.company == company
    assert user.check_password(demo.PASSWORD)
    connection = LoketConnection.objects.get(company=company)
    assert (connection.state, connection.employer_number) == ("active", 20001)
    assert (connection.component_key, connection.net_component_key) == (751, 831)
    [scheme] = Version.objects.filter(company=company, kind=Version.Kind.SCHEME)
    assert scheme.amount_cents == 10_000
    [own] = Version.objects.filter(company=company, kind=Version.Kind.NET)
    assert own.amount_cents == 2_500
    assert own.from_period == scheme.from_period
    period = scheme.from_period
    assert ResultsRead.objects.filter(company=company, year=period.year, number=period.number).exclude(run_id="")
    # The payroll paid what Loket held: € 100,00 plus € 25,00 own net for the employee chosen, who has no one
    # else's values; the scheme's € 100,00 for every other employee the demo could write.
    paid = {p.employment_id: p for p in PaidAmount.objects.filter(company=company, year=period.year)}
    assert own.employment_id is not None
    chosen = paid[own.employment_id]
    assert (chosen.gross_cents, chosen.net_cents, chosen.excasso_cents) == (10_000, 2_500, 12_500)
    written = set(JournalEntry.objects.filter(company=company, status="done").values_list("employment_id", flat=True))
    assert len(written) > 1
    # The pension provider's bank statement: one credit per transfer of the excasso, each recognised.
    [statement] = StatementFile.objects.filter(company=company)
    assert statement.matched == len(paid) > 0
    assert statement.unrecognised == 0
    assert Credit.objects.filter(company=company).count() == len(paid)
    # Nothing of what someone else made in Loket was changed or ended.
    assert unchanged(demo_loket, theirs)

    journal = JournalEntry.objects.count()
    runs = WriteRun.objects.count()
    seed(demo_loket)  # again: found, nothing made twice, nothing written
    assert Company.objects.filter(name=demo.COMPANY).count() == 1
    assert User.objects.filter(email=demo.EMAIL).count() == 1
    assert LoketConnection.objects.count() == 1
    assert Version.objects.filter(company=company).count() == 2
    assert JournalEntry.objects.count() == journal
    assert WriteRun.objects.latest("pk").writes == 0
    assert WriteRun.objects.count() == runs + 1
    assert StatementFile.objects.filter(company=company).count() == 1
    assert Credit.objects.filter(company=company).count() == len(paid)
    assert unchanged(demo_loket, theirs)


def test_a_production_platform_refuses_the_known_password(own_loket: Sandbox, settings: Any, db: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="PLATFORM_DEBUG=1"):
        seed(own_loket)
    assert not Company.objects.exists()
    assert not User.objects.filter(email=demo.EMAIL).exists()
