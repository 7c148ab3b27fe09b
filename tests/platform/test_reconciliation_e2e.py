"""A whole period end to end over HTTP against a real sandbox: scheme, writes, payroll run and approval (the
sandbox's CLI), the excasso it writes, ``inleg bank simulate`` into a camt.053, the import on the Bank page,
bookings, and the reconciliation page all *in orde*; then the next period with one credit cut out of the statement
and the statement read twice, with the sandbox's faults on for the writes and the read-back: the repeat changes
nothing, and the missing credit's row says *betaald maar niet ontvangen* and who must act."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import etree

from inleg.loket import errors
from inleg.platform.accounts.models import User
from inleg.platform.bank.models import Credit
from inleg.platform.contributions import services
from inleg.platform.contributions.models import PaidAmount, WriteRun
from inleg.platform.domain.contributions.periods import PayrollPeriod
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment
from inleg.platform.ledger.balances import balances, check_balanced
from tests.platform.conftest import connection_of, couple_on_clean_components, run_tasks, sandbox_with_periods
from tests.platform.loket_sandbox import BIN, Sandbox

pytestmark = pytest.mark.django_db(transaction=True)

GROSS, NET = 751, 831
FAULTS = "429=0.1,500=0.08,503=0.1,slow=0.03,slow_s=0.3,retry_after=0,seed=29"
CAMT = "{urn:iso:std:iso:20022:tech:xsd:camt.053.001.02}"


@pytest.fixture(scope="module")
def own_loket() -> Iterator[Sandbox]:
    server = sandbox_with_periods()
    yield server
    server.stop()


@pytest.fixture
def coupled(web: Client, admin: User, own_loket: Sandbox, settings: Any, ledger_emptied_after: None) -> User:
    couple_on_clean_components(web, own_loket, settings, GROSS, NET)
    return admin


def payroll(sandbox: Sandbox, employer: int, period: PayrollPeriod) -> Path:
    """Run and approve ``period`` in the sandbox (its CLI); the excasso file its approval wrote."""
    done = subprocess.run(
        [str(BIN / "inleg"), "sandbox", "payroll", "--employer", str(employer), "--year", str(period.year),
         "--period", str(period.number), "--approve"],
        env=sandbox.env, cwd=sandbox.dir, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (excasso,) = (sandbox.dir / "sepa").glob(f"excasso-{employer}-{period.key.loket_id}-*.xml")
    return excasso


def simulate(excasso: Path, out: Path) -> bytes:
    done = subprocess.run(
        [str(BIN / "inleg"), "bank", "simulate", str(excasso), "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def upload(web: Client, name: str, data: bytes) -> str:
    page = web.post("/bank/", {"files": SimpleUploadedFile(name, data, "application/xml")}, follow=True)
    assert page.status_code == 200
    return page.content.decode()


def place_by_hand(web: Client, period: PayrollPeriod) -> None:
    """What a person does with a credit the import could not match (an employee with two employments): pick the
    employment the payroll paid exactly that amount for and nothing has arrived for yet."""
    for credit in Credit.objects.filter(status="unrecognised", kind="credit"):
        paid = PaidAmount.objects.filter(
            employment__employee=credit.employee, year=period.year, number=period.number,
            excasso_cents=credit.amount_cents,
        )  # fmt: skip
        employment = paid.first().employment  # type: ignore[union-attr]
        answer = web.post(
            f"/bank/credits/{credit.pk}/place/",
            {"employment": employment.pk, "period": str(period.key), "reason": "loonnummer volgens Loket.nl"},
        )
        assert answer.status_code == 302, answer.content.decode()


def statuses(web: Client, period: PayrollPeriod) -> dict[str, tuple[str, str]]:
    """Per employment (Loket id): status and who must act, from the CSV the page offers."""
    response = web.get(f"/reconciliation/{period.key}/download.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return {r[2]: (r[8], r[9]) for r in rows[1:]}


def without_one_credit(statement: bytes) -> tuple[bytes, str]:
    """The statement with its first entry cut out (balances left as the bank sent them); the reference it carried."""
    tree = etree.fromstring(statement)
    entry = tree.find(f".//{CAMT}Ntry")
    assert entry is not None
    reference = entry.findtext(f".//{CAMT}EndToEndId") or ""
    entry.getparent().remove(entry)  # type: ignore[union-attr]
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8"), reference


def write_until_done(company: Any, user: User) -> WriteRun:
    """Ask for writes and run them until a run ends clean: under Loket's faults a run may end with failures."""
    for _ in range(30):
        run = services.request_writes(company, user)
        run_tasks()
        run.refresh_from_db()
        if run.status == WriteRun.Status.DONE:
            return run
    raise AssertionError(list(run.failures.values_list("reason", flat=True)))


