"""The employee app in a real browser against the running servers, the whole road of issue 10: the employer
invites, the invitation arrives in the outbox, the employee onboards on a phone and chooses a net amount; the
employer has a scheme and writes it to Loket.nl; the payroll runs and is approved in the sandbox (its CLI, as the
payroll administrator would in Loket); the results are read ("Lees resultaten"); the bank statement is made from
the sandbox's excasso with ``inleg bank simulate`` and uploaded on the Bank page; and the deposit appears in the
app as "ontvangen", employer money and own money apart. Every app page at phone (390×844) and desktop width:
screenshots, no horizontal overflow, and axe-core (vendored, see vendor/README.md) finds no serious or critical
violation.
"""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Servers, Shot
from tests.e2e.test_seed_steps import authorise, register
from tests.platform.loket_sandbox import BIN

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
EMPLOYEE_PASSWORD = "zonnebloem-kaas-77"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def check(page: Page, shot: Shot, name: str) -> None:
    """Screenshot, no horizontal overflow, no serious or critical axe violation."""
    shot(page, name)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{name}: the page is {width}px wide in a {inner}px window"
    page.add_script_tag(path=str(AXE))
    result: Any = page.evaluate("async () => await axe.run(document)")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{name}: {bad}"


def write_a_scheme(page: Page, servers: Servers, shot: Shot) -> tuple[int, int]:
    """Inleg: a fixed € 50,00 for everyone from the first possible period, the preview, the write (the worker)."""
    page.goto(servers.platform_url + "/contributions/")
    first = page.locator("#from-period option").first
    period_year, period_number = (int(part) for part in (first.get_attribute("value") or "").split("-"))
    page.locator("input[name=rule][value=fixed]").check()
    page.locator("#scheme-form").get_by_label("Bedrag", exact=True).fill("50,00")
    page.locator("input[name=scope][value=all]").check()
    page.get_by_role("button", name="Regeling opslaan").click()
    expect(page.locator("main .alert").first).to_contain_text(
        f"Opgeslagen: de regeling gaat in vanaf periode {period_number} van {period_year}."
    )
    page.get_by_role("link", name="Voorvertoning en schrijven").click()
    # The employee's own € 25,00 is in the plan beside the employer's € 50,00.
    expect(page.get_by_text("€ 25,00").first).to_be_visible()
    shot(page, "app-road-employer-preview-desktop")
    page.get_by_role("button", name="Schrijf naar Loket.nl").click()
    for _ in range(60):  # the worker writes in the background; the page says to refresh
        if "klaar" in page.locator("main").inner_text():
            break
        page.wait_for_timeout(1000)
        page.reload()
    main = page.locator("main").inner_text()
    assert "klaar ·" in main, main
    assert "met fouten" not in main, main
    shot(page, "app-road-employer-written-desktop")
    return period_year, period_number


def loket_employer(page: Page, servers: Servers) -> int:
    page.goto(servers.platform_url + "/company/integrations/loket/")
    text = page.get_by_text("Gekoppelde werkgever").inner_text()
    found = re.search(r"Gekoppelde werkgever: (\d+)", text)
    assert found, text
    return int(found.group(1))


