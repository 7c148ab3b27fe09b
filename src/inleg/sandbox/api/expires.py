"""``Expires`` on every /v2 answer, errors and injected faults included, as the official description says.

Its "Headers" section: "`Expires` header is returned with every response to indicate how long a response
can be cached", and its "Caching" section: "In most cases caching is not allowed for resources" (the
exceptions are logos and photos, which the sandbox does not serve). So every answer expires the moment it
is sent: the header holds the answer's own time as an HTTP-date, which RFC 9111 4.2 reads as stale on
arrival. A valid date rather than ``0`` or ``-1``: those mean the same but are invalid values a cache must
second-guess (RFC 9111 5.3).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date


class ExpiresMiddleware:
    """Outermost on /v2, so it also dresses Django's 404 for an unrouted path and the fault injector's answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/v2/") and "Expires" not in response:
            response["Expires"] = http_date()
        return response
