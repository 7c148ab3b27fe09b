"""The seed's five steps, literally, in a real browser against the running sandbox and platform:

1. Bedrijf > Integraties  2. Voeg een integratie toe, Loket.nl  3. Autoriseer Loket.nl, log in at Loket.nl
4. Toestaan  5. back on the platform, the connection active. And the refusal path (Weigeren).
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS, Servers
from tests.platform.loket_sandbox import PASSWORD as LOKET_PASSWORD

PASSWORD = "een-sterk-wachtwoord-42"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def register(page: Page, servers: Servers, company: str, email: str) -> None:
    page.goto(servers.platform_url + "/register/")
    page.get_by_label("Bedrijfsnaam").fill(company)
    page.get_by_label("Uw naam").fill("Eva Jansen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (nogmaals)").fill(PASSWORD)
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_text("Welkom! Uw bedrijf")).to_be_visible()


def steps_to_loket(page: Page, record: bool = False) -> None:
    # 1. Bedrijf > Integraties
    page.get_by_role("link", name="Bedrijf", exact=True).click()
    page.locator("nav.sub").get_by_role("link", name="Integraties").click()
    expect(page.get_by_role("heading", name="Integraties")).to_be_visible()
    if record:
        shot(page, "1-bedrijf-integraties")
    # 2. Voeg een integratie toe, and select Loket.nl
    page.get_by_role("link", name="Voeg een integratie toe").click()
    if record:
        shot(page, "2-voeg-een-integratie-toe")
    page.get_by_role("link", name=re.compile("Loket.nl")).click()
    if record:
        shot(page, "3-loket")
    # 3. Autoriseer Loket.nl and log in with the Loket.nl account
    page.get_by_role("button", name="Autoriseer Loket.nl").click()
    page.locator("input[name=username]").fill("koppeling")
    page.locator("input[name=password]").fill(LOKET_PASSWORD)
    if record:
        shot(page, "4-loket-inloggen")
    page.get_by_role("button", name="Inloggen").click()
    # 4. See what is shared
    expect(page.get_by_text("Wat de koppeling kan inzien")).to_be_visible()
    if record:
        shot(page, "5-loket-toestemming")


def test_the_seeds_five_steps_make_the_connection_active_and_employees_come_in(servers: Servers, browser: Any) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    register(page, servers, "Bakkerij Jansen B.V.", "eva@jansen.example")
    steps_to_loket(page, record=True)
    page.get_by_role("button", name="Toestaan").click()
    # 5. Back on the platform; the connection is active.
    expect(page).to_have_url(re.compile(re.escape(servers.platform_url) + "/company/integrations/loket/"))
    expect(page.locator("#state")).to_have_text("actief")
    expect(page.get_by_text("De koppeling is actief.")).to_be_visible()
    expect(page.get_by_text("automatisch herkend op de naam").first).to_be_visible()
    shot(page, "6-koppeling-actief")
    # The import runs in the worker; the page refreshes itself while it runs.
    expect(page.locator("#sync .badge.done").first).to_be_visible(timeout=60_000)
    shot(page, "7-import-klaar")
    page.locator("#sync tbody a").first.click()
    expect(page.locator("#run-status")).to_have_text("klaar")
    expect(page.get_by_text("100%")).to_be_visible()
    shot(page, "7b-synchronisatie")
    page.get_by_role("link", name="Werknemers", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Werknemers"))).to_be_visible()
    expect(page.locator("tbody tr").first).to_be_visible()
    shot(page, "8-werknemers")
    # English is one switch away.
    page.select_option("#language select", "en")
    expect(page.get_by_role("heading", name=re.compile("Employees"))).to_be_visible()
    context.close()


def test_refusing_at_loket_leaves_the_platform_unconnected(servers: Servers, browser: Any) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    register(page, servers, "Transport Bos B.V.", "bos@transport.example")
    steps_to_loket(page)
    page.get_by_role("button", name="Weigeren").click()
    expect(page.get_by_text("U heeft in Loket.nl op Weigeren geklikt")).to_be_visible()
    shot(page, "9-geweigerd")
    page.get_by_role("link", name="Terug naar Loket.nl").click()
    expect(page.locator("#state")).to_have_text("niet gekoppeld")
    expect(page.get_by_role("button", name="Autoriseer Loket.nl")).to_be_visible()
    context.close()


def test_provider_level_user_picks_one_employer_and_the_employer_picks_the_component(
    servers: Servers, browser: Any
) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    register(page, servers, "Zorggroep De Linde", "linde@zorg.example")
    page.goto(servers.platform_url + "/company/integrations/loket/")
    page.get_by_role("button", name="Autoriseer Loket.nl").click()
    page.locator("input[name=username]").fill("kantoor")
    page.locator("input[name=password]").fill(LOKET_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("button", name="Toestaan").click()
    expect(page.locator("#state")).to_have_text("kies werkgever")
    expect(page.get_by_text("een gebruiker op AK-niveau")).to_be_visible()
    shot(page, "10-kies-werkgever")
    page.locator("#choose-employer label").nth(1).click()
    page.get_by_role("button", name="Koppel deze werkgever").click()
    expect(page.locator("#state")).to_have_text("actief")
    expect(page.locator("#components").get_by_text("nog niet gekozen").first).to_be_visible()
    page.select_option("#pick-component", "711")
    page.locator("#components form").first.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("711 Reiskosten", exact=True)).to_be_visible()
    expect(page.get_by_text("gekozen door de werkgever").first).to_be_visible()
    shot(page, "11-component-gekozen")
    # Bedrijf > Gebruikers: invite the payroll administrator with the right to manage the connection.
    page.get_by_role("link", name="Bedrijf", exact=True).click()
    page.locator("nav.sub").get_by_role("link", name="Gebruikers").click()
    page.get_by_label("Naam", exact=True).fill("Sam Salaris")
    page.get_by_label("E-mailadres").fill("sam@kantoor.example")
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_text("Uitnodiging verstuurd naar sam@kantoor.example.")).to_be_visible()
    link = page.locator("#invitation-link").inner_text()
    shot(page, "12-gebruikers")
    invited = browser.new_context(locale="nl-NL").new_page()
    invited.goto(link)
    invited.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    invited.get_by_label("Wachtwoord (nogmaals)").fill(PASSWORD)
    invited.get_by_role("button", name="Account aanmaken").click()
    expect(invited.get_by_text("Welkom bij Zorggroep De Linde.")).to_be_visible()
    invited.goto(servers.platform_url + "/company/integrations/loket/")
    expect(invited.get_by_role("button", name="Nu synchroniseren")).to_be_visible()  # may manage the connection
    context.close()