def run_payroll(servers: Servers, employer: int, year: int, number: int) -> Path:
    """Run and approve the period in the sandbox (its CLI); the excasso (pain.001) its approval wrote in
    SANDBOX_SEPA_DIR (the sandbox's var/sepa)."""
    done = subprocess.run(
        [str(BIN / "inleg"), "sandbox", "payroll", "--employer", str(employer), "--year", str(year),
         "--period", str(number), "--approve"],
        env=servers.sandbox.env, cwd=servers.sandbox.dir, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (excasso,) = (servers.sandbox.dir / "sepa").glob(f"excasso-{employer}-{year}{number:02d}-*.xml")
    return excasso


def test_the_whole_road_from_invitation_to_a_received_deposit(servers: Servers, browser: Any, shot: Shot) -> None:
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
    employer = browser.new_context(viewport=DESKTOP)
    page = employer.new_page()
    register(page, servers, "Appbedrijf B.V.", "eigenaar@appbedrijf.example")
    authorise(page, servers, "koppeling")
    # The employees come in through the sync (the worker); then Werknemers > Werknemers in de app.
    page.goto(servers.platform_url + "/employees/app/")
    for _ in range(60):
        if page.get_by_role("button", name=re.compile("^Uitnodigen: ")).count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    check(page, shot, "app-employer-invitations-desktop")
    first = page.get_by_role("button", name=re.compile("^Uitnodigen: ")).first
    row = page.locator("tr", has=first)
    email = row.locator("td").nth(2).inner_text().strip()
    first.click()
    expect(page.get_by_text("Uitnodiging verstuurd naar")).to_be_visible()
    # The employer's list of employees shows the birth date the employee will confirm.
    page.goto(servers.platform_url + f"/employees/?q={email}")
    born_text = page.locator("tbody tr").first.locator("td").nth(2).inner_text().strip()
    day, month, born_year = born_text.split("-")
    # The invitation in the outbox.
    page.goto(servers.platform_url + "/employees/app/outbox/")
    message = page.locator("article", has_text=email).first
    expect(message).to_be_visible()
    check(page, shot, "app-employer-outbox-desktop")
    link = re.search(r"http://\S+/app/welkom/\S+/", message.inner_text())
    assert link, message.inner_text()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    app = phone.new_page()
    app.goto(link.group(0))
    check(app, shot, "app-1-onboarding-phone")
    app.get_by_label("Uw geboortedatum").fill(f"{born_year}-{month}-{day}")
    app.get_by_label("Wachtwoord", exact=True).fill(EMPLOYEE_PASSWORD)
    app.get_by_label("Wachtwoord (nogmaals)").fill(EMPLOYEE_PASSWORD)
    app.get_by_role("button", name="Account aanmaken").click()
    expect(app.get_by_role("heading", name="Voorwaarden van de Pensify-app")).to_be_visible()
    check(app, shot, "app-2-terms-phone")
    app.get_by_label("Ik heb de voorwaarden gelezen en ga ermee akkoord").check()
    app.get_by_role("button", name="Accepteren en verder").click()
    expect(app.get_by_role("heading", name=re.compile("^Hallo"))).to_be_visible()
    check(app, shot, "app-3-home-phone")

    # choose_net_amount: keyboard only, from the home page's link to saving.
    app.get_by_role("link", name="Eigen inleg kiezen of wijzigen").first.click()
    expect(app.get_by_text("gaat in vanaf")).to_be_visible()
    check(app, shot, "app-4-net-amount-phone")
    field = app.get_by_label("Eigen inleg per maand (netto, in euro's)")
    field.focus()
    app.keyboard.type("25,00")
    app.keyboard.press("Enter")
    expect(app.get_by_text(re.compile(r"Uw eigen inleg is € 25,00 per maand vanaf periode"))).to_be_visible()
    expect(app.get_by_text(re.compile(r"U legt zelf € 25,00 per maand in"))).to_be_visible()
    check(app, shot, "app-5-home-after-net-amount-phone")

    app.get_by_role("link", name="Pensioenrekening bekijken").first.click()
    expect(app.get_by_role("heading", name="Uw pensioenrekening")).to_be_visible()
    expect(app.get_by_text("verwacht").first).to_be_visible()
    check(app, shot, "app-6-account-phone")

    # The employer: a scheme of € 50,00 for everyone from the first possible period, previewed and written.
    period_year, period_number = write_a_scheme(page, servers, shot)
    # The payroll administrator runs and approves that period in Loket; the approval writes the excasso.
    employer_number = loket_employer(page, servers)
    excasso = run_payroll(servers, employer_number, period_year, period_number)
    page.goto(servers.platform_url + "/contributions/periods/")
    page.get_by_role("button", name="Lees resultaten").click()
    said = page.locator("main .alert").first.inner_text()
    assert f"periode {period_number} van {period_year}" in said or "Geen nieuwe goedgekeurde verloning" in said, said
    shot(page, "app-road-employer-periods-desktop")
    # The pension provider's bank statement for that excasso, read on the Bank page.
    statement = excasso.with_name(excasso.stem + "-camt053.xml")
    done = subprocess.run(
        [str(BIN / "inleg"), "bank", "simulate", str(excasso), "-o", str(statement)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page.goto(servers.platform_url + "/bank/")
    page.get_by_label("Rekeningafschrift (XML)").set_input_files(str(statement))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.locator("main .alert.success")).to_contain_text("geboekt in het grootboek")
    shot(page, "app-road-employer-bank-desktop")

    # The employee sees the deposit received, employer money and own money apart.
    app.reload()
    row = app.locator("tbody tr").filter(has_text=f"periode {period_number} · {period_year}").last
    expect(row).to_contain_text("ontvangen")
    expect(row.locator("td").nth(1)).to_have_text("€ 50,00")
    expect(row.locator("td").nth(2)).to_have_text("€ 25,00")
    expect(app.locator(".big").first).to_have_text("€ 75,00")
    expect(app.locator("svg.chart rect")).to_have_count(2)
    check(app, shot, "app-8-account-received-phone")
    app.get_by_role("link", name="Uitleg en belasting").click()
    app.get_by_label("Uw bruto jaarinkomen van vorig jaar (in euro's)").fill("45000")
    app.get_by_role("button", name="Bereken").click()
    expect(app.get_by_text("Geschat terug van de belasting")).to_be_visible()
    check(app, shot, "app-7-explanation-phone")

    # The same pages at desktop width, logged in through the app's login.
    desk = browser.new_context(viewport=DESKTOP).new_page()
    desk.goto(servers.platform_url + "/app/login/")
    check(desk, shot, "app-0-login-desktop")
    desk.get_by_label("E-mailadres").fill(email)
    desk.get_by_label("Wachtwoord").fill(EMPLOYEE_PASSWORD)
    desk.get_by_role("button", name="Inloggen").click()
    expect(desk.get_by_role("heading", name=re.compile("^Hallo"))).to_be_visible()
    check(desk, shot, "app-3-home-desktop")
    for name, url in (("net-amount", "Eigen inleg kiezen of wijzigen"), ("account", "Pensioenrekening bekijken")):
        desk.get_by_role("link", name=url).first.click()
        check(desk, shot, f"app-{name}-desktop")
        desk.go_back()
    desk.goto(servers.platform_url + "/app/uitleg/?income=45000&factor_a=0")
    check(desk, shot, "app-7-explanation-desktop")
    # The employer sees the employee as onboarded.
    page.goto(servers.platform_url + "/employees/app/")
    expect(page.locator("tr", has_text=email)).to_contain_text("onboarded")

    # English: the employee switches language in the app's header, as the employer's pages do.
    app.goto(servers.platform_url + "/app/")
    app.get_by_role("link", name="Pensioenrekening bekijken").first.click()
    app.get_by_label("Taal").select_option("en")
    expect(app.get_by_role("heading", name="Your pension account")).to_be_visible()
    row = app.locator("tbody tr").filter(has_text=f"period {period_number} · {period_year}").last
    expect(row).to_contain_text("received")
    check(app, shot, "app-9-account-english-phone")
    app.get_by_role("link", name="Explanation and tax").click()
    expect(app.get_by_role("heading", name="How it works")).to_be_visible()
    expect(app.get_by_text("€ 137.800,00").first).to_be_visible()
    check(app, shot, "app-10-explanation-english-phone")
