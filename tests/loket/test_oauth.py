"""Loket's OAuth through the client: the code flow with PKCE, rotation, and one test per RFC error path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest

from inleg.loket import LoketOAuth, errors, new_code_verifier, new_state
from inleg.sandbox.seed import CLIENT_ID
from tests.loket.conftest import OAUTH_URL, REDIRECT, connect, consent_code, oauth_for


def test_authorization_url_asks_for_a_code_with_scope_all_state_and_pkce(transport: httpx2.WSGITransport) -> None:
    url = urlparse(oauth_for(transport).authorization_url("st-1", new_code_verifier()))
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{OAUTH_URL}/authorize"
    assert query["response_type"] == "code"
    assert query["scope"] == "all"
    assert query["state"] == "st-1"
    assert (query["client_id"], query["redirect_uri"]) == (CLIENT_ID, REDIRECT)
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # base64url of a SHA-256 digest, unpadded


def test_code_flow_gives_tokens_shaped_like_loket(transport: httpx2.WSGITransport) -> None:
    before = datetime.now(UTC)
    tokens = connect(oauth_for(transport))
    assert tokens.access_token
    assert tokens.refresh_token
    assert tokens.two_factor_state == "None"
    assert before + timedelta(seconds=3590) < tokens.expires_at <= datetime.now(UTC) + timedelta(seconds=3599)


def test_refresh_rotates_and_the_used_refresh_token_is_dead(transport: httpx2.WSGITransport) -> None:
    oauth = oauth_for(transport)
    first = connect(oauth)
    second = oauth.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token
    third = oauth.refresh(second.refresh_token)  # the new one works
    with pytest.raises(errors.InvalidGrant):
        oauth.refresh(first.refresh_token)
    # RFC 9700 4.14.2: a used refresh token coming back revokes its whole family, the newest one too.
    with pytest.raises(errors.InvalidGrant):
        oauth.refresh(third.refresh_token)


# --- section 4.1.2.1: errors of the authorization request -----------------------------------------


def test_refusal_on_the_consent_page_is_access_denied(transport: httpx2.WSGITransport) -> None:
    oauth = oauth_for(transport)
    state = new_state()
    query = consent_code(oauth.authorization_url(state, new_code_verifier()), "koppeling", allow=False)
    with pytest.raises(errors.AccessDenied):
        oauth.code_from_callback({k: v[0] for k, v in query.items()}, state)


def test_a_callback_with_another_state_is_refused(transport: httpx2.WSGITransport) -> None:
    oauth = oauth_for(transport)
    query = consent_code(oauth.authorization_url("sent-state", new_code_verifier()), "koppeling")
    forged = {k: v[0] for k, v in query.items()} | {"state": "forged"}
    with pytest.raises(errors.InvalidState):
        oauth.code_from_callback(forged, "sent-state")


def test_a_callback_without_code_is_an_invalid_request(transport: httpx2.WSGITransport) -> None:
    with pytest.raises(errors.OAuthError) as refused:
        oauth_for(transport).code_from_callback({"state": "s"}, "s")
    assert refused.value.error == "invalid_request"


# --- section 5.2: errors of the token request ------------------------------------------------------


def _code(oauth: LoketOAuth, verifier: str) -> str:
    state = new_state()
    query = consent_code(oauth.authorization_url(state, verifier), "koppeling")
    return oauth.code_from_callback({k: v[0] for k, v in query.items()}, state)


def test_a_code_is_single_use(transport: httpx2.WSGITransport) -> None:
    oauth = oauth_for(transport)
    verifier = new_code_verifier()
    code = _code(oauth, verifier)
    oauth.exchange_code(code, verifier)
    with pytest.raises(errors.InvalidGrant):
        oauth.exchange_code(code, verifier)


def test_a_wrong_code_verifier_is_an_invalid_grant(transport: httpx2.WSGITransport) -> None:
    oauth = oauth_for(transport)
    code = _code(oauth, new_code_verifier())
    with pytest.raises(errors.InvalidGrant):
        oauth.exchange_code(code, new_code_verifier())


def test_a_wrong_client_secret_is_an_invalid_client(transport: httpx2.WSGITransport) -> None:
    oauth = oauth_for(transport)
    verifier = new_code_verifier()
    code = _code(oauth, verifier)
    wrong = LoketOAuth(CLIENT_ID, "not-the-secret", OAUTH_URL, REDIRECT, transport=transport)
    with pytest.raises(errors.InvalidClient):
        wrong.exchange_code(code, verifier)


def test_an_unknown_refresh_token_is_an_invalid_grant(transport: httpx2.WSGITransport) -> None:
    with pytest.raises(errors.InvalidGrant):
        oauth_for(transport).refresh("never-issued")


def test_an_unreachable_server_is_a_transport_error() -> None:
    oauth = LoketOAuth(CLIENT_ID, "x", "http://127.0.0.1:9", REDIRECT)  # port 9 (discard): nothing listens
    with pytest.raises(errors.TransportError):
        oauth.refresh("whatever")


def test_a_token_endpoint_that_is_down_is_a_server_error_not_a_refusal() -> None:
    # Loket answering 503 with an HTML page must not read as "authorize again" (which drops the tokens).
    down = httpx2.MockTransport(lambda request: httpx2.Response(503, text="<html>onderhoud</html>"))
    oauth = LoketOAuth(CLIENT_ID, "x", OAUTH_URL, REDIRECT, transport=down)
    with pytest.raises(errors.ServerError) as failed:
        oauth.refresh("a-refresh-token")
    assert not isinstance(failed.value, errors.OAuthError)
    assert failed.value.status == 503
