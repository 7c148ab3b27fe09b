"""The wage-component choice against a real sandbox of its own (this module changes Loket's catalogue).

Employer 20002 of the seed has no `Pensify Inleg`: its catalogue holds hours, the salary, totals, travel
costs (a net payment), a gross deduction, fund premiums and the net deduction `Netto inleg`.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from inleg.platform.accounts.models import User
from inleg.platform.integrations.models import LoketConnection, State
from tests.platform.conftest import connect, connection_of
from tests.platform.loket_sandbox import CLIENT_ID, CLIENT_SECRET, Sandbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loket")]

LOKET_PAGE = "/company/integrations/loket/"
PICK = "/company/integrations/loket/component/"


@pytest.fixture(scope="module")
def catalogue_sandbox() -> Iterator[Sandbox]:
    server = Sandbox(employers=2, employees=20)
    yield server
    server.stop()


@pytest.fixture
def loket(catalogue_sandbox: Sandbox, settings: Any) -> Sandbox:
    settings.LOKET_OAUTH_URL = catalogue_sandbox.url
    settings.LOKET_API_URL = catalogue_sandbox.url + "/v2"
    settings.LOKET_CLIENT_ID = CLIENT_ID
    settings.LOKET_CLIENT_SECRET = CLIENT_SECRET
    settings.LOKET_REDIRECT_URI = ""
    return catalogue_sandbox


def add_component(loket: Sandbox, key: int, name: str, category: int = 7, *, values_on: int = 0) -> None:
    """As Loket Classic's Toevoegen does (a free component), with fixed values on ``values_on`` employments."""
    loket.orm(
        "from datetime import date\n"
        "from decimal import Decimal\n"
        "from inleg.sandbox.core.models import BenefitDeduction, Employment, PayrollComponent, next_versions\n"
        "from inleg.sandbox.core.models import PayrollAdministration\n"
        "admin = PayrollAdministration.objects.get(employer__employer_number=20002)\n"
        f"c = PayrollComponent.objects.create(administration=admin, key={key}, description={name!r},\n"
        f"    category={category}, deduction_or_payment={1 if category in (12, 13) else 2}, is_free=True)\n"
        f"for job in Employment.objects.filter(administration=admin).order_by('pk')[:{values_on}]:\n"
        "    BenefitDeduction.objects.create(employment=job, component=c, start_date=date(2025, 1, 1),\n"
        "        value=Decimal('40.00'), version=next_versions())\n"
    )


def remove_component(loket: Sandbox, key: int) -> None:
    loket.orm(
        "from inleg.sandbox.core.models import BenefitDeduction, PayrollComponent\n"
        f"BenefitDeduction.objects.filter(component__key={key}).delete()\n"
        f"PayrollComponent.objects.filter(key={key}).delete()\n"
    )


def rename_component(loket: Sandbox, key: int, name: str) -> None:
    """As Loket Classic's component page does: the name may change, the number and the category not."""
    loket.orm(
        "from inleg.sandbox.core.models import PayrollComponent\n"
        f"PayrollComponent.objects.filter(administration__employer__employer_number=20002, key={key})"
        f".update(description={name!r})\n"
    )


def on_20002(web: Client, admin: User) -> LoketConnection:
    connect(web, "kantoor")
    connection = connection_of(admin)
    second = next(e for e in connection.reachable_employers if e["number"] == 20002)
    web.post("/company/integrations/loket/employer/", {"employer": second["id"]})
    connection = connection_of(admin)
    assert connection.state == State.ACTIVE
    return connection


def page_of(web: Client) -> str:
    return html.unescape(web.get(LOKET_PAGE).content.decode())


def said(response: Any) -> str:
    return html.unescape(response.content.decode())


def select(page: str, name: str) -> str:
    start = page.index(f'id="{name}"')
    return page[start : page.index("</select>", start)]


