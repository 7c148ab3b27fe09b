"""The consent flow and the API over real HTTP (a live server on loopback), as a client would walk them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest

from inleg.sandbox.seed import CLIENT_ID, CLIENT_SECRET, USER_PASSWORD, seed

REDIRECT = "http://localhost:8000/integrations/loket/callback"


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.mark.django_db(transaction=True)
def test_consent_token_and_api_over_http(live_server: Any) -> None:
    seed(employers=2, employees=4, rng_seed=3)
    base = live_server.url
    query = urlencode({"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code", "scope": "all",
                       "state": "s-1"})  # fmt: skip
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as browser:
        to_login = browser.get(f"/authorize?{query}")
        assert to_login.status_code == 302
        login_page = browser.get(to_login.headers["location"])
        next_url = parse_qs(urlparse(to_login.headers["location"]).query)["next"][0]
        logged = browser.post("/login/", data={"username": "koppeling", "password": USER_PASSWORD, "next": next_url,
                                                "csrfmiddlewaretoken": _csrf(login_page)})  # fmt: skip
        assert logged.status_code == 302
        consent = browser.get(logged.headers["location"])
        assert "Toestaan" in consent.text
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text))
        answer = browser.post(f"/authorize?{query}", data={**form, "allow": "Toestaan"})
        assert answer.status_code == 302
        code = parse_qs(urlparse(answer.headers["location"]).query)["code"][0]
    with httpx.Client(base_url=base, timeout=30) as client:
        # Loket's PowerShell connector sends the form body as text/plain; the sandbox accepts it.
        body = urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                          "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})  # fmt: skip
        token = client.post("/token", content=body, headers={"Content-Type": "text/plain"})
        assert token.status_code == 200, token.text
        access = token.json()["access_token"]
        headers = {"Authorization": f"Bearer {access}", "Accept": "application/json;version=2018-01-01"}
        employers = client.get("/v2/providers/employers", headers=headers)
        assert employers.status_code == 200
        assert employers.headers["content-type"] == "application/json;version=2018-01-01"
        assert [e["employerNumber"] for e in employers.json()["_embedded"]] == [20001]


def test_english_is_available_and_every_message_is_translated(client: Any, db: Any) -> None:
    # Dutch by default, whatever the browser asks; English when the user picks it in the language switch.
    dutch = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "Inloggen bij Loket.nl" in dutch
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert switched.status_code == 302
    english = client.get("/login/").content.decode()
    assert "Log in to Loket.nl" in english
    po = (Path(__file__).resolve().parents[2] / "src/inleg/sandbox/locale/en/LC_MESSAGES/django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if e.strip().endswith('msgstr ""')]
    assert untranslated == []
