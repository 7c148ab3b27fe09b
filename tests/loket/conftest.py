"""The Loket client against the real sandbox: in-process through a WSGI transport, and over HTTP.

Run as its own session with ``DJANGO_SETTINGS_MODULE=inleg.sandbox.settings``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client

from inleg.loket import LoketClient, LoketOAuth, TokenSet
from inleg.loket.oauth import new_code_verifier, new_state
from inleg.sandbox.seed import CLIENT_ID, CLIENT_SECRET, USER_PASSWORD, seed

REDIRECT = "http://localhost:8000/integrations/loket/callback"
OAUTH_URL = "http://testserver"
API_URL = "http://testserver/v2"


@pytest.fixture(autouse=True)
def _sepa_dir(tmp_path: Any, settings: Any) -> None:
    settings.SANDBOX_SEPA_DIR = tmp_path / "sepa"


@pytest.fixture
def seeded(db: Any) -> dict[str, Any]:
    return seed(employers=2, employees=12, rng_seed=11)


@pytest.fixture
def transport(seeded: dict[str, Any]) -> Iterator[httpx2.WSGITransport]:
    """The sandbox in this process. Like Django's test client, keep the test's connection open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield httpx2.WSGITransport(app=WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def consent_code(authorize_url: str, username: str, allow: bool = True) -> dict[str, list[str]]:
    """Log in at the sandbox as ``username`` and answer the consent page; the callback's query."""
    browser = Client()
    assert browser.login(username=username, password=USER_PASSWORD)
    parts = urlparse(authorize_url)
    page = browser.get(parts.path, parse_qs(parts.query))
    assert page.status_code == 200, page.content[:300]
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.pop("allow", None)
    if allow:
        data["allow"] = "Toestaan"
    answer = browser.post(parts.path + "?" + parts.query, data)
    assert answer.status_code == 302
    return parse_qs(urlparse(answer["Location"]).query)


def oauth_for(transport: httpx2.BaseTransport, base: str = OAUTH_URL) -> LoketOAuth:
    return LoketOAuth(CLIENT_ID, CLIENT_SECRET, base, REDIRECT, transport=transport)


def connect(oauth: LoketOAuth, username: str = "koppeling") -> TokenSet:
    state, verifier = new_state(), new_code_verifier()
    query = consent_code(oauth.authorization_url(state, verifier), username)
    code = oauth.code_from_callback({k: v[0] for k, v in query.items()}, state)
    return oauth.exchange_code(code, verifier)


@pytest.fixture
def tokens(transport: httpx2.WSGITransport) -> TokenSet:
    return connect(oauth_for(transport))


@pytest.fixture
def client(transport: httpx2.WSGITransport, tokens: TokenSet) -> Iterator[LoketClient]:
    with LoketClient(API_URL, lambda: tokens.access_token, transport=transport, page_size=5) as loket:
        yield loket
