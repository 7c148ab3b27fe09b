"""Loket Classic's Fondsen screen in a real browser, as a payroll administrator (``beheerder``) uses it: from a
wage model without funds, define a pension fund through the form (a typo refused first), link it to two
employments in Classic (one through a werknemerprofiel, one by hand on the employment's Fondsen page), run the
payroll on tab Verloning and find the premiums on the results, worked out by hand."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Shot
from tests.platform.loket_sandbox import PASSWORD, Sandbox

YEAR = 2025
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def loket() -> Iterator[Sandbox]:
    sandbox = Sandbox(employers=2, employees=12)
    try:
        yield sandbox
    finally:
        sandbox.stop()


EMPTY_WAGE_MODEL = f"""
import json
from datetime import date
from inleg.sandbox.core.models import EmploymentFund, Fund, PayrollAdministration
admin = PayrollAdministration.objects.get(employer__employer_number=20002)
EmploymentFund.objects.filter(fund__administration=admin).delete()
Fund.objects.filter(administration=admin).delete()
admin.components.filter(key__gte=600, key__lt=800).delete()
jobs = [e for e in admin.employments.select_related('employee').order_by('employee__employee_number')
        if e.start_date <= date({YEAR}, 1, 1) and (e.end_date is None or e.end_date >= date({YEAR}, 12, 31))][:2]
out = []
for job in jobs:
    hours = [h for h in job.working_hours.select_related('shift').all() if h.valid_on(date({YEAR}, 1, 31))][0]
    out.append({{'id': str(job.pk), 'number': job.employee.employee_number, 'ptf': str(hours.part_time_factor),
                'start': job.start_date.strftime('%d-%m-%Y')}})
