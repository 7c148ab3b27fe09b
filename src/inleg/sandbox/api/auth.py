"""Bearer authentication of /v2: the token's user and the activities its client may call."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from inleg.sandbox.api.errors import UNAUTHORIZED_MESSAGE, ApiError, forbidden
from inleg.sandbox.core.models import ClientProfile, LoketUser


def authenticate(request: HttpRequest) -> tuple[LoketUser, frozenset[str]]:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(401, {"message": UNAUTHORIZED_MESSAGE})
    checksum = hashlib.sha256(raw.strip().encode()).hexdigest()
    token = (
        AccessToken.objects.select_related("user", "application")
        .filter(token_checksum=checksum, expires__gt=timezone.now())
        .first()
    )
    if token is None or token.user is None or not token.user.is_active:
        # An inactive user's token is not accepted at all: 401, as for an unknown token (see README.md).
        raise ApiError(401, {"message": UNAUTHORIZED_MESSAGE})
    if token.user.kind == LoketUser.Kind.WEBSERVICE:
        raise forbidden()  # a webservice user may call none of these operations: Loket's 403, on every one
    profile = ClientProfile.objects.filter(application_id=token.application_id).first()
    activities = frozenset(profile.allowed_activities) if profile else frozenset()
    return token.user, activities
