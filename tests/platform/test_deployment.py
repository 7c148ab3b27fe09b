"""Production settings: no start without real keys, and Django's deployment check without a single warning.

Each case starts a fresh Python process with the platform's settings, as a web server or worker would: the
settings are read once per process, so this cannot be done inside the test session.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from inleg.platform import keys

# The repository's development keys, written out here rather than imported: they must be refused as they are.
REPOSITORY_SECRET_KEY = "dev-only-platform-secret-key-change-me-in-any-shared-deployment"
REPOSITORY_TOKEN_KEY = "ZGV2LW9ubHktdG9rZW4ta2V5LWNoYW5nZS1tZS0zMmI="


def production_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLATFORM_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "inleg.platform.settings",
            "PLATFORM_VAR_DIR": str(tmp_path),
            "PLATFORM_ALLOWED_HOSTS": "werkgever.pensify.example",
            **variables,
        }
    )
    return env


def run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def real_keys() -> dict[str, str]:
    """Keys as an operator makes them: with `inleg platform new-keys`."""
    out = subprocess.run(
        [str(Path(sys.executable).parent / "inleg"), "platform", "new-keys"],
        env={k: v for k, v in os.environ.items() if not k.startswith("PLATFORM_")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pairs = dict(line.split("=", 1) for line in out.splitlines())
    assert set(pairs) == {"PLATFORM_SECRET_KEY", "PLATFORM_TOKEN_KEYS"}
    return pairs


def test_check_deploy_passes_without_warnings_in_production(tmp_path: Path) -> None:
    result = run_django(production_env(tmp_path, **real_keys()), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr.upper()


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({}, "PLATFORM_SECRET_KEY is not set"),
        ({"PLATFORM_SECRET_KEY": "x" * 10 + "abcdefghij" * 5}, "PLATFORM_TOKEN_KEYS is not set"),
        ({"PLATFORM_SECRET_KEY": REPOSITORY_SECRET_KEY}, "PLATFORM_SECRET_KEY is the development key"),
        ({"PLATFORM_SECRET_KEY": "kort-geheim"}, "PLATFORM_SECRET_KEY is too weak: 11 characters"),
        (
            {
                "PLATFORM_SECRET_KEY": "abcdefghij" * 6,
                "PLATFORM_TOKEN_KEYS": f"{Fernet.generate_key().decode()},{REPOSITORY_TOKEN_KEY}",
            },
            "PLATFORM_TOKEN_KEYS: key 2 is the development key",
        ),
        (
            {"PLATFORM_SECRET_KEY": "abcdefghij" * 6, "PLATFORM_TOKEN_KEYS": "geen-fernet-sleutel"},
            "PLATFORM_TOKEN_KEYS: key 1 is not a Fernet key",
        ),
    ],
)
def test_production_refuses_to_start_without_real_keys(tmp_path: Path, variables: dict[str, str], named: str) -> None:
    result = run_django(production_env(tmp_path, **variables), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr
    for value in variables.values():  # a refused key is named by its variable, never printed
        assert value not in result.stderr


def test_development_mode_starts_with_the_repository_keys_and_plain_http(tmp_path: Path) -> None:
    env = production_env(tmp_path, PLATFORM_DEBUG="1")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECRET_KEY, s.PLATFORM_TOKEN_KEYS[0], s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == [REPOSITORY_SECRET_KEY, REPOSITORY_TOKEN_KEY, "False", "False"]


def test_new_keys_are_accepted_and_differ_each_time() -> None:
    first, second = keys.new_keys(), keys.new_keys()
    assert first != second
    environ = dict(first)
    assert keys.secret_key(environ, debug=False) == first["PLATFORM_SECRET_KEY"]
    assert keys.token_keys(environ, debug=False) == [first["PLATFORM_TOKEN_KEYS"]]
