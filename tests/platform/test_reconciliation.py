"""The reconciliation of a period over the real tables: the four amounts read from contributions, the journal, the
payroll's results and the ledger; the page with its chart, filter and downloads; tenants apart."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from inleg.platform.accounts.models import Company, User
from inleg.platform.contributions.models import ContributionSettings, JournalEntry, PaidAmount, Version
from inleg.platform.domain import ledger as L
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.domain.reconciliation import Pair, Status, Who
from inleg.platform.employees.models import Employee, Employment
from inleg.platform.integrations.models import LoketConnection, State
from inleg.platform.ledger import booking
from inleg.platform.reconciliation.services import reconcile
from tests.platform.conftest import logged_in, make_company

JAN = PeriodKey(2026, 1)
MADE = datetime(2026, 1, 5, 9, tzinfo=UTC)
GROSS, NET = 100, 101  # the two components' numbers


def employ(company: Company, number: int) -> Employment:
    employee = Employee.objects.create(
        company=company, loket_id=f"e{number}", employee_number=number, first_name="Jan", last_name=f"Werknemer{number}"
    )
    return Employment.objects.create(
        company=company, employee=employee, loket_id=f"m{number}", start_date=date(2020, 1, 1)
    )


def written(company: Company, employment: Employment, component: int, cents: int, n: int) -> None:
    JournalEntry.objects.create(
        company=company,
        entry_id=f"j-{employment.loket_id}-{component}-{n}",
        action="create",
        employment_id=employment.loket_id,
        component_key=component,
        record_id=f"r-{employment.loket_id}-{component}-{n}",
        start=date(2026, 1, 1),
        value_cents=cents,
        made_at=MADE,
        status="done",
    )


def paid(employment: Employment, gross: int, net: int, excasso: int | None = None) -> None:
    PaidAmount.objects.create(
        company=employment.company,
        employment=employment,
        year=2026,
        number=1,
        gross_cents=gross,
        withheld_cents=gross,
        net_cents=net,
        excasso_cents=gross + net if excasso is None else excasso,
        read_at=datetime(2026, 1, 26, 12, tzinfo=UTC),
    )


def received(company: Company, employment: Employment, cents: int, gross: int, net: int) -> None:
    entry = L.matched_credit(Cents(cents), employment.loket_id, JAN, L.Split(Cents(gross), Cents(net)))
    booking.book(company, f"BANK-{employment.loket_id}", entry)


@pytest.fixture
def company(admin: User) -> Company:
    company = admin.company
    LoketConnection.objects.create(
        company=company,
        state=State.ACTIVE,
        employer_id="x",
        employer_number=20001,
        component_key=GROSS,
        net_component_key=NET,
    )
    ContributionSettings.objects.create(
        company=company, periods=[{"year": 2026, "number": 1, "start": "2026-01-01", "end": "2026-01-31", "ran": True}]
    )
    Version.objects.create(
        company=company,
        kind="scheme",
        from_year=2026,
        from_number=1,
        rule="fixed",
        amount_cents=10000,
        author="Eva",
        made_at=MADE,
    )
    whole, missing, unwritten = employ(company, 1), employ(company, 2), employ(company, 3)
    for employment in (whole, missing):
        Version.objects.create(
            company=company,
            kind="net",
            from_year=2026,
            from_number=1,
            rule="fixed",
            amount_cents=2500,
            employment=employment,
            author="Eva",
            made_at=MADE,
        )
        written(company, employment, GROSS, 10000, 1)
        written(company, employment, NET, 2500, 1)
        paid(employment, 10000, 2500)
    received(company, whole, 12500, 10000, 2500)
    paid(unwritten, 0, 0)  # nothing written for employee 3: the payroll paid nothing
    return company


def test_each_employment_gets_the_status_its_four_amounts_give(company: Company) -> None:
    lines = {line.employment.loket_id: line for line in reconcile(company, JAN, today=date(2026, 1, 28))}
    assert lines["m1"].verdict.status is Status.IN_ORDER
    assert (lines["m1"].asked.total, lines["m1"].held.total, lines["m1"].paid.total) == (  # type: ignore[union-attr]
        Cents(12500),
        Cents(12500),
        Cents(12500),
    )
    assert lines["m1"].received == Cents(12500)
    assert (lines["m2"].verdict.status, lines["m2"].verdict.who) == (Status.PAID_NOT_RECEIVED, Who.EMPLOYER)
    assert (lines["m3"].verdict.status, lines["m3"].verdict.who) == (Status.NOT_WRITTEN, Who.EMPLOYER)
    # Paid Monday 26 January; on Tuesday 3 February, 6 bank working days later, the missing credit is late.
    late = {line.employment.loket_id: line for line in reconcile(company, JAN, today=date(2026, 2, 3))}
    assert late["m2"].verdict.status is Status.OVERDUE


def test_the_overdue_term_is_a_setting(company: Company, settings: Any) -> None:
    settings.RECONCILIATION_OVERDUE_BANK_DAYS = 6
    lines = {line.employment.loket_id: line for line in reconcile(company, JAN, today=date(2026, 2, 3))}
    assert lines["m2"].verdict.status is Status.PAID_NOT_RECEIVED


def test_a_pending_write_leaves_what_loket_holds_unread(company: Company) -> None:
    JournalEntry.objects.create(
        company=company,
        entry_id="pending",
        action="update",
        employment_id="m1",
        component_key=GROSS,
        record_id="r-m1-100-1",
        start=date(2026, 1, 1),
        value_cents=9000,
        made_at=MADE,
        status="pending",
    )
    line = next(line for line in reconcile(company, JAN) if line.employment.loket_id == "m1")
    assert (line.held, line.verdict.status, line.verdict.who) == (None, Status.HELD_NOT_READ, Who.US)


def test_the_page_shows_the_rows_the_chart_and_filters_on_status(company: Company, admin: User) -> None:
    client = logged_in(admin)
    assert client.get("/reconciliation/").url == "/reconciliation/2026-01/"  # type: ignore[attr-defined]
    page = client.get("/reconciliation/2026-01/").content.decode()
    assert "<svg" in page
    assert "<rect" in page
    assert "€ 125,00" in page
    assert page.count("<tr data-status=") == 3
    filtered = client.get("/reconciliation/2026-01/", {"status": "nog niet geschreven"}).content.decode()
    assert filtered.count("<tr data-status=") == 1
    assert "Werknemer3" in filtered


def test_the_rows_download_as_csv_and_xlsx(company: Company, admin: User) -> None:
    client = logged_in(admin)
    response = client.get("/reconciliation/2026-01/download.csv")
    assert response["Content-Disposition"] == 'attachment; filename="afstemming-2026-01.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Werknemer", "Personeelsnummer", "Dienstverband", "Periode"]
    first = next(r for r in rows if r[2] == "m1")
    assert first[4:10] == ["125,00", "125,00", "125,00", "125,00", "in orde", "niemand"]
    book = load_workbook(io.BytesIO(client.get("/reconciliation/2026-01/download.xlsx").content))
    sheet = book.active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    second = next(r for r in values if r[2] == "m2")
    assert (float(second[6]), float(second[7]), second[8]) == (125.0, 0.0, "te laat")  # type: ignore[arg-type]  # paid in January: long overdue today


def test_another_company_sees_none_of_it(company: Company) -> None:
    _other, stranger = make_company("Ander B.V.", "ander@ander.example")
    client = logged_in(stranger)
    employment = Employment.objects.get(loket_id="m1")
    assert client.get("/reconciliation/2026-01/").status_code == 404
    assert client.get("/reconciliation/2026-01/download.csv").status_code == 404
    assert client.get(f"/reconciliation/employments/{employment.pk}/").status_code == 404
    assert client.get("/reconciliation/").status_code == 200


def test_an_employments_own_versions_count_for_it_alone(company: Company) -> None:
    m3 = Employment.objects.get(loket_id="m3")
    Version.objects.create(
        company=company, kind="exception", from_year=2026, from_number=1, rule="fixed", amount_cents=7000,
        employment=m3, author="Eva", made_at=MADE,
    )  # fmt: skip
    lines = {line.employment.loket_id: line for line in reconcile(company, JAN, today=date(2026, 1, 28))}
    assert lines["m3"].asked == Pair(Cents(7000), Cents(0))
    assert lines["m1"].asked == Pair(Cents(10000), Cents(2500))  # the scheme's amount and its own net amount
    assert lines["m2"].asked == Pair(Cents(10000), Cents(2500))
