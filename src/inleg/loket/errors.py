"""One exception root for talking to Loket.nl, a subclass per way a call can fail.

The HTTP errors carry what Loket said: its ``messages`` (400/409), the activity refused (403), and the
request that failed, so a connection page can tell an employer exactly what to mend.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Message:
    """An item of Loket's ``messages[]``: ``BrokenBusinessRule``, ``Warning``, ``Exception``, ``NotFound``."""

    type: str
    description: str
    code: int | None = None
    id: str | None = None
    properties: tuple[str, ...] = field(default_factory=tuple)


class LoketError(Exception):
    """Root of every failure of the Loket client."""


class OAuthError(LoketError):
    """The authorization server refused (RFC 6749 section 5.2 and 4.1.2.1)."""

    def __init__(self, error: str, description: str = "") -> None:
        self.error = error
        self.description = description
        super().__init__(f"{error}: {description}" if description else error)


class InvalidGrant(OAuthError):
    """A code or refresh token that is unknown, used or expired: the user must authorize again."""


class InvalidClient(OAuthError):
    """The client id or secret is wrong."""


class AccessDenied(OAuthError):
    """The user chose Weigeren on the consent page."""


class InvalidState(OAuthError):
    """The ``state`` that came back is not the one we sent: a forged or replayed callback."""


class ApiError(LoketError):
    """An HTTP error answer of the API."""

    status: int = 0

    def __init__(self, method: str, url: str, status: int, detail: str, messages: tuple[Message, ...] = ()) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.detail = detail
        self.messages = messages
        super().__init__(f"{method} {url}: {status} {detail}")


class Unauthorized(ApiError):
    """401: the access token is missing, expired or revoked; do not retry without a new one."""


class Forbidden(ApiError):
    """403: the client, the user's rights, the role, a module or access to the record says no."""

    def __init__(self, method: str, url: str, status: int, detail: str, activity: str | None = None) -> None:
        self.activity = activity
        super().__init__(method, url, status, detail)


class NotFound(ApiError):
    """404: no such record (or not visible to this user)."""


class BadRequest(ApiError):
    """400: Loket refused the input; ``messages`` say why (often ``BrokenBusinessRule``)."""


class Conflict(ApiError):
    """409: a stale ``If-Match`` or a business rule on write."""


class RateLimited(ApiError):
    """429 after every retry: Loket asks to slow down."""


class ServerError(ApiError):
    """5xx after every retry."""


class TransportError(LoketError):
    """No answer at all (connection refused, timeout) after every retry."""


class MalformedResponse(LoketError):
    """An answer that is not the JSON envelope Loket always sends."""
