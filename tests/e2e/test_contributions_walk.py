"""The employer's contributions, in a real browser against the running servers: a fixed amount for everyone from
the first possible period, the preview, the write to Loket.nl in the worker, the sandbox's payroll of that period
run and approved (its CLI, as the payroll administrator would in Loket), the results read with "Lees resultaten",
and the period overview: planned = held by Loket = paid."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Servers, Shot
from tests.e2e.test_seed_steps import PASSWORD, RAW, authorise, register
from tests.platform.loket_sandbox import BIN

EMPLOYER = 20001  # the seed's Bakkerij Jansen: Pensify Inleg and Pensify Netto are recognised by their names
EURO = re.compile(r"€ \d[\d.]*,\d\d")


def _coupled(page: Page, servers: Servers) -> None:
    """A company coupled to 20001 with its employees in: a new one, or the seed walk's (it holds 20001 then)."""
    register(page, servers, "Bakkerij Inleg B.V.", "inleg@bakkerij.example")
    authorise(page, servers, "koppeling")
    if page.locator("#state").inner_text() != "actief":  # 20001 is Bakkerij Jansen's already (the seed walk ran)
        page.context.clear_cookies()
        page.goto(servers.platform_url + "/login/")
        page.get_by_label("E-mailadres").fill("eva@jansen.example")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.goto(servers.platform_url + "/company/integrations/loket/")
        expect(page.locator("#state")).to_have_text("actief")
    expect(page.locator("#sync .badge.done").first).to_be_visible(timeout=90_000)


def _plain(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not RAW.search(text), RAW.search(text)
    assert "Cents(" not in text
    assert "None" not in text


def test_a_scheme_is_written_paid_and_read_back(servers: Servers, browser: Any, shot: Shot) -> None:
    year = datetime.now(ZoneInfo("Europe/Amsterdam")).year  # the servers' year (this machine's date)
    servers.sandbox.orm(
        "from inleg.sandbox.core.models import BenefitDeduction, PayrollAdministration\n"
        "from inleg.sandbox.payroll.periods import ensure_periods\n"
        "for admin in PayrollAdministration.objects.all():\n"
        f"    ensure_periods(admin, {year})\n"
        f"    ensure_periods(admin, {year + 1})\n"
        # A clean start on the two components (the seed's own records would each be a conflict to resolve).
        "BenefitDeduction.objects.filter(component__key__in=(751, 831)).delete()\n"
    )
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    _coupled(page, servers)

    # The scheme: a fixed amount for everyone, from the first possible period (the first in the list).
    page.goto(servers.platform_url + "/contributions/")
    starts = page.get_by_text(re.compile(r"Gaat in vanaf periode \d+ van \d{4}"))
    expect(starts).to_be_visible()
    first = page.locator("#from-period option").first
    year_number = first.get_attribute("value") or ""
    period_year, period_number = (int(part) for part in year_number.split("-"))
    expect(page.locator("#from-period")).to_have_value(year_number)
    page.locator("input[name=rule][value=fixed]").check()
    page.locator("#scheme-form").get_by_label("Bedrag", exact=True).fill("50,00")
    page.locator("input[name=scope][value=all]").check()
    shot(page, "contributions-1-regeling")
    page.get_by_role("button", name="Regeling opslaan").click()
    expect(page.locator("main .alert").first).to_contain_text(
        f"Opgeslagen: de regeling gaat in vanaf periode {period_number} van {period_year}."
    )
    history = page.locator("table").last
    expect(history).to_contain_text("vast bedrag · € 50,00")
    expect(history).to_contain_text(f"{period_year}-{period_number:02d}")
    _plain(page)
    shot(page, "contributions-2-opgeslagen")

    # The preview: per employee what will be written, nothing held back.
    page.get_by_role("link", name="Voorvertoning en schrijven").click()
    expect(page.get_by_text("€ 50,00 per periode vanaf").first).to_be_visible()
    _plain(page)
    shot(page, "contributions-3-voorvertoning")
    page.get_by_role("button", name="Schrijf naar Loket.nl").click()
    expect(page.get_by_role("heading", name="Schrijven naar Loket.nl")).to_be_visible()
    for _ in range(60):  # the worker writes in the background; the page says to refresh
        if "klaar" in page.locator("main").inner_text():
            break
        page.wait_for_timeout(1000)
        page.reload()
    main = page.locator("main").inner_text()
    assert "klaar ·" in main, main
    assert "met fouten" not in main, main
    _plain(page)
    shot(page, "contributions-4-geschreven")

    # The payroll administrator runs and approves the period in Loket (the sandbox's CLI).
    done = subprocess.run(
        [str(BIN / "inleg"), "sandbox", "payroll", "--employer", str(EMPLOYER), "--year", str(period_year),
         "--period", str(period_number), "--approve"],
        env=servers.sandbox.env, cwd=servers.sandbox.dir, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    page.goto(servers.platform_url + "/contributions/periods/")
    page.get_by_role("button", name="Lees resultaten").click()
    # Read now, or already by the worker's schedule (then nothing new is left to read).
    said = page.locator("main .alert").first.inner_text()
    assert f"periode {period_number} van {period_year}" in said or "Geen nieuwe goedgekeurde verloning" in said, said
    row = page.locator("tbody tr").filter(has_text=f"periode {period_number} van {period_year}")
    expect(row).to_have_count(1)
    cells = [row.locator("td").nth(i).inner_text() for i in range(5)]
    planned, held, paid = cells[1], cells[2], cells[3]
    assert EURO.fullmatch(planned), cells
    assert planned == held == paid, cells
    assert planned != "€ 0,00", cells
    assert cells[4] == "geen", cells
    _plain(page)
    shot(page, "contributions-5-per-periode")
    row.get_by_role("link").click()
    expect(page.get_by_text("€ 50,00").first).to_be_visible()
    _plain(page)
    shot(page, "contributions-6-periode")
    context.close()
