"""The address a request came from, for login throttling.

Without a proxy (PLATFORM_TRUSTED_PROXIES=0) it is the connection's own address, REMOTE_ADDR: an
X-Forwarded-For header is then the client's own words and is ignored, or anyone could throttle under any
address they like. Behind N proxies that each append the address they received the request from, the client's
address is the N-th entry from the right of X-Forwarded-For; what stands left of it the client may have written.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    connection = request.META.get("REMOTE_ADDR") or None
    proxies: int = settings.TRUSTED_PROXIES
    if not proxies:
        return connection
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return connection  # fewer entries than proxies: none of them is certain, the connection is
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return connection  # not an address where our own proxy writes one: keep to what is certain
