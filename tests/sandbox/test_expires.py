"""Every /v2 answer carries ``Expires``, errors included: the official description's "Headers" section says
the header "is returned with every response to indicate how long a response can be cached"."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern

from conftest import assert_expires, make_token
from inleg.sandbox.api.urls import urlpatterns

SAMPLES = {"year": "2024", "period_id": "202403"}  # every other path parameter is an id (a GUID)


def concrete(pattern: URLPattern) -> str:
    """The route with made-up values: ids no record has, so an operation that is reached answers 404."""
    return "/v2/" + re.sub(r"<str:(\w+)>", lambda m: SAMPLES.get(m.group(1), str(uuid.uuid4())), str(pattern.pattern))


@pytest.mark.parametrize("user", [None, "koppeling"], ids=["no-token", "token"])
def test_every_routed_operation_answers_with_expires(seeded: Any, user: str | None) -> None:
    headers = {"Authorization": f"Bearer {make_token(user)}"} if user else {}
    client = Client()
    statuses: set[int] = set()
    for pattern in urlpatterns:
        path = concrete(pattern)
        for method in ("get", "post", "put", "delete", "patch"):
            response = getattr(client, method)(path, data={}, content_type="application/json", headers=headers)
            assert_expires(response)
            statuses.add(response.status_code)
    # Each route was answered by its operations (401 without a token; 200, 400, 404 with one) and by the
    # router for the methods it lacks (405).
    assert statuses >= ({401, 405} if user is None else {200, 404, 405})


@pytest.mark.usefixtures("seeded")
def test_an_unrouted_path_and_a_bad_version_answer_with_expires() -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {make_token('koppeling')}"}
    unrouted = client.get("/v2/providers/employers/nothing/here/at/all", headers=headers)
    assert unrouted.status_code == 404
    assert_expires(unrouted)
    old = client.get("/v2/user", headers={**headers, "Accept": "application/json;version=2000-01-01"})
    assert old.status_code == 400
    assert_expires(old)


@pytest.mark.parametrize("faults", ["429=1", "500=1", "503=1"])
def test_injected_faults_answer_with_expires(seeded: Any, settings: Any, faults: str) -> None:
    settings.SANDBOX_FAULTS = faults
    response = Client().get("/v2/user", headers={"Authorization": f"Bearer {make_token('koppeling')}"})
    assert response.status_code == int(faults[:3])
    assert_expires(response)
