"""Fixtures of the sandbox session (run with DJANGO_SETTINGS_MODULE=inleg.sandbox.settings)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, set_token_value

from inleg.sandbox.core.models import Employer, Employment, LoketUser
from inleg.sandbox.seed import CLIENT_ID, seed

V2 = "/v2/providers/employers"


@pytest.fixture(autouse=True)
def _sepa_dir(tmp_path: Any, settings: Any) -> None:
    settings.SANDBOX_SEPA_DIR = tmp_path / "sepa"


@pytest.fixture
def seeded(db: Any) -> dict[str, Any]:
    result = seed(employers=2, employees=8, rng_seed=7)
    return result


def make_token(username: str, client_id: str = CLIENT_ID) -> str:
    raw = secrets.token_urlsafe(30)
    token = AccessToken(
        user=LoketUser.objects.get(username=username),
        application=Application.objects.get(client_id=client_id),
        expires=timezone.now() + timedelta(seconds=3599),
        scope="all",
    )
    set_token_value(token, raw)
    token.save()
    return raw


class Api:
    """The Django test client with a bearer token and Loket's Accept header."""

    def __init__(self, token: str, version: str | None = None) -> None:
        self.client = Client()
        self.token = token
        self.version = version

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        accept = "application/json" + (f";version={self.version}" if self.version else "")
        return {"Authorization": f"Bearer {self.token}", "Accept": accept, **(extra or {})}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(path, params or {}, headers=self.headers(headers))

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(path, body, content_type="application/json", headers=self.headers(headers))

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.put(path, body, content_type="application/json", headers=self.headers(headers))

    def delete(self, path: str, **headers: str) -> Any:
        return self.client.delete(path, headers=self.headers(headers))


@pytest.fixture
def api(seeded: dict[str, Any]) -> Api:
    return Api(make_token("koppeling"))


@pytest.fixture
def employer(seeded: dict[str, Any]) -> Employer:
    return Employer.objects.get(employer_number=20001)


@pytest.fixture
def employment(employer: Employer) -> Employment:
    return (
        Employment.objects.filter(employee__employer=employer, end_date__isnull=True)
        .order_by("employee__employee_number")
        .first()
    )


def assert_expires(response: Any) -> None:
    """The answer carries ``Expires`` (the description: "returned with every response") as an HTTP-date that
    has passed: Loket's resources may not be cached (see the sandbox README)."""
    value = response.get("Expires")
    assert value, f"{response.status_code} answer without Expires"
    when = parsedate_to_datetime(value)  # an HTTP-date (RFC 9110 5.6.7), not "0" or "-1"
    assert when.tzinfo is not None, value
    assert when <= datetime.now(UTC), value
