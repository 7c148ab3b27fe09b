"""The seed's five steps, literally, in a real browser against the running sandbox and platform:

1. Bedrijf > Integraties  2. Voeg een integratie toe, Loket.nl  3. Autoriseer Loket.nl, log in at Loket.nl
4. Toestaan  5. back on the platform, the connection active. And the refusal path (Weigeren), an employer
another company holds, a component made and renamed in Loket Classic, and a Loket user that is switched off.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Servers, Shot
from tests.platform.loket_sandbox import PASSWORD as LOKET_PASSWORD

PASSWORD = "een-sterk-wachtwoord-42"
# What a user must never read: Loket's paths, statuses, OAuth words and exception names.
RAW = re.compile(r"/v2/|/providers/|\b(401|403|429|500|503)\b|invalid_grant|Unauthorized|Error:")


def register(page: Page, servers: Servers, company: str, email: str) -> None:
    page.goto(servers.platform_url + "/register/")
    page.get_by_label("Bedrijfsnaam").fill(company)
    page.get_by_label("Uw naam").fill("Eva Jansen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (nogmaals)").fill(PASSWORD)
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_text("Welkom! Uw bedrijf")).to_be_visible()


def steps_to_loket(page: Page, shot: Shot | None = None) -> None:
    # 1. Bedrijf > Integraties
    page.get_by_role("link", name="Bedrijf", exact=True).click()
    page.locator("nav.sub").get_by_role("link", name="Integraties").click()
    expect(page.get_by_role("heading", name="Integraties")).to_be_visible()
    if shot:
        shot(page, "1-bedrijf-integraties")
    # 2. Voeg een integratie toe, and select Loket.nl
    page.get_by_role("link", name="Voeg een integratie toe").click()
    if shot:
        shot(page, "2-voeg-een-integratie-toe")
    page.get_by_role("link", name=re.compile("Loket.nl")).click()
    if shot:
        shot(page, "3-loket")
    # 3. Autoriseer Loket.nl and log in with the Loket.nl account
    page.get_by_role("button", name="Autoriseer Loket.nl").click()
    page.locator("input[name=username]").fill("koppeling")
    page.locator("input[name=password]").fill(LOKET_PASSWORD)
    if shot:
        shot(page, "4-loket-inloggen")
    page.get_by_role("button", name="Inloggen").click()
    # 4. See what is shared
    expect(page.get_by_text("Wat de koppeling kan inzien")).to_be_visible()
    if shot:
        shot(page, "5-loket-toestemming")


def authorise(page: Page, servers: Servers, username: str, *, again: bool = False) -> None:
    """From the platform's Loket page through Loket's login and consent, back to the platform."""
    page.goto(servers.platform_url + "/company/integrations/loket/")
    name = "Autoriseer opnieuw met een andere Loket.nl-gebruiker" if again else "Autoriseer Loket.nl"
    page.get_by_role("button", name=name).click()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(LOKET_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("button", name="Toestaan").click()
    expect(page).to_have_url(re.compile(re.escape(servers.platform_url) + "/company/integrations/loket/"))


def one_message(page: Page) -> str:
    """The page says one thing at a time: exactly one message box; its text, checked for raw detail."""
    boxes = page.locator("main .alert")
    expect(boxes).to_have_count(1)
    text = boxes.first.inner_text()
    assert not RAW.search(page.locator("main").inner_text()), RAW.search(page.locator("main").inner_text())
    return text


def classic(servers: Servers, browser: Any) -> Page:
    """Loket Classic, logged in as the sandbox's Loket administrator (another person, another browser)."""
    page: Page = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900}).new_page()
    page.goto(servers.sandbox.url + "/classic/")
    page.locator("input[name=username]").fill("beheerder")
    page.locator("input[name=password]").fill(LOKET_PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    expect(page.get_by_role("heading", name="Salarisverwerkende administraties")).to_be_visible()
    return page


def test_the_seeds_five_steps_make_the_connection_active_and_employees_come_in(
    servers: Servers, browser: Any, shot: Shot
) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    register(page, servers, "Bakkerij Jansen B.V.", "eva@jansen.example")
    steps_to_loket(page, shot)
    page.get_by_role("button", name="Toestaan").click()
    # 5. Back on the platform; the connection is active.
    expect(page).to_have_url(re.compile(re.escape(servers.platform_url) + "/company/integrations/loket/"))
    expect(page.locator("#state")).to_have_text("actief")
    expect(page.get_by_text("De koppeling is actief.")).to_be_visible()
    expect(page.get_by_text("automatisch herkend op de naam").first).to_be_visible()
    expect(page.locator("#authorised")).to_contain_text("Geautoriseerd door Eva Jansen op ")
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
    # The home page says where things stand, not "Koppel Loket.nl".
    page.get_by_role("link", name="Pensify").click()
    expect(page.locator("#next-step")).to_contain_text("De koppeling is actief en de looncomponenten zijn gekozen.")
    expect(page.get_by_text("Koppel Loket.nl")).to_have_count(0)
    expect(page.locator("#last-sync")).to_contain_text("werknemers ingeladen")
    shot(page, "8b-home-na-koppelen")
    # English is one switch away.
    page.select_option("#language select", "en")
    expect(page.locator("#next-step")).to_contain_text("The connection is active")
    page.locator("nav.main").get_by_role("link", name="Employees", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Employees"))).to_be_visible()
    context.close()


def test_refusing_at_loket_leaves_the_platform_unconnected(servers: Servers, browser: Any, shot: Shot) -> None:
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


def test_an_employer_another_company_holds_cannot_be_coupled_again(servers: Servers, browser: Any, shot: Shot) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    register(page, servers, "Installatiebedrijf Tweede B.V.", "tweede@installatie.example")
    authorise(page, servers, "koppeling")
    if page.locator("#state").inner_text() == "actief":  # run on its own: this company holds 20001 now
        page = context.new_page()
        page.context.clear_cookies()
        register(page, servers, "Installatiebedrijf Derde B.V.", "derde@installatie.example")
        authorise(page, servers, "koppeling")
    # A user that reaches one employer only, which another company holds: nothing is coupled or imported.
    expect(page.locator("#state")).to_have_text("werkgever al gekoppeld")
    text = one_message(page)
    assert "Werkgever 20001 Bakkerij Jansen B.V. is op dit platform al aan een ander bedrijf gekoppeld" in text
    assert "jansen.example" not in page.content()  # nothing of the other company
    expect(page.get_by_role("button", name="Nu synchroniseren")).to_have_count(0)
    shot(page, "13-werkgever-al-gekoppeld")
    # The same with the office's user at AK-niveau: that employer is there, greyed out, and cannot be chosen.
    context.clear_cookies(name="sessionid")  # logged out at Loket (the platform's session is pensify_session)
    authorise(page, servers, "kantoor", again=True)
    expect(page.locator("#state")).to_have_text("kies werkgever")
    taken = page.locator("#choose-employer li").filter(has_text="20001")
    expect(taken).to_contain_text("al gekoppeld aan een ander bedrijf op dit platform")
    expect(taken.locator("input[type=radio]")).to_be_disabled()
    expect(page.locator("#choose-employer input[type=radio]:checked")).to_have_count(0)  # nothing preselected
    shot(page, "14-kies-werkgever-bezet")
    context.close()


def test_provider_level_user_picks_one_employer_and_the_employer_picks_the_component(
    servers: Servers, browser: Any, shot: Shot
) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    register(page, servers, "Zorggroep De Linde", "linde@zorg.example")
    authorise(page, servers, "kantoor")
    expect(page.locator("#state")).to_have_text("kies werkgever")
    expect(page.get_by_text("een gebruiker op AK-niveau")).to_be_visible()
    shot(page, "10-kies-werkgever")
    page.locator("#choose-employer label").filter(has_text="20002").click()
    page.get_by_role("button", name="Koppel deze werkgever").click()
    expect(page.locator("#state")).to_have_text("actief")
    # 20002 has no component for the employer's contribution: nothing is offered, nothing preselected.
    components = page.locator("#components")
    expect(components.get_by_text("nog niet gekozen").first).to_be_visible()
    expect(page.locator("#select-component")).to_have_count(0)
    expect(components.get_by_text("geen component dat hiervoor geschikt is")).to_be_visible()
    expect(components.get_by_text("bruto uitbetaald, netto ingehouden en via excasso").first).to_be_visible()
    page.locator("#pick-component summary").click()  # Toon alle componenten
    expect(page.locator("#all-component option[value='10']")).to_be_disabled()  # the salary: never
    expect(page.locator("#all-component")).to_have_value("")
    shot(page, "11a-geen-geschikt-component")
    # In Loket Classic: a free component in Bruto vergoeding volgens tabel, paid gross, withheld net, excasso.
    loket = classic(servers, browser)
    loket.locator("tr").filter(has_text="20002").get_by_role("link").first.click()
    loket.get_by_role("link", name="+ Toevoegen").click()
    loket.select_option("#id_category", "7")
    loket.get_by_role("button", name="Toon vrije componenten").click()
    key = loket.locator("#id_key option").first.get_attribute("value")
    assert key is not None
    loket.fill("#id_description", "Pensioen WG")
    loket.get_by_role("button", name="Opslaan").click()
    for box in ("#id_paid_gross", "#id_withheld_net", "#id_to_excasso"):
        loket.check(box)
    loket.get_by_role("button", name="Opslaan").click()
    expect(loket.get_by_text(f"Component {key} is opgeslagen.")).to_be_visible()
    shot(loket, "11b-loket-classic-component")
    # Back on the platform: a fresh look at Loket's catalogue offers it, and still nothing is preselected.
    page.get_by_role("button", name="Opnieuw controleren").click()
    expect(page.locator("#select-component")).to_have_value("")
    expect(page.locator(f"#select-component option[value='{key}']")).to_have_text(re.compile(f"^{key} Pensioen WG"))
    shot(page, "11c-component-kiezen")
    page.select_option("#select-component", key)
    page.locator("#pick-component").get_by_role("button", name="Opslaan").click()
    expect(page.locator("#component-component")).to_contain_text(f"{key} Pensioen WG")
    expect(page.locator("#component-component")).to_contain_text("gekozen door de werkgever")
    shot(page, "11d-component-gekozen")
    # Renamed in Loket Classic: a recheck shows the name of today.
    loket.locator("tr").filter(has_text="Pensioen WG").get_by_role("link").click()
    loket.fill("#id_description", "Pensify Inleg")
    loket.get_by_role("button", name="Opslaan").click()
    page.get_by_role("button", name="Opnieuw controleren").click()
    expect(page.locator("#component-component")).to_contain_text(f"{key} Pensify Inleg")
    expect(page.get_by_text("Pensioen WG")).to_have_count(0)
    shot(page, "11e-component-hernoemd")
    loket.context.close()
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


def test_a_loket_user_switched_off_gives_one_plain_message(servers: Servers, browser: Any, shot: Shot) -> None:
    # A Loket user of its own (employer level, 20003, the five rights), so no other walk loses its user.
    servers.sandbox.orm(
        "from inleg.sandbox.core.models import Employer, EmployerLink, LoketUser\n"
        "model = LoketUser.objects.get(username='koppeling')\n"
        "user, _ = LoketUser.objects.update_or_create(username='tijdelijk', defaults={'password': model.password,\n"
        "    'provider': model.provider, 'first_name': 'Tijdelijk', 'last_name': 'Gebruiker', 'is_active': True})\n"
        "EmployerLink.objects.update_or_create(user=user, employer=Employer.objects.get(employer_number=20003),\n"
        "    defaults={'rights': EmployerLink.objects.get(user=model).rights})\n"
    )
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    register(page, servers, "Hoveniers Groen B.V.", "groen@hoveniers.example")
    authorise(page, servers, "tijdelijk")
    expect(page.locator("#state")).to_have_text("actief")
    servers.sandbox.orm(
        "from inleg.sandbox.core.models import LoketUser\n"
        "LoketUser.objects.filter(username='tijdelijk').update(is_active=False)\n"
    )
    page.get_by_role("button", name="Opnieuw controleren").click()
    expect(page.locator("#state")).to_have_text("opnieuw autoriseren")
    text = one_message(page)
    assert "De Loket.nl-gebruiker is niet actief meer of de toestemming is ingetrokken" in text
    expect(page.get_by_text("Alle rechten zijn aanwezig")).to_have_count(0)
    expect(page.get_by_text("koppeling is actief")).to_have_count(0)
    expect(page.get_by_role("button", name="Autoriseer Loket.nl")).to_be_visible()
    shot(page, "15-gebruiker-niet-actief")
    page.get_by_role("link", name="Pensify").click()
    expect(page.locator("#next-step")).to_contain_text("De Loket.nl-gebruiker is niet actief meer")
    expect(page.get_by_text("Koppel Loket.nl")).to_have_count(0)
    shot(page, "16-home-opnieuw-autoriseren")
    context.close()
