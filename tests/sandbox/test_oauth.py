"""The consent flow on /authorize and /token, as Loket's: login, Toestaan/Weigeren, rotating refresh tokens."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.test import Client

from inleg.sandbox.seed import CLIENT_ID, CLIENT_SECRET, USER_PASSWORD

REDIRECT = "http://localhost:8000/integrations/loket/callback"


def authorize_url(state: str = "st-123", **extra: str) -> str:
    query = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code", "scope": "all", "state": state}
    return "/authorize?" + urlencode({**query, **extra})


def logged_in(username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    token = page.cookies["csrftoken"].value
    response = client.post("/login/", {"username": username, "password": USER_PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, "login failed"
    return client


def consent(client: Client, url: str, allow: bool) -> Any:
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: field.value() or "" for name, field in form.fields.items() if False} or {
        name: form[name].value() or "" for name in form.fields
    }
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    data.pop("allow", None)
    if allow:
        data["allow"] = "Toestaan"
    return client.post(url, data)


def exchange(client: Client, **form: str) -> Any:
    return client.post("/token", {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **form})


@pytest.mark.usefixtures("seeded")
def test_unauthenticated_authorize_goes_to_the_login_page() -> None:
    response = Client().get(authorize_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.usefixtures("seeded")
def test_consent_page_names_the_application_and_what_it_sees_and_changes() -> None:
    client = logged_in("koppeling")
    page = client.get(authorize_url()).content.decode()
    assert "Pensify wil toegang tot Loket.nl" in page
    assert "Raadplegen HRM-gegevens" in page
    assert "Beheer beloningen" in page
    assert "Toestaan" in page
    assert "Weigeren" in page


@pytest.mark.usefixtures("seeded")
def test_code_flow_gives_a_loket_shaped_token_and_passes_state_back() -> None:
    client = logged_in("koppeling")
    response = consent(client, authorize_url(state="abc-42"), allow=True)
    assert response.status_code == 302
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    assert query["state"] == ["abc-42"]
    token = exchange(Client(), grant_type="authorization_code", code=query["code"][0], redirect_uri=REDIRECT)
    assert token.status_code == 200
    body = token.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "two_factor_state"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    assert body["two_factor_state"] == "None"
    api = Client().get("/v2/user", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert api.status_code == 200
    assert api.json()["content"]["personalDetails"]["lastName"] == "Gebruiker"


@pytest.mark.usefixtures("seeded")
def test_refusal_returns_access_denied_with_state() -> None:
    client = logged_in("koppeling")
    response = consent(client, authorize_url(state="no-thanks"), allow=False)
    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == ["no-thanks"]
    assert "code" not in query


@pytest.mark.usefixtures("seeded")
def test_refresh_token_rotates_and_a_used_one_is_dead() -> None:
    client = logged_in("koppeling")
    code = parse_qs(urlparse(consent(client, authorize_url(), allow=True)["Location"]).query)["code"][0]
    first = exchange(Client(), grant_type="authorization_code", code=code, redirect_uri=REDIRECT).json()
    # Loket's own spelling client_Id is accepted for the refresh.
    second = Client().post(
        "/token",
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_Id": CLIENT_ID,
         "client_secret": CLIENT_SECRET},
    )  # fmt: skip
    assert second.status_code == 200, second.content
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"]
    again = exchange(Client(), grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    # the rotated one works once
    assert exchange(Client(), grant_type="refresh_token", refresh_token=new["refresh_token"]).status_code == 200


@pytest.mark.usefixtures("seeded")
def test_pkce_is_accepted_and_checked() -> None:
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    client = logged_in("koppeling")
    url = authorize_url(code_challenge=challenge, code_challenge_method="S256")
    code = parse_qs(urlparse(consent(client, url, allow=True)["Location"]).query)["code"][0]
    wrong = exchange(
        Client(), grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier="x" * 50
    )
    assert wrong.status_code == 400
    code = parse_qs(urlparse(consent(client, url, allow=True)["Location"]).query)["code"][0]
    right = exchange(
        Client(), grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier=verifier
    )
    assert right.status_code == 200


@pytest.mark.usefixtures("seeded")
def test_a_code_is_single_use_and_a_foreign_redirect_is_refused() -> None:
    client = logged_in("koppeling")
    code = parse_qs(urlparse(consent(client, authorize_url(), allow=True)["Location"]).query)["code"][0]
    assert exchange(Client(), grant_type="authorization_code", code=code, redirect_uri=REDIRECT).status_code == 200
    assert exchange(Client(), grant_type="authorization_code", code=code, redirect_uri=REDIRECT).status_code == 400
    bad = client.get(authorize_url().replace("localhost%3A8000", "evil.example"))
    assert bad.status_code == 400


@pytest.mark.usefixtures("seeded")
def test_webservice_user_cannot_consent() -> None:
    client = logged_in("webservice")
    response = client.get(authorize_url())
    assert response.status_code == 403
    assert "webservicegebruiker kan geen toestemming geven" in response.content.decode()


@pytest.mark.usefixtures("seeded")
def test_inactive_user_cannot_log_in_and_the_login_form_needs_csrf() -> None:
    from inleg.sandbox.core.models import LoketUser

    LoketUser.objects.filter(username="beperkt").update(is_active=False)
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    no_csrf = client.post("/login/", {"username": "koppeling", "password": USER_PASSWORD})
    assert no_csrf.status_code == 403
    token = client.cookies["csrftoken"].value
    inactive = client.post("/login/", {"username": "beperkt", "password": USER_PASSWORD, "csrfmiddlewaretoken": token})
    assert inactive.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("seeded")
def test_passwords_are_hashed_with_argon2() -> None:
    from inleg.sandbox.core.models import LoketUser

    assert LoketUser.objects.get(username="koppeling").password.startswith("argon2")
