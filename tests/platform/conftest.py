"""Fixtures of the platform session (run with DJANGO_SETTINGS_MODULE=inleg.platform.settings).

Loket is the real sandbox, served over HTTP by a subprocess; the platform calls it through inleg.loket.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from inleg.platform.accounts.models import Company, Role, User
from inleg.platform.integrations.models import LoketConnection
from inleg.platform.ledger.migrations import _triggers_0001 as triggers
from tests.platform.loket_sandbox import CLIENT_ID, CLIENT_SECRET, Sandbox, consent, path_and_query

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    server = Sandbox(employers=3, employees=30)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fast_hashing_off(settings: Any) -> None:
    """Argon2 stays on (it is what runs); only the token keys are fixed for the session."""
    settings.PLATFORM_TOKEN_KEYS = ["a2V5LW9uZS1mb3ItdGhlLXBsYXRmb3JtLXRlc3RzLTE="]


@pytest.fixture
def loket(sandbox: Sandbox, settings: Any) -> Sandbox:
    settings.LOKET_OAUTH_URL = sandbox.url
    settings.LOKET_API_URL = sandbox.url + "/v2"
    settings.LOKET_CLIENT_ID = CLIENT_ID
    settings.LOKET_CLIENT_SECRET = CLIENT_SECRET
    settings.LOKET_REDIRECT_URI = ""
    settings.SYNC_RESUME_DELAY_S = 0
    return sandbox


def sandbox_with_periods(employers: int = 2, employees: int = 8, faults: str = "") -> Sandbox:
    """A sandbox of its own with this year's and next year's payroll periods opened (writes need a period)."""
    server = Sandbox(employers=employers, employees=employees, faults=faults)
    this_year = timezone.now().year
    server.orm(
        "from inleg.sandbox.core.models import PayrollAdministration\n"
        "from inleg.sandbox.payroll.periods import ensure_periods\n"
        "for admin in PayrollAdministration.objects.all():\n"
        f"    ensure_periods(admin, {this_year})\n"
        f"    ensure_periods(admin, {this_year + 1})\n"
    )
    return server


def couple_on_clean_components(web: Client, server: Sandbox, settings: Any, gross: int, net: int) -> None:
    """Couple the company to ``server`` and import it, after clearing the seed's records on our two
    components (``gross``, ``net``): a clean start for tests that count what the platform writes."""
    settings.LOKET_OAUTH_URL = server.url
    settings.LOKET_API_URL = server.url + "/v2"
    settings.SYNC_RESUME_DELAY_S = 0
    server.orm(
        "from inleg.sandbox.core.models import BenefitDeduction\n"
        f"BenefitDeduction.objects.filter(component__key__in=({gross}, {net})).delete()\n"
    )
    connect(web, "koppeling")
    run_tasks()


def make_company(name: str = "Bakkerij Jansen B.V.", email: str = "eigenaar@jansen.example") -> tuple[Company, User]:
    company = Company.objects.create(name=name)
    user = User.objects.create_user(email, PASSWORD, name="Eva Jansen", company=company, role=Role.ADMIN)
    return company, user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(db: Any) -> User:
    return make_company()[1]


@pytest.fixture
def web(admin: User) -> Client:
    return logged_in(admin)


def connect(web: Client, username: str = "koppeling", *, allow: bool = True) -> Any:
    """The seed's steps through the platform's pages, with the sandbox's login and consent done over HTTP."""
    start = web.post("/company/integrations/loket/authorize/")
    assert start.status_code == 302, start.status_code
    back = consent(start["Location"], username, allow=allow)
    path, query = path_and_query(back)
    return web.get(path, query)


def run_tasks() -> None:
    """The real worker (django-tasks-db's db_worker) in batch mode: runs what is queued, then stops."""
    call_command("platform_worker", batch=True, verbosity=0)


def connection_of(user: User) -> LoketConnection:
    return LoketConnection.objects.get(company=user.company)


@pytest.fixture
def ledger_emptied_after(transactional_db: Any) -> Iterator[None]:
    """After the test, on SQLite, empty the ledger for the next test: the flush deletes rows, which the ledger's
    triggers refuse (PostgreSQL's flush truncates, which fires none). The triggers are put back as they were."""
    yield
    if connection.vendor != "sqlite":
        return
    deletes = [sql for sql in triggers.SQLITE if " BEFORE DELETE " in sql]
    with connection.cursor() as cursor:
        for sql in deletes:
            cursor.execute("DROP TRIGGER " + sql.split()[2])
        cursor.execute("DELETE FROM ledger_posting")
        cursor.execute("DELETE FROM ledger_entry")
        for sql in deletes:
            cursor.execute(sql)


def pytest_report_header() -> str:
    return f"platform database: {os.environ.get('DATABASE_URL', 'SQLite')}"