def read_until_done(company: Any, period: PayrollPeriod) -> int:
    for _ in range(10):
        try:
            return services.read_results(company, period.key)
        except errors.LoketError:  # a fault that outlasted the client's own retries: the button is pressed again
            continue
    raise AssertionError("the results could not be read through the faults")


def test_a_period_end_to_end_then_a_statement_twice_and_a_credit_missing(
    coupled: User, web: Client, own_loket: Sandbox, tmp_path: Path, settings: Any
) -> None:
    company = coupled.company
    services.set_scheme(company, coupled, amount=Cents(5000))
    someone = services.writable_employments(company)[0]
    services.set_net_amount(someone, coupled, Cents(2500))
    run = services.request_writes(company, coupled)
    run_tasks()
    run.refresh_from_db()
    assert run.status == WriteRun.Status.DONE, list(run.failures.values_list("reason", flat=True))
    employer = connection_of(coupled).employer_number
    assert employer is not None

    first = services.effective_period(company)
    statement = simulate(payroll(own_loket, employer, first), tmp_path / "first.xml")
    assert services.read_results(company, first.key) > 0
    page = upload(web, "first.xml", statement)
    assert "geboekt in het grootboek" in page
    place_by_hand(web, first)
    seen = statuses(web, first)
    assert seen
    assert set(seen.values()) == {("in orde", "niemand")}, seen
    page = web.get(f"/reconciliation/{first.key}/").content.decode()
    assert "<svg" in page
    assert "€ 75,00" in page  # the one with own money: € 50,00 + € 25,00
    ledger_before = balances(company)
    assert check_balanced(company) == Cents(sum(Credit.objects.values_list("amount_cents", flat=True)))

    # The same statement again: nothing new is stored or booked.
    page = upload(web, "first-again.xml", statement)
    assert balances(company) == ledger_before
    assert set(statuses(web, first).values()) == {("in orde", "niemand")}

    # The next period with Loket's faults on: a second employee's own amount is written, the results read back.
    periods, _ran = services.payroll_periods(company, fresh=True)
    following = min((p for p in periods if p.key > first.key), key=lambda p: p.key)
    own_loket.restart(faults=FAULTS)
    settings.LOKET_MAX_ATTEMPTS = 3  # few retries inside the client: some faults reach the write loop
    services.set_net_amount(services.writable_employments(company)[1], coupled, Cents(1500), from_period=following.key)
    assert write_until_done(company, coupled).writes > 0
    settings.LOKET_MAX_ATTEMPTS = 8
    full = simulate(payroll(own_loket, employer, following), tmp_path / "next.xml")
    assert read_until_done(company, following) > 0
    # The bank's statement of that period lacks one credit, and is read twice.
    cut, missing = without_one_credit(full)
    upload(web, "next.xml", cut)
    place_by_hand(web, following)
    after_once = balances(company)
    upload(web, "next-again.xml", cut)
    assert balances(company) == after_once
    match = re.fullmatch(r"PI1-\d+-(\d+)-\d+-\d+", missing)
    assert match is not None
    lost = Employment.objects.get(company=company, employee__employee_number=int(match.group(1)))
    seen = statuses(web, following)
    assert seen.pop(lost.loket_id) == ("betaald maar niet ontvangen", "werkgever")
    assert set(seen.values()) == {("in orde", "niemand")}, seen
    own_loket.restart()