print(json.dumps({{'admin': str(admin.pk), 'jobs': out}}))
"""


def money(text: str) -> Decimal:
    return Decimal(text.strip().replace(",", "."))


def test_define_a_fund_link_it_run_the_payroll_and_see_the_premiums(loket: Sandbox, browser: Any, shot: Shot) -> None:
    setup = json.loads(loket.orm(EMPTY_WAGE_MODEL))
    admin, jobs = setup["admin"], setup["jobs"]
    assert len(jobs) == 2
    page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{loket.url}/classic/{admin}/fondsen/")
    page.fill("#id_username", "beheerder")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.get_by_text("Dit loonmodel heeft nog geen fondsen.")).to_be_visible()
    shot(page, "fondsen-01-leeg-loonmodel")

    page.get_by_role("link", name="+ Fonds toevoegen").click()
    page.fill("#id_number", "1")
    page.fill("#id_name", "Pensioen Classic")
    page.fill("#id_max_premium", "137800,00")
    page.fill("#id_max_total", "137800,00")
    page.select_option("#id_max_part_time", "true")
    page.fill("#id_franchise_premium", "17545,00")
    page.fill("#id_franchise_total", "17545,00")
    page.select_option("#id_franchise_part_time", "true")
    page.fill("#id_premium_percentage", "7,55555")  # a typo: five decimals
    page.fill("#id_total_percentage", "22")
    page.select_option("#id_base-0-component", "10")
    page.fill("#id_valid_from", f"{YEAR}-01-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Premie percentage: “7,55555” heeft te veel decimalen")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Pensioen Classic")  # what was typed is kept
    shot(page, "fondsen-02-weigering")
    page.fill("#id_premium_percentage", "7,5")
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Fonds 1 Pensioen Classic is aangemaakt met de gekoppelde componenten 601 en 701.")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Prem. fonds 1")).to_be_visible()
    shot(page, "fondsen-03-fonds-aangemaakt")

    # A werknemerprofiel with the fund, applied to the first employment on its Fondsen page (tab Dienstverbanden).
    page.get_by_role("link", name="Werknemerprofielen", exact=True).click()
    expect(page.get_by_text("Dit loonmodel heeft nog geen werknemerprofielen.")).to_be_visible()
    page.get_by_role("link", name="+ Werknemerprofiel toevoegen").click()
    page.fill("#id_name", "Kantoor")
    page.select_option("#id_rows-0-fund", label="1 Pensioen Classic")
    page.select_option("#id_rows-0-retroactive", label="Ja")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Werknemerprofiel Kantoor is opgeslagen.")).to_be_visible()
    shot(page, "fondsen-04-werknemerprofiel")
    first, second = jobs
    page.get_by_role("link", name="Dienstverbanden", exact=True).click()
    page.get_by_role("link", name=f"Fondsen van werknemer {first['number']}").click()
    expect(page.get_by_text("Dit dienstverband heeft nog geen fondsen.")).to_be_visible()
    page.select_option("#id_profile", label="Kantoor")
    page.get_by_role("button", name="Profiel toepassen").click()
    # The fund made above has no entry moment, so the link starts on the hire date (seed 004).
    expect(page.get_by_text(f"Fonds 1 Pensioen Classic gekoppeld: {first['start']} t/m open.")).to_be_visible()
    expect(page.get_by_role("cell", name="profiel Kantoor")).to_be_visible()
    shot(page, "fondsen-05-profiel-toegepast")
    page.get_by_role("button", name="Profiel toepassen").click()  # again: no second link
    expect(page.get_by_text("Fonds 1 Pensioen Classic: al gekoppeld")).to_be_visible()
    expect(page.get_by_role("cell", name="profiel Kantoor")).to_have_count(1)

    # The second employment by hand, from 1 January: a deviation typed with one percentage is refused first.
    page.get_by_role("link", name="Dienstverbanden", exact=True).click()
    page.get_by_role("link", name=f"Fondsen van werknemer {second['number']}").click()
    page.select_option("#id_fund", label="1 Pensioen Classic")
    page.fill("#id_start_date", f"{YEAR}-01-01")
    page.fill("#id_deviation_premium", "7,5")
    page.get_by_role("button", name="Koppelen").click()
    expect(
        page.get_by_text("Afwijkend % afdracht is leeg; vul het in (premie en afdracht gaan samen).")
    ).to_be_visible()
    shot(page, "fondsen-06-koppelen-weigering")
    page.fill("#id_deviation_premium", "")
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_text(f"Fonds 1 Pensioen Classic gekoppeld: 01-01-{YEAR} t/m open.")).to_be_visible()
    expect(page.get_by_role("cell", name="handmatig")).to_be_visible()
    shot(page, "fondsen-07-handmatig-gekoppeld")

    page.goto(f"{loket.url}/classic/{admin}/verloning/")
    page.fill("#id_year", str(YEAR))
    page.fill("#id_period", "1")
    page.get_by_role("button", name="Verloning starten").click()
    expect(page.get_by_text(f"Verloning {YEAR}-01 is gereed.")).to_be_visible()
    shot(page, "fondsen-08-verloning")
    page.get_by_role("link", name=f"{YEAR}-01").click()
    shot(page, "fondsen-09-resultaten")

    for job in jobs:
        section = page.locator("h2", has_text=re.compile(rf"^{job['number']} ")).locator(
            "xpath=following-sibling::table[1]"
        )

        def line(key: int, section: Any = section) -> Decimal:
            row = section.locator("tr", has=page.locator("td", has_text=re.compile(rf"^{key}$")))
            return money(row.first.locator("td").last.inner_text())  # Bedrag, the last column

        salary, ptf = line(10), Decimal(job["ptf"])
        # funds.md 5 and 7: the yearly franchise per month, scaled part-time and rounded; 7.5 % and 22 % of the rest.
        franchise = (Decimal("17545.00") / 12 * ptf).quantize(CENT, ROUND_HALF_UP)
        cap = (Decimal("137800.00") / 12 * ptf).quantize(CENT, ROUND_HALF_UP)
        base = max(min(salary, cap) - franchise, Decimal(0))
        assert line(601) == (base * Decimal("7.5") / 100).quantize(CENT, ROUND_HALF_UP)
        assert line(701) == (base * Decimal("22") / 100).quantize(CENT, ROUND_HALF_UP)
        assert line(601) > 0
