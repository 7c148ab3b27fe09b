"""Loket.nl's OAuth 2.0 authorization code flow (RFC 6749) with PKCE (RFC 7636), through Authlib.

Loket issues a refresh token with every token response and the one used is dead afterwards
(rotation): whoever stores tokens must save the new pair atomically, under a lock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.integrations.httpx_client import OAuthError as AuthlibOAuthError

from inleg.loket import errors

SCOPE = "all"

_ERRORS: dict[str, type[errors.OAuthError]] = {
    "invalid_grant": errors.InvalidGrant,
    "invalid_client": errors.InvalidClient,
    "access_denied": errors.AccessDenied,
}


def new_state() -> str:
    """An unguessable ``state`` (RFC 6749 section 10.12: binds the callback to this browser)."""
    return str(generate_token(32))


def new_code_verifier() -> str:
    """A PKCE code verifier of 64 characters (RFC 7636 section 4.1: 43 to 128)."""
    return str(generate_token(64))


def oauth_error(error: str, description: str = "") -> errors.OAuthError:
    return _ERRORS.get(error.lower(), errors.OAuthError)(error, description)


@dataclass(frozen=True, slots=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: datetime
    two_factor_state: str = "None"

    def expired(self, now: datetime, margin: timedelta = timedelta(seconds=60)) -> bool:
        return now + margin >= self.expires_at


class LoketOAuth:
    """The client side of Loket's authorization server (``/authorize`` and ``/token``)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        oauth_url: str,
        redirect_uri: str,
        *,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = 30.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client_id = client_id
        self._secret = client_secret
        self.authorize_endpoint = f"{oauth_url.rstrip('/')}/authorize"
        self.token_endpoint = f"{oauth_url.rstrip('/')}/token"
        self.redirect_uri = redirect_uri
        self._transport = transport
        self._timeout = timeout
        self._now = now

    def _client(self) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self._secret,
            token_endpoint_auth_method="client_secret_post",
            scope=SCOPE,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            transport=self._transport,
            timeout=self._timeout,
        )

    def authorization_url(self, state: str, code_verifier: str) -> str:
        """Where to send the browser (section 4.1.1): ``response_type=code``, ``scope=all``, PKCE S256."""
        with self._client() as client:
            url, _ = client.create_authorization_url(self.authorize_endpoint, state=state, code_verifier=code_verifier)
        return str(url)

    def code_from_callback(self, query: Mapping[str, str], expected_state: str) -> str:
        """The authorization code of a callback (section 4.1.2), after checking ``state``."""
        if query.get("state") != expected_state:
            raise errors.InvalidState("invalid_state", "the state of the callback is not the one sent")
        if "error" in query:
            raise oauth_error(query["error"], query.get("error_description", ""))
        code = query.get("code")
        if not code:
            raise errors.OAuthError("invalid_request", "the callback holds no code")
        return code

    def exchange_code(self, code: str, code_verifier: str) -> TokenSet:
        """Section 4.1.3: the code (single use) for tokens."""
        return self._token(grant_type="authorization_code", code=code, code_verifier=code_verifier)

    def refresh(self, refresh_token: str) -> TokenSet:
        """Section 6: new tokens; the refresh token given is dead from now on."""
        return self._token(grant_type="refresh_token", refresh_token=refresh_token)

    def _token(self, **form: str) -> TokenSet:
        with self._client() as client:
            try:
                if form["grant_type"] == "refresh_token":
                    token = client.refresh_token(self.token_endpoint, refresh_token=form["refresh_token"])
                else:
                    token = client.fetch_token(self.token_endpoint, **form)
            except AuthlibOAuthError as error:
                raise oauth_error(str(error.error), str(error.description or "")) from None
            except httpx2.HTTPStatusError as error:  # an answer that is not RFC 6749 JSON
                status = error.response.status_code
                if status >= 500:  # Loket is down, not refusing: the tokens stay good, try again later
                    raise errors.ServerError(
                        "POST", self.token_endpoint, status, "token endpoint unavailable"
                    ) from None
                raise errors.OAuthError("invalid_response", f"{self.token_endpoint} answered {status}") from None
            except httpx2.TransportError as error:
                raise errors.TransportError(f"{self.token_endpoint}: {error}") from error
        return self._token_set(token)

    def _token_set(self, token: Mapping[str, Any]) -> TokenSet:
        access, refresh = token.get("access_token"), token.get("refresh_token")
        if not isinstance(access, str) or not isinstance(refresh, str):
            raise errors.OAuthError("invalid_response", "the token response holds no access and refresh token")
        expires_in = token.get("expires_in")
        seconds = int(expires_in) if isinstance(expires_in, (int, str)) and str(expires_in).isdigit() else 3599
        return TokenSet(
            access, refresh, self._now() + timedelta(seconds=seconds), str(token.get("two_factor_state", "None"))
        )
