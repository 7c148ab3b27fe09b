"""OAuth validation as Loket does it, to the current security advice (RFC 6749, RFC 7636, RFC 9700).

django-oauth-toolkit's settings (``settings.OAUTH2_PROVIDER``) require PKCE, refuse ``plain`` and revoke a
refresh token's family when a used one comes back. What the toolkit has no setting for is here: the
redirect URI matched exactly, a code spent by a wrong verifier, and a replayed code revoking its tokens.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from oauth2_provider.models import Grant, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import (
    code_challenge_method_plain,
    code_challenge_method_s256,
)

from inleg.sandbox.core.models import RedeemedCode

_CHALLENGE_METHODS = {"S256": code_challenge_method_s256, "plain": code_challenge_method_plain}


def _checksum(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _revoke(token_family: Any) -> None:
    if token_family is not None:
        RefreshToken.revoke_family(token_family)


class LoketValidator(OAuth2Validator):
    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        # Loket knows one scope, ``all``; any other value is ignored rather than refused.
        request.scopes = ["all"]
        return True

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        return ["all"]

    def validate_redirect_uri(self, client_id: str, redirect_uri: str, request: Any, *args: Any, **kwargs: Any) -> bool:
        # Exact string match (RFC 9700 2.1). The toolkit lets any port pass for a registered http://127.0.0.1
        # or [::1] URI (RFC 8252 7.3, meant for native apps on an ephemeral port) and has no setting against it;
        # Loket's clients are web servers on a fixed address.
        return redirect_uri in request.client.redirect_uris.split()

    def confirm_redirect_uri(
        self, client_id: str, code: str, redirect_uri: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        # RFC 6749 5.2: a redirect URI that differs from the authorization request's is an invalid_grant
        # (oauthlib would answer invalid_request).
        if not super().confirm_redirect_uri(client_id, code, redirect_uri, client, request, *args, **kwargs):
            raise errors.InvalidGrantError(
                description="redirect_uri differs from the one of the authorization request.", request=request
            )
        return True

    def validate_code(self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any) -> bool:
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            replayed = RedeemedCode.objects.filter(application=client, code_checksum=_checksum(code)).first()
            if replayed is not None:
                _revoke(replayed.token_family)  # RFC 6749 4.1.2: revoke what the code gave
            return False
        grant = Grant.objects.get(code=code, application=client)
        check = _CHALLENGE_METHODS.get(grant.code_challenge_method)
        verifier = request.code_verifier
        if grant.code_challenge and verifier is not None and check and not check(verifier, grant.code_challenge):
            # A wrong verifier spends the code: whoever holds it gets no second guess.
            grant.delete()
            return False
        return True

    def save_bearer_token(self, token: dict[str, Any], request: Any, *args: Any, **kwargs: Any) -> Any:
        saved = super().save_bearer_token(token, request, *args, **kwargs)
        raw = token.get("refresh_token")
        if request.grant_type == "authorization_code" and raw:
            tokens = RefreshToken.objects.filter(token_checksum=_checksum(raw), application=request.client)
            request.token_family = tokens.values_list("token_family", flat=True).first()
        return saved

    def invalidate_authorization_code(self, client_id: str, code: str, request: Any, *args: Any, **kwargs: Any) -> None:
        family = getattr(request, "token_family", None)
        try:
            with transaction.atomic():
                super().invalidate_authorization_code(client_id, code, request, *args, **kwargs)
                RedeemedCode.objects.create(
                    application=request.client, code_checksum=_checksum(code), token_family=family
                )
        except errors.InvalidGrantError:
            # Another request spent the code between its check and now: both lots of tokens go.
            _revoke(family)
            replayed = RedeemedCode.objects.filter(application=request.client, code_checksum=_checksum(code)).first()
            if replayed is not None:
                _revoke(replayed.token_family)
            raise
