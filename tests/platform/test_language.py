"""Dutch throughout for a browser set to English; English only by the language switch.

The Dutch expected here is Django's own (django/contrib/auth/locale/nl and conf/locale/nl), checked by hand; the
one deviation is the similarity message, see locale/nl/LC_MESSAGES/django.po.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from inleg.platform.accounts.models import Invitation
from tests.platform.conftest import PASSWORD, make_company

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def english_browser() -> Client:
    return Client(**ENGLISH_BROWSER)


def register(client: Client, password: str, email: str = "pieter.vandenberg@delinde.example") -> str:
    data = {
        "company_name": "Zorggroep De Linde",
        "name": "Pieter van den Berg",
        "email": email,
        "password": password,
        "password2": password,
    }
    response = client.post("/register/", data)
    assert response.status_code == 200  # refused: the page again, with the message
    return response.content.decode()


@pytest.mark.parametrize(
    ("password", "dutch"),
    [
        ("kort-1", "Dit wachtwoord is te kort. De minimale lengte is 10 tekens."),
        ("qwertyuiop", "Dit wachtwoord is te algemeen."),
        ("4839201756", "Dit wachtwoord bevat alleen cijfers."),
        ("pieter.vandenberg", "Het wachtwoord lijkt te veel op uw e-mailadres."),
    ],
)
def test_every_password_message_is_dutch_for_an_english_browser(password: str, dutch: str) -> None:
    page = register(english_browser(), password)
    assert dutch in page
    assert "This password" not in page
    assert "too similar" not in page


def test_dates_and_flash_messages_are_dutch_for_an_english_browser() -> None:
    company, admin = make_company()
    Invitation.objects.create(
        company=company,
        email="sam@kantoor.example",
        name="Sam",
        token_hash="0" * 64,
        invited_by=admin,
        expires_at=datetime(2099, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )
    web = english_browser()
    web.force_login(admin)
    page = web.get("/company/users/")
    assert page["Content-Language"] == "nl"
    assert "geldig tot 1 december 2099" in page.content.decode()

    newcomer = english_browser()
    registered = newcomer.post(
        "/register/",
        {
            "company_name": "Bakkerij Visser",
            "name": "Ria Visser",
            "email": "ria@visser.example",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert "Welkom! Uw bedrijf Bakkerij Visser is aangemaakt." in registered.content.decode()


def test_the_language_switch_gives_english_and_back() -> None:
    _, admin = make_company()
    Invitation.objects.create(
        company=admin.company,
        email="sam@kantoor.example",
        name="Sam",
        token_hash="1" * 64,
        invited_by=admin,
        expires_at=datetime(2099, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )
    web = Client(HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9")  # a Dutch browser: the switch still wins
    web.force_login(admin)
    web.post("/i18n/setlang/", {"language": "en", "next": "/company/users/"})
    page = web.get("/company/users/")
    assert page["Content-Language"] == "en"
    assert "valid until 1 December 2099" in page.content.decode()
    web.post("/i18n/setlang/", {"language": "nl", "next": "/company/users/"})
    assert "geldig tot 1 december 2099" in web.get("/company/users/").content.decode()


def test_a_language_the_platform_does_not_offer_falls_back_to_dutch(settings: Any) -> None:
    client = english_browser()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get("/login/")
    assert page["Content-Language"] == "nl"
    assert "Inloggen" in page.content.decode()
