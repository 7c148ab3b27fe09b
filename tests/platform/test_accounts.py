"""Registration, login with Argon2 and throttling (see also test_login_throttling.py), CSRF, roles, invitations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client

from inleg.platform.accounts.models import Company, Invitation, Right, Role, User
from tests.platform.conftest import PASSWORD, logged_in, make_company

pytestmark = pytest.mark.django_db


def register(client: Client, **overrides: str) -> Any:
    data = {
        "company_name": "Zorggroep De Linde",
        "chamber_of_commerce_number": "12345678",
        "name": "Piet de Boer",
        "email": "Piet@DeLinde.example",
        "password": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post("/register/", data)


def test_registration_makes_a_company_with_its_admin_and_an_argon2_password() -> None:
    client = Client()
    response = register(client)
    assert response.status_code == 302
    user = User.objects.get(email="piet@delinde.example")
    assert user.role == Role.ADMIN
    assert user.company.name == "Zorggroep De Linde"
    assert identify_hasher(user.password).algorithm == "argon2"
    assert PASSWORD not in user.password
    assert client.get("/company/users/").status_code == 200  # logged in straight away


def test_registration_refuses_bad_input_naming_field_and_value_and_creates_nothing() -> None:
    make_company(email="bezet@example.nl")
    response = register(
        Client(), email="bezet@example.nl", chamber_of_commerce_number="12AB", password2="anders-wachtwoord-1"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "&#x27;bezet@example.nl&#x27; heeft al een account" in page
    assert "KvK-nummer: een KvK-nummer heeft 8 cijfers." in page
    assert "de twee wachtwoorden zijn niet gelijk" in page
    assert Company.objects.count() == 1  # only the one made above: nothing half-made


def test_login_and_logout_with_csrf_enforced() -> None:
    _, user = make_company()
    client = Client(enforce_csrf_checks=True)
    assert client.post("/login/", {"email": user.email, "password": PASSWORD}).status_code == 403  # no CSRF token
    page = client.get("/login/")
    token = page.cookies["pensify_csrftoken"].value
    response = client.post("/login/", {"email": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get("/company/integrations/").status_code == 200


def test_login_is_throttled_after_repeated_failures_even_with_the_right_password(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    _, user = make_company()
    client = Client()
    for _ in range(2):
        wrong = client.post("/login/", {"email": user.email, "password": "fout-wachtwoord-123"})
        assert "E-mailadres of wachtwoord onjuist." in wrong.content.decode()
    third = client.post("/login/", {"email": user.email, "password": "fout-wachtwoord-123"})
    assert third.status_code == 429  # the failure that reaches the limit locks
    locked = client.post("/login/", {"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Te veel mislukte pogingen" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_invited_payroll_administrator_gets_an_account_with_the_chosen_rights() -> None:
    company, admin = make_company()
    web = logged_in(admin)
    response = web.post(
        "/company/users/", {"name": "Sam Salaris", "email": "sam@kantoor.example", "rights": [Right.MANAGE_INTEGRATION]}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/invitation/[^/\s]+/)", mail.outbox[0].body)
    assert link is not None
    invitation = Invitation.objects.get(email="sam@kantoor.example")
    assert link.group(1).split("/")[2] not in invitation.token_hash  # only the hash is stored
    newcomer = Client()
    assert newcomer.post(link.group(1), {"password": PASSWORD, "password2": PASSWORD}).status_code == 302
    sam = User.objects.get(email="sam@kantoor.example")
    assert (sam.company, sam.role, sam.rights) == (company, Role.PAYROLL, [Right.MANAGE_INTEGRATION])
    assert newcomer.get("/company/integrations/add/").status_code == 200  # may manage the connection
    assert newcomer.get("/employees/").status_code == 403  # was not given the right to see employees
    assert Client().get(link.group(1)).status_code == 404  # the invitation is used up


def test_employer_changes_and_withdraws_rights_of_the_payroll_administrator() -> None:
    company, admin = make_company()
    sam = User.objects.create_user(
        "sam@kantoor.example",
        PASSWORD,
        name="Sam",
        company=company,
        role=Role.PAYROLL,
        rights=[Right.MANAGE_INTEGRATION],
    )
    web, sams = logged_in(admin), logged_in(sam)
    assert sams.get("/company/integrations/add/").status_code == 200
    web.post(f"/company/users/{sam.pk}/rights/", {f"u{sam.pk}-rights": [Right.VIEW_EMPLOYEES]})
    assert sams.get("/company/integrations/add/").status_code == 403
    assert sams.get("/employees/").status_code == 200
    web.post(f"/company/users/{sam.pk}/withdraw/")
    sam.refresh_from_db()
    assert (sam.is_active, sam.rights) == (False, [])
    assert sams.get("/employees/").status_code in (302, 403)  # the session no longer opens anything


def test_payroll_administrator_cannot_invite_or_change_rights() -> None:
    company, _ = make_company()
    sam = User.objects.create_user(
        "sam@kantoor.example",
        PASSWORD,
        name="Sam",
        company=company,
        role=Role.PAYROLL,
        rights=[Right.MANAGE_INTEGRATION, Right.VIEW_EMPLOYEES],
    )
    sams = logged_in(sam)
    assert sams.post("/company/users/", {"name": "X", "email": "x@example.nl"}).status_code == 403
    assert sams.post(f"/company/users/{sam.pk}/rights/", {f"u{sam.pk}-rights": []}).status_code == 403
    assert Invitation.objects.count() == 0


def test_employee_accounts_cannot_log_in() -> None:
    company, _ = make_company()
    User.objects.create_user("werknemer@example.nl", None, name="W", company=company, role=Role.EMPLOYEE)
    response = Client().post("/login/", {"email": "werknemer@example.nl", "password": ""})
    assert "_auth_user_id" not in Client().session
    assert response.status_code == 200


def test_dutch_by_default_and_english_on_request() -> None:
    client = Client()
    assert "Inloggen" in client.get("/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    page = client.get("/login/").content.decode()
    assert "Log in" in page
    assert "Inloggen" not in page
