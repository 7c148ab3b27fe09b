"""Login throttling kept in the database (it holds across web processes)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from inleg.platform.accounts.models import LoginFailure


def _since() -> timezone.datetime:
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_S)


def is_locked(email: str, ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_since())
    if recent.filter(email=email.lower()).count() >= settings.LOGIN_MAX_FAILURES:
        return True
    return ip is not None and recent.filter(ip=ip).count() >= settings.LOGIN_MAX_FAILURES_PER_IP


def record_failure(email: str, ip: str | None) -> None:
    LoginFailure.objects.create(email=email.lower(), ip=ip)
    LoginFailure.objects.filter(at__lt=_since()).delete()


def clear(email: str) -> None:
    LoginFailure.objects.filter(email=email.lower()).delete()
