"""Encryption of secrets at rest (OAuth tokens): Fernet with key rotation (MultiFernet).

The keys come from ``settings.PLATFORM_TOKEN_KEYS``, newest first: the first encrypts, every key decrypts.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PLATFORM_TOKEN_KEYS: at least one Fernet key is needed")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"PLATFORM_TOKEN_KEYS: a key is not a Fernet key ({error})") from None


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.PLATFORM_TOKEN_KEYS))


def encrypt(plain: str) -> str:
    return cipher().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "PLATFORM_TOKEN_KEYS: a stored token cannot be decrypted with any configured key"
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (MultiFernet.rotate)."""
    return cipher().rotate(token.encode()).decode()
