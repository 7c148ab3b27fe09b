"""The demo's company, made by ``inleg platform demo-seed`` against the running Loket sandbox: a company and its
administrator, coupled to a sandbox employer through the real consent flow, its employees imported, a scheme and
one employee's own net amount written to Loket, that period's payroll run and approved in the sandbox, what it
paid read back, and the pension provider's bank statement for it imported.

Each step looks first whether it was done (by an earlier run): a second run changes nothing. The demo user has a
known password, so this refuses to run unless the platform runs in development mode (``PLATFORM_DEBUG=1``).

Loket is met over HTTP only, as the employer's browser would: the consent walk logs in at the sandbox's login
page as the seed's Loket user and clicks Toestaan. What only Loket's own people do there (opening payroll years,
running and approving a payroll period) is the sandbox's command (``inleg sandbox ...``) in a subprocess with the
sandbox's environment: the platform imports nothing of the sandbox.

``make demo`` seeds the sandbox with ``--no-inleg-values``: ``Pensify Inleg`` and ``Netto inleg`` start empty. A
sandbox seeded without it holds values on them for some employees, made by "the payroll administrator" before
the platform came; the demo clears nothing it did not make: those employees are conflicts, shown as such on the
preview and the period pages (the payroll administrator must end them in Loket), and the payroll pays them what
Loket holds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import httpx2
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from inleg.loket import new_code_verifier, new_state
from inleg.platform.accounts.models import Company, Role, User
from inleg.platform.bank.booking import book_pending
from inleg.platform.bank.models import StatementFile
from inleg.platform.bank.services import import_file
from inleg.platform.bank.simulate import simulate
from inleg.platform.contributions import services as contributions
from inleg.platform.contributions.loket import ClientWrites
from inleg.platform.contributions.models import ResultsRead, Version, WriteFailure, WriteRun
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.contributions.preview import euro
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment, SyncRun
from inleg.platform.employees.runs import request_sync
from inleg.platform.integrations import services as integrations
from inleg.platform.integrations.models import LoketConnection, State
from inleg.platform.integrations.services import client_for

COMPANY = "Demo Bakkerij B.V."
EMAIL = "werkgever@demo.inleg.nl"
PASSWORD = "demo-inleg-2026"  # known to everyone: only ever on a development platform (PLATFORM_DEBUG=1)
NAME = "Wendy de Werkgever"
EMPLOYER = 20001  # the sandbox seed's Bakkerij Jansen B.V.: it has Pensify Inleg and Netto inleg
LOKET_USER = "koppeling"  # the seed's Loket user with the five rights on 20001
LOKET_PASSWORD = "loket-sandbox-2024"  # the seed's password of its Loket users
SCHEME = Cents(10_000)  # € 100,00 per period for every employee
OWN_NET = Cents(2_500)  # € 25,00 per period of one employee's own net pay
WAIT_S = 600.0

Say = Callable[[str], None]


class DemoError(Exception):
    """The demo cannot go on; the text says why and what to do."""


# ---- Loket over HTTP: the consent walk and the sandbox's own commands --------------------------------------


class _HiddenFields(HTMLParser):
    """The hidden inputs of a page's form (the CSRF token, the OAuth request's fields)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.fields[str(found["name"])] = found.get("value") or ""


def _hidden_fields(html: str) -> dict[str, str]:
    parser = _HiddenFields()
    parser.feed(html)
    return parser.fields


def consent(authorize_url: str, username: str, password: str) -> str:
    """Do what the employer does in the browser at Loket: log in, then Toestaan. Returns the URL Loket sends the
    browser back to (the platform's callback with the code and the state)."""
    with httpx2.Client(follow_redirects=False, timeout=30) as browser:
        page = browser.get(authorize_url)
        location = page.headers.get("location", "")
        if page.status_code == 302 and "/login/" in location:
            login_url = urljoin(authorize_url, location)
            form = _hidden_fields(browser.get(login_url).text)
            form.update({"username": username, "password": password})
            logged_in = browser.post(login_url, data=form)
            if logged_in.status_code != 302:
                raise DemoError(f"inloggen bij Loket.nl als {username} lukte niet (HTTP {logged_in.status_code})")
            page = browser.get(urljoin(login_url, logged_in.headers["location"]))
        if page.status_code != 200:
            raise DemoError(f"Loket.nl toonde geen toestemmingsscherm (HTTP {page.status_code}): {page.text[:200]}")
        form = _hidden_fields(page.text)
        form["allow"] = "Toestaan"
        answer = browser.post(str(page.url), data=form)
        if answer.status_code != 302:
            raise DemoError(f"Loket.nl nam de toestemming niet aan (HTTP {answer.status_code})")
        return str(answer.headers["location"])


