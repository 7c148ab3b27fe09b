"""The consent flow on /authorize and /token, as Loket's: login, Toestaan/Weigeren, rotating refresh tokens.

And the current security advice (RFC 6749, RFC 7636, RFC 9700): PKCE with S256 required, the redirect URI
matched exactly, a code single-use (a replay revokes what it gave), refresh tokens rotated with the whole
family revoked on reuse. One test per refusal, each with its RFC error code.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import Application, Grant

from inleg.sandbox.core.models import LoketUser
from inleg.sandbox.seed import CLIENT_ID, CLIENT_SECRET, USER_PASSWORD

REDIRECT = "http://localhost:8000/integrations/loket/callback"
LOOPBACK = "http://127.0.0.1:8000/integrations/loket/callback"  # registered too, on this port only
VERIFIER = "v" * 50


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def authorize_url(state: str = "st-123", pkce: bool = True, **extra: str) -> str:
    query = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code", "scope": "all", "state": state}
    if pkce:
        query |= {"code_challenge": s256(VERIFIER), "code_challenge_method": "S256"}
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
    assert page.status_code == 200, page.content[:500]
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    data.pop("allow", None)
    if allow:
        data["allow"] = "Toestaan"
    return client.post(url, data)


def callback(response: Any) -> dict[str, str]:
    """The query the consent's redirect carries to the client."""
    assert response.status_code == 302, response.content[:500]
    return {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}


def new_code(url: str | None = None) -> str:
    return callback(consent(logged_in("koppeling"), url or authorize_url(), allow=True))["code"]


def exchange(client: Client, **form: str) -> Any:
    return client.post("/token", {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **form})


def redeem(code: str, verifier: str | None = VERIFIER, redirect_uri: str = REDIRECT) -> Any:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        form["code_verifier"] = verifier
    return exchange(Client(), **form)


def refresh(refresh_token: str) -> Any:
    return exchange(Client(), grant_type="refresh_token", refresh_token=refresh_token)


def refused(response: Any, error: str) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["error"] == error


def api_status(access_token: str) -> int:
    return int(Client().get("/v2/user", headers={"Authorization": f"Bearer {access_token}"}).status_code)


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
    response = consent(logged_in("koppeling"), authorize_url(state="abc-42"), allow=True)
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = callback(response)
    assert query["state"] == "abc-42"
    token = redeem(query["code"])
    assert token.status_code == 200, token.content
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
    query = callback(consent(logged_in("koppeling"), authorize_url(state="no-thanks"), allow=False))
    assert query["error"] == "access_denied"
    assert query["state"] == "no-thanks"
    assert "code" not in query


@pytest.mark.usefixtures("seeded")
def test_refresh_token_rotates_and_the_new_one_works_once() -> None:
    first = redeem(new_code()).json()
    # Loket's own spelling client_Id is accepted for the refresh.
    second = Client().post(
        "/token",
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_Id": CLIENT_ID,
         "client_secret": CLIENT_SECRET},
    )  # fmt: skip
    assert second.status_code == 200, second.content
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"]
    assert new["access_token"] != first["access_token"]
    assert api_status(first["access_token"]) == 401  # the access token of the used refresh token went with it
    third = refresh(new["refresh_token"])
    assert third.status_code == 200, third.content
    refused(refresh(new["refresh_token"]), "invalid_grant")


# --- the authorization request (RFC 6749 4.1.2.1, RFC 7636 4.4.1) -----------------------------------------


@pytest.mark.usefixtures("seeded")
def test_an_authorization_request_without_a_code_challenge_is_an_invalid_request() -> None:
    query = callback(logged_in("koppeling").get(authorize_url(state="s-1", pkce=False)))  # before the consent page
    assert query["error"] == "invalid_request"
    assert query["state"] == "s-1"
    assert "code" not in query
    assert not Grant.objects.exists()


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "method",
    [{"code_challenge_method": "plain"}, {}],  # without a method RFC 7636 4.3 means plain
    ids=["plain", "no-method"],
)
def test_a_plain_code_challenge_is_an_invalid_request(method: dict[str, str]) -> None:
    url = authorize_url(state="s-2", pkce=False, code_challenge=VERIFIER, **method)
    query = callback(consent(logged_in("koppeling"), url, allow=True))
    assert query["error"] == "invalid_request"
    assert query["state"] == "s-2"
    assert "code" not in query
    assert not Grant.objects.exists()


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://127.0.0.1:8001/integrations/loket/callback",  # a registered loopback URI on another port
        "http://127.0.0.1/integrations/loket/callback",  # ... or on none
        "http://localhost:9999/integrations/loket/callback",
        "http://evil.example/integrations/loket/callback",
        REDIRECT + "?next=/elsewhere",
        REDIRECT + "/",
    ],
)
def test_a_redirect_uri_that_is_not_registered_exactly_is_refused_without_redirecting(redirect_uri: str) -> None:
    client = logged_in("koppeling")
    response = client.get(authorize_url(redirect_uri=redirect_uri))
    assert response.status_code == 400  # RFC 6749 4.1.2.1: never redirect to an unchecked URI
    assert "Location" not in response
    assert "invalid_request" in response.content.decode()


