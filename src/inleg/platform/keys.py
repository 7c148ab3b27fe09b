"""The platform's two secrets from the environment: Django's secret key and the Fernet keys of the stored tokens.

Outside development (``PLATFORM_DEBUG=1``) both must be set, and must not be the development values that are
in this repository: whoever reads the code could otherwise forge sessions and decrypt every stored Loket token.
The settings call these while they load, so a web process or worker refuses to start instead of running
with keys anyone has. No Django here beyond its exception: ``inleg platform new-keys`` runs without settings.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY_VARIABLE = "PLATFORM_SECRET_KEY"
TOKEN_KEYS_VARIABLE = "PLATFORM_TOKEN_KEYS"

# Development stand-ins, taken only with PLATFORM_DEBUG=1. They are public: they protect nothing.
DEVELOPMENT_SECRET_KEY = "dev-only-platform-secret-key-change-me-in-any-shared-deployment"
DEVELOPMENT_TOKEN_KEY = "ZGV2LW9ubHktdG9rZW4ta2V5LWNoYW5nZS1tZS0zMmI="

# Django's own measure of a usable secret key (the check security.W009 of `check --deploy`).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5

HOW_TO_MAKE = "`inleg platform new-keys` prints a fresh pair; for development on your own machine set PLATFORM_DEBUG=1"


def secret_key(environ: Mapping[str, str], debug: bool) -> str:
    value = environ.get(SECRET_KEY_VARIABLE, "").strip()
    if debug:
        return value or DEVELOPMENT_SECRET_KEY
    if not value:
        raise ImproperlyConfigured(
            f"{SECRET_KEY_VARIABLE} is not set: the platform needs its own secret key. {HOW_TO_MAKE}."
        )
    if value == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            f"{SECRET_KEY_VARIABLE} is the development key from the repository, which anyone can read. {HOW_TO_MAKE}."
        )
    if len(value) < SECRET_KEY_MIN_LENGTH or len(set(value)) < SECRET_KEY_MIN_UNIQUE:
        raise ImproperlyConfigured(
            f"{SECRET_KEY_VARIABLE} is too weak: {len(value)} characters, {len(set(value))} different; at least "
            f"{SECRET_KEY_MIN_LENGTH} and {SECRET_KEY_MIN_UNIQUE} are needed. {HOW_TO_MAKE}."
        )
    return value


def token_keys(environ: Mapping[str, str], debug: bool) -> list[str]:
    """Fernet keys, comma-separated, newest first: the first encrypts, every one decrypts (rotation)."""
    keys = [k.strip() for k in environ.get(TOKEN_KEYS_VARIABLE, "").split(",") if k.strip()]
    if not keys:
        if debug:
            return [DEVELOPMENT_TOKEN_KEY]
        raise ImproperlyConfigured(
            f"{TOKEN_KEYS_VARIABLE} is not set: the platform needs its own Fernet key to encrypt the stored Loket "
            f"tokens. {HOW_TO_MAKE}."
        )
    for number, key in enumerate(keys, start=1):
        if key == DEVELOPMENT_TOKEN_KEY and not debug:
            raise ImproperlyConfigured(
                f"{TOKEN_KEYS_VARIABLE}: key {number} is the development key from the repository; with it anyone "
                f"who reads the code can decrypt the stored Loket tokens. {HOW_TO_MAKE}."
            )
        try:
            Fernet(key.encode())
        except ValueError:
            raise ImproperlyConfigured(
                f"{TOKEN_KEYS_VARIABLE}: key {number} is not a Fernet key (32 bytes, url-safe base64). {HOW_TO_MAKE}."
            ) from None
    return keys


def new_keys() -> dict[str, str]:
    """A fresh secret key and token key, for a deployment's environment (or the demo's)."""
    return {SECRET_KEY_VARIABLE: secrets.token_urlsafe(64), TOKEN_KEYS_VARIABLE: Fernet.generate_key().decode()}