@dataclass(frozen=True)
class Sandbox:
    """The sandbox's checkout data: its var directory (SQLite database, excasso files)."""

    var_dir: Path

    @property
    def sepa_dir(self) -> Path:
        return Path(os.environ.get("SANDBOX_SEPA_DIR", self.var_dir / "sepa"))

    def run(self, *args: str) -> str:
        """``inleg sandbox ARGS`` with the sandbox's own settings and database (none of the platform's)."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("PLATFORM_")
        }
        env.update({"SANDBOX_VAR_DIR": str(self.var_dir), "DJANGO_SETTINGS_MODULE": "inleg.sandbox.settings"})
        done = subprocess.run(
            [sys.executable, "-m", "inleg.cli", "sandbox", *args],
            env=env, cwd=self.var_dir, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise DemoError(f"inleg sandbox {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout


# ---- the steps -----------------------------------------------------------------------------------------------


def _work_until(finished: Callable[[], bool], what: str) -> None:
    """Run the queued tasks here (the worker's batch mode) until ``finished``; a running worker may take some."""
    deadline = time.monotonic() + WAIT_S
    while True:
        call_command("platform_worker", batch=True, verbosity=0)
        if finished():
            return
        if time.monotonic() > deadline:
            raise DemoError(f"{what} is na {WAIT_S:.0f} s niet klaar")
        time.sleep(0.5)


def company_and_admin(say: Say) -> tuple[Company, User]:
    user = User.objects.filter(email=EMAIL).select_related("company").first()
    if user is not None:
        say(f"bedrijf: {user.company.name} bestaat al (beheerder {EMAIL})")
        return user.company, user
    with transaction.atomic():
        company = Company.objects.create(name=COMPANY)
        user = User.objects.create_user(EMAIL, PASSWORD, name=NAME, company=company, role=Role.ADMIN)
    say(f"bedrijf: {COMPANY} aangemaakt, beheerder {EMAIL}")
    return company, user


def couple(company: Company, user: User, employer: int, redirect_uri: str, say: Say) -> LoketConnection:
    connection = LoketConnection.objects.filter(company=company).first()
    if connection is not None and connection.state == State.ACTIVE and connection.employer_number == employer:
        say(f"koppeling: al actief met werkgever {employer} ({connection.employer_name})")
        return connection
    other = (
        LoketConnection.objects.filter(employer_number=employer)
        .exclude(company=company)
        .exclude(employer_id="")
        .select_related("company")
        .first()
    )
    if other is not None:
        raise DemoError(
            f"werkgever {employer} is op dit platform al gekoppeld aan {other.company.name}; "
            "ontkoppel die eerst, of begin met een lege platformdatabase"
        )
    oauth = integrations.oauth(redirect_uri)
    state, verifier = new_state(), new_code_verifier()
    back = consent(oauth.authorization_url(state, verifier), LOKET_USER, LOKET_PASSWORD)
    query = {k: v[0] for k, v in parse_qs(urlparse(back).query).items()}
    tokens = oauth.exchange_code(oauth.code_from_callback(query, state), verifier)
    connection = integrations.store_consent(company, user, tokens)
    if connection.state == State.CHOOSE_EMPLOYER:
        wanted = next((e["id"] for e in connection.reachable_employers if e["number"] == employer), None)
        if wanted is None:
            raise DemoError(f"Loket-gebruiker {LOKET_USER} bereikt werkgever {employer} niet")
        connection = integrations.choose_employer(connection, wanted)
    if connection.state != State.ACTIVE or connection.employer_number != employer:
        raise DemoError(
            f"de koppeling is niet actief ({connection.state}): {connection.notice or connection.check_failure}"
        )
    if not (connection.component_key and connection.net_component_key):
        raise DemoError("de looncomponenten Pensify Inleg en Netto inleg zijn in Loket.nl niet gevonden")
    say(
        f"koppeling: actief met werkgever {employer} ({connection.employer_name}) als Loket-gebruiker {LOKET_USER}; "
        f"componenten {connection.component_key} {connection.component_name} en "
        f"{connection.net_component_key} {connection.net_component_name}"
    )
    return connection


def imported(company: Company, user: User, connection: LoketConnection, say: Say) -> None:
    if SyncRun.objects.filter(company=company, status__in=(SyncRun.Status.DONE, SyncRun.Status.RESUMED)).exists():
        say(f"werknemers: al ingelezen ({Employment.objects.filter(company=company).count()} dienstverbanden)")
        return
    kind = SyncRun.Kind.IMPORT if connection.last_version is None else SyncRun.Kind.FULL
    run = request_sync(company, kind, SyncRun.Trigger.MANUAL, user=user)

    def finished() -> bool:
        latest = SyncRun.objects.filter(company=company).order_by("-pk").first()
        return latest is not None and latest.status not in (
            SyncRun.Status.QUEUED, SyncRun.Status.RUNNING, SyncRun.Status.INTERRUPTED
        )  # fmt: skip

    _work_until(finished, "het inlezen van de werknemers")
    latest = SyncRun.objects.filter(company=company, pk__gte=run.pk).order_by("-pk").first()
    if latest is None or latest.status == SyncRun.Status.FAILED:
        raise DemoError(f"het inlezen van de werknemers is mislukt: {latest.errors[:3] if latest else ''}")
    say(f"werknemers: ingelezen ({Employment.objects.filter(company=company).count()} dienstverbanden)")


def scheme(company: Company, user: User, sandbox: Sandbox, employer: int, say: Say) -> PeriodKey:
    """The scheme (and one employee's own net amount), once; returns the period it starts in."""
    version = Version.objects.filter(company=company, kind=Version.Kind.SCHEME).order_by("pk").first()
    if version is not None:
        say(f"regeling: bestaat al, vanaf periode {version.from_number} van {version.from_year}")
    else:
        # The sandbox lists the periods of the payroll years opened; this year's and the next are.
        year = timezone.localdate().year
        sandbox.run("periods", "--employer", str(employer), "--year", str(year), "--year", str(year + 1))
        version = contributions.set_scheme(company, user, amount=SCHEME)
        say(
            f"regeling: {euro(SCHEME)} per periode voor iedereen, "
            f"vanaf periode {version.from_number} van {version.from_year}"
        )
    if not Version.objects.filter(company=company, kind=Version.Kind.NET).exists():
        someone = _clean_employment(company, version.from_period)
        if someone is None:
            say("eigen netto inleg: geen werknemer zonder andermans waarden in Loket.nl gevonden; overgeslagen")
        else:
            contributions.set_net_amount(someone, user, OWN_NET, from_period=version.from_period)
            say(f"eigen netto inleg: {euro(OWN_NET)} per periode voor {someone.employee} (personeelsnummer "
                f"{someone.employee.employee_number})")  # fmt: skip
    return version.from_period


def _clean_employment(company: Company, period: PeriodKey) -> Employment | None:
    """The first employment in service all of ``period`` on whose two components Loket holds nothing yet (no one
    else's values: the own net amount is then written, not held back as a conflict)."""
    periods, _ = contributions.payroll_periods(company)
    shown = next((p for p in periods if p.key == period), None)
    if shown is None:
        return None
    connection = contributions.connection_of(company)
    keys = contributions.components_of(connection)
    loket = ClientWrites(client_for(connection), etags=False)
    for job in contributions.writable_employments(company):
        in_service = job.start_date <= shown.start and (job.end_date is None or job.end_date >= shown.end)
        if in_service and not any(loket.records(job.loket_id, key) for key in (keys.gross, keys.net)):
            return job
    return None


def write(company: Company, user: User, say: Say) -> None:
    run = contributions.request_writes(company, user)

    def finished() -> bool:
        run.refresh_from_db()
        return not run.is_open

    _work_until(finished, "het schrijven naar Loket.nl")
    if run.status == WriteRun.Status.FAILED:
        raise DemoError("het schrijven naar Loket.nl is mislukt; zie de pagina Inleg > Schrijven")
    held_back = WriteFailure.objects.filter(run=run).values_list("employment_id", flat=True).distinct().count()
    say(f"naar Loket.nl: {run.writes} waarden geschreven ({run.done} dienstverbanden bekeken)")
    if held_back:
        say(
            f"  {held_back} dienstverbanden niet: Loket.nl heeft daar al waarden van iemand anders op Pensify Inleg of "
            "Netto inleg (van de sandbox-seed). De demo wist niets wat hij niet zelf maakte: het platform toont ze "
            "als verschil; de salarisadministrateur beëindigt ze in Loket.nl"
        )


def paid(company: Company, period: PeriodKey, sandbox: Sandbox, employer: int, say: Say) -> None:
    def read_now() -> bool:
        contributions.read_approved_results(company)
        return (
            ResultsRead.objects.filter(company=company, year=period.year, number=period.number)
            .exclude(run_id="")
            .exists()
        )

    if not read_now():
        sandbox.run("payroll", "--employer", str(employer), "--year", str(period.year), "--period",
                    str(period.number), "--approve")  # fmt: skip
        say(f"verloning: periode {period.number} van {period.year} verloond en goedgekeurd in Loket.nl")
        if not read_now():
            raise DemoError(f"Loket.nl geeft geen goedgekeurde verloning van periode {period} terug")
    marker = ResultsRead.objects.get(company=company, year=period.year, number=period.number)
    say(f"betaald: de resultaten van periode {period.number} van {period.year} gelezen "
        f"({marker.employments} dienstverbanden)")  # fmt: skip


def bank(company: Company, user: User, period: PeriodKey, sandbox: Sandbox, employer: int, say: Say) -> None:
    """The pension provider's bank statement for the excasso (simulated, a test tool), imported and booked."""
    files = sorted(
        sandbox.sepa_dir.glob(f"excasso-{employer}-{period.loket_id}-*.xml"), key=lambda f: f.stat().st_mtime
    )
    if not files:
        say(f"bank: geen excassobestand van periode {period} in {sandbox.sepa_dir}; overgeslagen")
        return
    excasso = files[-1]
    name = f"demo-afschrift-{excasso.stem}.xml"
    if StatementFile.objects.filter(company=company, name=name).exists():
        say(f"bank: {name} al ingelezen")
        return
    record = import_file(company, name, simulate(excasso.read_bytes()), user)
    if record.outcome == StatementFile.Outcome.REFUSED:
        raise DemoError(f"bank: het gesimuleerde afschrift is geweigerd: {record.message}")
    outcome = book_pending(company)
    say(f"bank: gesimuleerd afschrift ingelezen: {record.matched} bijschrijvingen herkend, {record.unrecognised} "
        f"niet herkend; {outcome.booked} geboekt")  # fmt: skip


def seed(*, sandbox: Sandbox, employer: int = EMPLOYER, platform_url: str, say: Say) -> Company:
    if not settings.DEBUG:
        raise DemoError(
            "demo-seed maakt een gebruiker met een bekend wachtwoord en draait daarom alleen met PLATFORM_DEBUG=1"
        )
    redirect_uri = settings.LOKET_REDIRECT_URI or platform_url.rstrip("/") + "/integrations/loket/callback"
    company, user = company_and_admin(say)
    connection = couple(company, user, employer, redirect_uri, say)
    imported(company, user, connection, say)
    period = scheme(company, user, sandbox, employer, say)
    write(company, user, say)
    paid(company, period, sandbox, employer, say)
    bank(company, user, period, sandbox, employer, say)
    return company