def test_nothing_is_preselected_and_the_salary_is_never_taken(web: Client, admin: User, loket: Sandbox) -> None:
    connection = on_20002(web, admin)
    assert connection.component_key is None
    assert (connection.net_component_key, connection.net_component_how) == (831, "automatic")
    page = page_of(web)
    # No component of 20002 suits the gross contribution: none is offered, and the page says what to make.
    assert 'id="select-component"' not in page
    assert "geen component dat hiervoor geschikt is" in page
    assert "bruto uitbetaald, netto ingehouden en via excasso naar de pensioenuitvoerder" in page
    assert "Toon alle componenten" in page
    everything = select(page, "all-component")
    assert '<option value="" selected>— kies een component —</option>' in everything
    assert '<option value="10" disabled>10 Salaris' in everything  # shown, but it cannot be picked
    assert " selected" not in everything.replace('<option value="" selected>', "")
    for form in ({"which": "component"}, {"which": "component", "key": ""}):
        answer = said(web.post(PICK, form, follow=True))
        assert "Kies een component voor de bruto werkgeversbijdrage." in answer
    salary = said(web.post(PICK, {"which": "component", "key": "10"}, follow=True))
    assert "Component 10 Salaris is geen vergoeding of inhouding" in salary
    confirmed = said(web.post(PICK, {"which": "component", "key": "10", "confirm": "1"}, follow=True))
    assert "Component 10 Salaris is geen vergoeding of inhouding" in confirmed
    assert connection_of(admin).component_key is None
    # The net deduction for the employer's payment, and the other way round, are refused too.
    assert "is een inhouding" in said(web.post(PICK, {"which": "component", "key": "831", "confirm": "1"}, follow=True))
    assert connection_of(admin).component_key is None


def test_an_unusual_component_only_with_confirmation(web: Client, admin: User) -> None:
    on_20002(web, admin)
    travel = said(web.post(PICK, {"which": "component", "key": "711"}, follow=True))
    assert "niet het gebruikelijke soort component" in travel
    assert connection_of(admin).component_key is None
    web.post(PICK, {"which": "component", "key": "711", "confirm": "1"})
    connection = connection_of(admin)
    assert (connection.component_key, connection.component_name, connection.component_how) == (
        711,
        "Reiskosten",
        "manual",
    )


def test_a_component_the_payroll_already_uses_is_refused_naming_it_and_the_employments(
    web: Client, admin: User, loket: Sandbox
) -> None:
    add_component(loket, 753, "Bonus", values_on=2)
    try:
        on_20002(web, admin)
        page = page_of(web)
        assert '<option value="753">753 Bonus' in select(page, "select-component")  # its kind suits
        answer = said(web.post(PICK, {"which": "component", "key": "753"}, follow=True))
        assert "Component 753 Bonus wordt in Loket.nl al gebruikt: bij 2 dienstverbanden staan er waarden op." in answer
        assert connection_of(admin).component_key is None
    finally:
        remove_component(loket, 753)


def test_a_manual_pick_renamed_in_loket_shows_its_new_name_after_a_recheck(
    web: Client, admin: User, loket: Sandbox
) -> None:
    add_component(loket, 752, "Pensioen WG")
    try:
        on_20002(web, admin)
        page = page_of(web)
        offered = select(page, "select-component")
        assert '<option value="" selected>— kies een component —</option>' in offered
        assert '<option value="752">752 Pensioen WG' in offered
        answer = said(web.post(PICK, {"which": "component", "key": "752"}, follow=True))
        assert "schrijft het platform naar component 752 Pensioen WG" in answer
        assert (connection_of(admin).component_name, connection_of(admin).component_how) == ("Pensioen WG", "manual")
        rename_component(loket, 752, "Pensify Inleg")
        assert "752 Pensioen WG" in page_of(web)  # Loket is read again only when checked
        web.post("/company/integrations/loket/recheck/")
        page = page_of(web)
        assert "752 Pensify Inleg" in page
        assert "Pensioen WG" not in page
        assert connection_of(admin).component_name == "Pensify Inleg"
    finally:
        remove_component(loket, 752)
