"""The database the sandbox runs on: the PostgreSQL session really runs on PostgreSQL (Makefile: the sandbox suite
under pgtemp); SQLite commits without waiting for fsyncs; the served sandbox answers without Nagle's delay."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_vendor_is_the_one_asked_for() -> None:
    expected = "postgresql" if os.environ.get("SANDBOX_EXPECT_POSTGRES") == "1" else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db  # pytest-django lets a test open a connection only then, even to another file
def test_sqlite_commits_without_waiting_for_fsyncs(tmp_path: Path, settings: Any) -> None:
    """WAL with synchronous=NORMAL: a write request's commit took half its time in fsyncs with the default journal."""
    config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    from django.db.backends.sqlite3.base import DatabaseWrapper

    wrapper = DatabaseWrapper({**config, "NAME": str(tmp_path / "file.sqlite3")}, alias="file")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
    finally:
        wrapper.close()


def test_the_served_sandbox_sends_without_nagles_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each accepted connection has TCP_NODELAY: a keep-alive client waited ~40 ms per request without it."""
    import argparse
    import socket

    from django.core.servers.basehttp import WSGIRequestHandler

    from inleg.sandbox import commands
    from inleg.sandbox.server import NoDelayWSGIServer, ServeCommand

    server = NoDelayWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    try:
        with socket.create_connection(server.server_address[:2]):
            accepted, _ = server.get_request()
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
            accepted.close()
    finally:
        server.server_close()
    used: list[Any] = []
    monkeypatch.setattr("django.core.management.call_command", lambda command, *a, **k: used.append(command))
    commands.serve(argparse.Namespace(host="127.0.0.1", port=0))
    assert isinstance(used[-1], ServeCommand)
    assert used[-1].server_cls is NoDelayWSGIServer
