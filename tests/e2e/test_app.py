"""The employee app in a real browser against the running servers: the employer invites, the invitation arrives
in the outbox, the employee onboards on a phone, chooses a net amount and sees the account page. Every app page
at phone (390×844) and desktop width: screenshots, no horizontal overflow, and axe-core (vendored, see
vendor/README.md) finds no serious or critical violation.

Where the full road continues (issue 10): after the bank import lands, run the payroll in the sandbox
(`inleg sandbox payroll --approve`), read the results (`services.read_results`) and the bank statement, and
check that the account page shows the deposit as "ontvangen"; that plugs in after ``choose_net_amount`` below.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Servers, Shot
from tests.e2e.test_seed_steps import authorise, register

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


def test_invite_onboard_choose_a_net_amount_and_see_the_account(servers: Servers, browser: Any, shot: Shot) -> None:
    year = date.today().year  # noqa: DTZ011  (the sandbox needs this year's and next year's periods)
    servers.sandbox.orm(
        "from inleg.sandbox.core.models import PayrollAdministration\n"
        "from inleg.sandbox.payroll.periods import ensure_periods\n"
        "for admin in PayrollAdministration.objects.all():\n"
        f"    ensure_periods(admin, {year})\n"
        f"    ensure_periods(admin, {year + 1})\n"
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
