"""Every value a form of the platform stores fits its column, or is refused with a Dutch message naming the field.

Over-long values used to pass the forms: SQLite stored them, PostgreSQL failed the request (a 500). This file
runs in both sessions of the Makefile (SQLite, then PostgreSQL through inleg.sandbox.pgtemp).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from inleg.platform.accounts.models import Company, Invitation, User
from tests.platform.conftest import PASSWORD, logged_in, make_company

pytestmark = pytest.mark.django_db

# Limits written out by hand, not read from the models: Company.name and User.name are 120, e-mail addresses 254
# (RFC 5321's path limit, Django's EmailField default).
NAME_LIMIT = 120
EMAIL_LIMIT = 254


def email_of_length(length: int) -> str:
    """A valid address of exactly ``length`` characters (Django does not limit the part before the @)."""
    domain = "@delinde.example"
    return "a" * (length - len(domain)) + domain


def register(client: Client, **overrides: str) -> Any:
    data = {
        "company_name": "Zorggroep De Linde",
        "chamber_of_commerce_number": "12345678",
        "name": "Piet de Boer",
        "email": "piet@delinde.example",
        "password": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post("/register/", data)


@pytest.mark.parametrize("length", [EMAIL_LIMIT + 1, 300, 320])
def test_registration_refuses_an_email_address_longer_than_its_column(length: int) -> None:
    response = register(Client(), email=email_of_length(length))
    assert response.status_code == 200
    assert f"E-mailadres: ten hoogste {EMAIL_LIMIT} tekens, u gaf er {length}." in response.content.decode()
    assert Company.objects.count() == 0
    assert User.objects.count() == 0


def test_registration_refuses_long_company_and_person_names_naming_each_field() -> None:
    response = register(Client(), company_name="B" * (NAME_LIMIT + 1), name="P" * (NAME_LIMIT + 5))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Bedrijfsnaam: ten hoogste {NAME_LIMIT} tekens, u gaf er {NAME_LIMIT + 1}." in page
    assert f"Uw naam: ten hoogste {NAME_LIMIT} tekens, u gaf er {NAME_LIMIT + 5}." in page
    assert Company.objects.count() == 0


def test_registration_refuses_a_long_chamber_of_commerce_number() -> None:
    response = register(Client(), chamber_of_commerce_number="1" * 9)
    assert response.status_code == 200
    assert "KvK-nummer: een KvK-nummer heeft 8 cijfers." in response.content.decode()
    assert Company.objects.count() == 0


def test_values_of_exactly_the_column_length_are_stored() -> None:
    email = email_of_length(EMAIL_LIMIT)
    response = register(Client(), company_name="B" * NAME_LIMIT, name="P" * NAME_LIMIT, email=email)
    assert response.status_code == 302
    user = User.objects.get(email=email)
    assert (len(user.company.name), len(user.name)) == (NAME_LIMIT, NAME_LIMIT)


def test_login_refuses_an_over_long_email_address_without_an_error_page() -> None:
    response = Client().post("/login/", {"email": email_of_length(300), "password": PASSWORD})
    assert response.status_code == 200
    assert f"E-mailadres: ten hoogste {EMAIL_LIMIT} tekens, u gaf er 300." in response.content.decode()


def test_invitation_refuses_over_long_name_and_email_address() -> None:
    _, admin = make_company()
    response = logged_in(admin).post(
        "/company/users/", {"name": "S" * (NAME_LIMIT + 1), "email": email_of_length(EMAIL_LIMIT + 10)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Naam: ten hoogste {NAME_LIMIT} tekens, u gaf er {NAME_LIMIT + 1}." in page
    assert f"E-mailadres: ten hoogste {EMAIL_LIMIT} tekens, u gaf er {EMAIL_LIMIT + 10}." in page
    assert Invitation.objects.count() == 0


def test_an_invalid_email_address_is_named_with_its_value() -> None:
    response = register(Client(), email="piet-at-delinde")
    assert "E-mailadres: &#x27;piet-at-delinde&#x27; is geen geldig e-mailadres." in response.content.decode()
