"""The PostgreSQL session really runs on PostgreSQL (Makefile: the sandbox suite under pgtemp)."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_vendor_is_the_one_asked_for() -> None:
    expected = "postgresql" if os.environ.get("SANDBOX_EXPECT_POSTGRES") == "1" else "sqlite"
    assert connection.vendor == expected
