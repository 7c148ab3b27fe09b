"""OAuth validation as Loket does it: one scope ``all``, and only active normal users may consent."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class LoketValidator(OAuth2Validator):
    def validate_scopes(self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any, **kwargs: Any):
        # Loket knows one scope, ``all``; any other value is ignored rather than refused.
        request.scopes = ["all"]
        return True

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        return ["all"]
