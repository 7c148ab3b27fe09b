"""Fault injection on /v2: a seeded share of requests answers 429 (with Retry-After), 500 or 503, or slowly.

``SANDBOX_FAULTS="429=0.1,500=0.05,503=0.05,slow=0.1,slow_s=1.5,retry_after=2,seed=7"``. The same seed
and the same sequence of requests give the same faults, so a failing run can be repeated.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class FaultPlan:
    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_503: float = 0.0
    rate_slow: float = 0.0
    slow_seconds: float = 1.0
    retry_after: int = 1
    seed: int = 0

    @property
    def active(self) -> bool:
        return any((self.rate_429, self.rate_500, self.rate_503, self.rate_slow))


_KEYS = {"429": "rate_429", "500": "rate_500", "503": "rate_503", "slow": "rate_slow", "slow_s": "slow_seconds",
         "retry_after": "retry_after", "seed": "seed"}  # fmt: skip


def parse_plan(text: str) -> FaultPlan:
    values: dict[str, float | int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, raw = part.partition("=")
        if not sep or name.strip() not in _KEYS:
            raise ImproperlyConfigured(f"SANDBOX_FAULTS: '{part}' is not one of {', '.join(_KEYS)} = number")
        field = _KEYS[name.strip()]
        try:
            number = int(raw) if field in ("seed", "retry_after") else float(raw)
        except ValueError:
            raise ImproperlyConfigured(f"SANDBOX_FAULTS: {name}='{raw}' is not a number") from None
        if field.startswith("rate_") and not 0 <= number <= 1:
            raise ImproperlyConfigured(f"SANDBOX_FAULTS: {name}={raw} must lie between 0 and 1")
        values[field] = number
    # Each value has its field's type (int for seed and retry_after), which a dict's value type cannot say.
    plan = FaultPlan(**values)  # type: ignore[arg-type]
    if plan.rate_429 + plan.rate_500 + plan.rate_503 + plan.rate_slow > 1:
        raise ImproperlyConfigured("SANDBOX_FAULTS: the shares add up to more than 1")
    return plan


class FaultInjectionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.configure(getattr(settings, "SANDBOX_FAULTS", ""))

    def configure(self, text: str) -> None:
        self.plan = parse_plan(text)
        self.random = random.Random(self.plan.seed)
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.plan.active or not request.path.startswith("/v2/"):
            return self.get_response(request)
        with self.lock:
            draw = self.random.random()
        plan = self.plan
        if draw < plan.rate_429:
            response = HttpResponse('{"message": "Too many requests."}', status=429, content_type="application/json")
            response["Retry-After"] = str(plan.retry_after)
            return response
        draw -= plan.rate_429
        if draw < plan.rate_500:
            return HttpResponse(status=500)
        draw -= plan.rate_500
        if draw < plan.rate_503:
            response = HttpResponse(status=503)
            response["Retry-After"] = str(plan.retry_after)
            return response
        draw -= plan.rate_503
        if draw < plan.rate_slow:
            time.sleep(plan.slow_seconds)
        return self.get_response(request)
