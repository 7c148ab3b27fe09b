"""Key rotation of the tokens at rest: re-encrypt with the newest key of PLATFORM_TOKEN_KEYS."""

from __future__ import annotations

from django.db import transaction

from inleg.platform import crypto
from inleg.platform.integrations.models import LoketConnection


def rotate_all() -> int:
    count = 0
    for pk in LoketConnection.objects.exclude(refresh_token_enc="").values_list("pk", flat=True):
        with transaction.atomic():
            connection = LoketConnection.objects.select_for_update().get(pk=pk)
            if not connection.refresh_token_enc:
                continue
            connection.refresh_token_enc = crypto.rotate(connection.refresh_token_enc)
            if connection.access_token_enc:
                connection.access_token_enc = crypto.rotate(connection.access_token_enc)
            connection.save(update_fields=["access_token_enc", "refresh_token_enc", "updated_at"])
            count += 1
    return count
