"""The production path: PostgreSQL when asked for (Makefile: this suite under pgtemp), and refresh under a lock."""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from inleg.platform.integrations import services
from inleg.platform.integrations.models import LoketConnection, State
from tests.platform.conftest import connect, connection_of, logged_in, make_company


@pytest.mark.django_db
def test_database_vendor_is_the_one_asked_for() -> None:
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("loket")
def test_concurrent_refreshes_use_the_single_use_refresh_token_once() -> None:
    """Two processes find the token expired at once: one refreshes, the other waits and takes the new pair.

    Without the lock the second would send the dead refresh token and Loket would answer invalid_grant.
    """
    _, admin = make_company()
    web: Client = logged_in(admin)
    connect(web, "koppeling")
    before: LoketConnection = connection_of(admin)
    LoketConnection.objects.filter(pk=before.pk).update(expires_at=timezone.now() - timedelta(seconds=5))
    tokens: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(3)

    def worker() -> None:
        try:
            start.wait()
            tokens.append(services.access_token(before.pk))
        except BaseException as error:  # collected and asserted below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    after = connection_of(admin)
    assert failures == []
    assert after.state == State.ACTIVE
    assert after.token_generation == before.token_generation + 1  # exactly one refresh
    assert len(set(tokens)) == 1
    assert tokens[0] == after.access_token()