@pytest.mark.usefixtures("seeded")
def test_the_registered_loopback_uri_on_its_own_port_is_accepted() -> None:
    query = callback(consent(logged_in("koppeling"), authorize_url(redirect_uri=LOOPBACK), allow=True))
    assert redeem(query["code"], redirect_uri=LOOPBACK).status_code == 200


# --- the token request (RFC 6749 5.2, RFC 7636 4.6, RFC 9700 2.1.1 and 4.14) ------------------------------


@pytest.mark.usefixtures("seeded")
def test_a_token_request_without_the_code_verifier_is_an_invalid_request() -> None:
    refused(redeem(new_code(), verifier=None), "invalid_request")


@pytest.mark.usefixtures("seeded")
def test_a_wrong_code_verifier_is_an_invalid_grant_and_spends_the_code() -> None:
    code = new_code()
    refused(redeem(code, verifier="x" * 50), "invalid_grant")
    refused(redeem(code), "invalid_grant")  # no second guess with the same code


@pytest.mark.usefixtures("seeded")
def test_a_code_verifier_for_a_code_without_a_challenge_is_an_invalid_grant() -> None:
    # A code issued without PKCE (before PKCE was required): a verifier sent for it must not pass
    # (RFC 9700 2.1.1, the PKCE downgrade attack).
    Grant.objects.create(
        application=Application.objects.get(client_id=CLIENT_ID),
        user=LoketUser.objects.get(username="koppeling"),
        code="code-without-challenge",
        expires=timezone.now() + timedelta(minutes=5),
        redirect_uri=REDIRECT,
        scope="all",
    )
    refused(redeem("code-without-challenge"), "invalid_grant")


@pytest.mark.usefixtures("seeded")
def test_a_redirect_uri_other_than_the_authorization_requests_is_an_invalid_grant() -> None:
    refused(redeem(new_code(), redirect_uri=LOOPBACK), "invalid_grant")


@pytest.mark.usefixtures("seeded")
def test_a_replayed_code_is_an_invalid_grant_and_revokes_the_tokens_it_gave() -> None:
    code = new_code()
    first = redeem(code).json()
    newer = refresh(first["refresh_token"]).json()  # tokens issued from the code, one generation on
    assert api_status(newer["access_token"]) == 200
    refused(redeem(code), "invalid_grant")
    assert api_status(newer["access_token"]) == 401
    refused(refresh(newer["refresh_token"]), "invalid_grant")


@pytest.mark.usefixtures("seeded")
def test_a_replayed_code_leaves_the_tokens_of_other_codes_alone() -> None:
    other = redeem(new_code()).json()
    code = new_code()
    redeem(code)
    refused(redeem(code), "invalid_grant")
    assert api_status(other["access_token"]) == 200
    assert refresh(other["refresh_token"]).status_code == 200


@pytest.mark.usefixtures("seeded")
def test_a_reused_refresh_token_is_an_invalid_grant_and_revokes_its_family() -> None:
    first = redeem(new_code()).json()
    newer = refresh(first["refresh_token"]).json()
    refused(refresh(first["refresh_token"]), "invalid_grant")
    assert api_status(newer["access_token"]) == 401
    refused(refresh(newer["refresh_token"]), "invalid_grant")


@pytest.mark.usefixtures("seeded")
def test_an_unknown_code_is_an_invalid_grant() -> None:
    refused(redeem("never-issued"), "invalid_grant")


@pytest.mark.usefixtures("seeded")
def test_a_wrong_client_secret_is_an_invalid_client() -> None:
    response = Client().post(
        "/token",
        {"grant_type": "authorization_code", "code": new_code(), "redirect_uri": REDIRECT, "code_verifier": VERIFIER,
         "client_id": CLIENT_ID, "client_secret": "not-the-secret"},
    )  # fmt: skip
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


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
