"""Importing statements into a company: matching, idempotency by the bank's references, reversals, the hook for
the ledger, the command, and the Bank page (Dutch outcome, tenants apart)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inleg.platform.accounts.models import Company, User
from inleg.platform.bank.models import Credit, IgnoredLine, StatementFile
from inleg.platform.bank.services import credits_to_book, import_file
from inleg.platform.domain.excasso import ExcassoReference
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employee, Employment
from inleg.platform.integrations.models import LoketConnection, State
from tests.platform.conftest import logged_in, make_company

FIXTURES = Path(__file__).parent / "fixtures"
ACCOUNT = "NL17INGB6893485813"


def data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def employ(company: Company, number: int, employments: int = 1) -> Employee:
    employee = Employee.objects.create(
        company=company, loket_id=f"e{number}", employee_number=number, last_name=f"W{number}"
    )
    for n in range(employments):
        Employment.objects.create(
            company=company, employee=employee, loket_id=f"m{number}-{n}", start_date=date(2020, 1, 1)
        )
    return employee


@pytest.fixture
def company(admin: User) -> Company:
    company = admin.company
    LoketConnection.objects.create(company=company, state=State.ACTIVE, employer_id="x", employer_number=20001)
    employ(company, 1)
    employ(company, 2)
    employ(company, 3, employments=2)
    return company


def test_credits_are_matched_to_the_employment_or_wait_with_the_reason(company: Company) -> None:
    record = import_file(company, "batch.xml", data("batch.xml"))
    assert (record.outcome, record.credits, record.matched, record.unrecognised) == ("read", 2, 2, 0)
    one, two = Credit.objects.order_by("key")
    assert one.employment == Employment.objects.get(loket_id="m2-0")  # A:ENTRY-B1/2 sorts first: employee 2
    assert (two.employment, two.amount_cents) == (Employment.objects.get(loket_id="m1-0"), 3000)
    record = import_file(company, "overlapping.xml", data("overlapping.xml"))
    day3, day4 = Credit.objects.filter(statement__file=record).order_by("key")
    assert day3.status == "unrecognised"  # employee 2, period 2026-01 already received in batch.xml
    assert day3.reason.startswith("mogelijk dubbel betaald")
    assert day4.status == "unrecognised"  # employee 3 has two employments: the payroll id cannot be checked yet
    assert "2 dienstverbanden" in day4.reason


def test_an_employer_of_another_company_is_not_recognised(company: Company) -> None:
    record = import_file(company, "mixed.xml", data("mixed.xml"))  # PI1-20001-17-23-...: no employee 17
    assert (record.matched, record.unrecognised, record.ignored) == (0, 2, 5)
    assert Credit.objects.get(key__endswith="M-CREDIT").reason.startswith("dienstverband onbekend: werknemer 17")
    assert IgnoredLine.objects.count() == 5
    other, _ = make_company("Ander B.V.", "ander@ander.example")
    record = import_file(other, "batch.xml", data("batch.xml"))
    assert record.unrecognised == 2
    assert "werkgever 20001 is niet aan dit bedrijf gekoppeld" in Credit.objects.filter(company=other).first().reason


def test_the_same_file_twice_or_an_overlapping_one_stores_nothing_twice(company: Company) -> None:
    first = import_file(company, "two_statements.xml", data("two_statements.xml"))
    again = import_file(company, "two_statements.xml", data("two_statements.xml"))
    assert (first.credits, first.duplicates) == (2, 0)
    assert (again.credits, again.duplicates) == (0, 2)
    overlap = import_file(company, "overlapping.xml", data("overlapping.xml"))
    assert (overlap.credits, overlap.duplicates) == (1, 1)
    assert Credit.objects.filter(company=company).count() == 3
    assert credits_to_book(again) == []


def test_a_reversal_points_at_the_credit_it_takes_back(company: Company) -> None:
    record = import_file(company, "reversal.xml", data("reversal.xml"))
    assert (record.credits, record.reversals) == (1, 1)
    credit = Credit.objects.get(kind="credit")
    reversal = Credit.objects.get(kind="reversal")
    assert reversal.reverses == credit
    assert reversal.status == "to_book"
    book = credits_to_book(record)
    assert [(b.kind, b.key, b.reverses_key) for b in book] == [
        ("credit", f"{ACCOUNT}/A:CR-1", None),
        ("reversal", f"{ACCOUNT}/A:RV-1", f"{ACCOUNT}/A:CR-1"),
    ]
    assert book[0].amount == Cents(2000)
    assert book[0].reference == ExcassoReference(20001, 1, 1, 2026, 1)
    assert book[0].employment_id == credit.employment_id
    assert not book[0].suspense


def test_a_reversal_without_its_credit_waits(company: Company) -> None:
    other_amount = data("reversal.xml").replace(b'<Amt Ccy="EUR">20.00</Amt>', b'<Amt Ccy="EUR">19.99</Amt>', 1)
    record = import_file(company, "reversal.xml", other_amount)  # the credit is 19.99, the reversal 20.00
    reversal = Credit.objects.get(kind="reversal")
    assert (record.reversals, reversal.status, reversal.reverses) == (1, "unrecognised", None)
    assert reversal.reason.startswith("terugboeking zonder bijschrijving")
    assert credits_to_book(record)[1].suspense


@pytest.mark.parametrize("name", ["camt054.xml", "pain001.xml", "not_xml.txt", "schema_error.xml", "camt053_v08.xml"])
def test_a_refused_file_is_kept_with_its_message_and_stores_nothing(company: Company, name: str) -> None:
    record = import_file(company, name, data(name))
    assert record.outcome == "refused"
    assert record.message
    assert not Credit.objects.exists()


def test_the_bank_page_reads_uploads_and_says_what_it_found_in_dutch(company: Company, web: Client) -> None:
    upload = SimpleUploadedFile("batch.xml", data("batch.xml"), content_type="text/xml")
    page = web.post("/bank/", {"files": [upload]}, follow=True)
    text = page.content.decode()
    assert "batch.xml ingelezen: 2 nieuwe bijschrijvingen (2 herkend, 0 niet herkend)" in text
    again = web.post("/bank/", {"files": [SimpleUploadedFile("b.xml", data("batch.xml"))]}, follow=True)
    assert "0 nieuwe bijschrijvingen (0 herkend, 0 niet herkend), 0 terugboekingen, 0 genegeerd, 2 al eerder" in (
        again.content.decode()
    )
    refused = web.post("/bank/", {"files": [SimpleUploadedFile("n.xml", data("camt054.xml"))]}, follow=True)
    assert (
        "n.xml is niet ingelezen: dit is geen rekeningafschrift (camt.053) maar een melding" in refused.content.decode()
    )
    record = StatementFile.objects.filter(company=company, name="batch.xml").get()
    detail = web.get(f"/bank/files/{record.pk}/").content.decode()
    assert "PI1-20001-1-1-202601" in detail
    assert "te boeken" in detail


def test_another_companys_file_is_not_found(company: Company, web: Client) -> None:
    other, stranger = make_company("Ander B.V.", "ander@ander.example")
    theirs = import_file(other, "batch.xml", data("batch.xml"))
    assert web.get(f"/bank/files/{theirs.pk}/").status_code == 404
    assert "batch.xml" not in web.get("/bank/").content.decode()
    assert logged_in(stranger).get(f"/bank/files/{theirs.pk}/").status_code == 200


def test_the_page_needs_a_file_and_a_login(web: Client) -> None:
    page = web.post("/bank/", {}, follow=True)
    assert "Kies een rekeningafschrift" in page.content.decode()
    assert Client().get("/bank/").status_code == 302


def test_the_command_imports_for_the_employer_and_says_what_it_did(
    company: Company, tmp_path: Path, settings: Any
) -> None:
    """The command runs as a person would: its own process, on a SQLite database of its own."""
    env = {**os.environ, "PLATFORM_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    env["PLATFORM_VAR_DIR"] = str(tmp_path)
    inleg = str(Path(sys.executable).parent / "inleg")
    missing = subprocess.run(
        [inleg, "bank", "import", str(FIXTURES / "batch.xml"), "--employer", "20001"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert missing.returncode == 2
    assert "geen bedrijf heeft werkgever 20001" in missing.stderr
    made = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from inleg.platform.accounts.models import Company; "
         "print(Company.objects.create(name='C').pk)"],
        env={**env, "DJANGO_SETTINGS_MODULE": "inleg.platform.settings"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    files = [str(FIXTURES / "batch.xml"), str(FIXTURES / "batch.xml"), str(FIXTURES / "pain001.xml")]
    done = subprocess.run(
        [inleg, "bank", "import", *files, "--company", made.stdout.strip()],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert done.returncode == 2  # one file refused; the others read
    assert lines[0].endswith("ingelezen (camt.053.001.02): 2 nieuwe bijschrijvingen (0 herkend, 2 niet herkend), "
                             "0 terugboekingen, 0 genegeerd, 0 al eerder ingelezen")  # fmt: skip
    assert lines[1].endswith("batch.xml: 2 geboekt in het grootboek, 0 wachten op een beslissing")
    assert lines[2].endswith("0 nieuwe bijschrijvingen (0 herkend, 0 niet herkend), 0 terugboekingen, 0 genegeerd, "
                             "2 al eerder ingelezen")  # fmt: skip
    assert lines[3].endswith("batch.xml: 0 geboekt in het grootboek, 0 wachten op een beslissing")  # read twice
    assert "niet ingelezen: dit is geen rekeningafschrift (camt.053) maar een betaalopdracht (pain.001)" in lines[4]
