"""What an operation knows about its request: the user, the client's activities, the version, the messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from inleg.sandbox.api.errors import ApiError, forbidden, message
from inleg.sandbox.core.models import Employer, LoketUser
from inleg.sandbox.core.rights import activities_for


@dataclass
class Context:
    request: HttpRequest
    operation: str
    user: LoketUser
    client_activities: frozenset[str]
    version: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    _rights_cache: dict[Any, set[str]] = field(default_factory=dict)

    def version_block(self) -> dict[str, Any]:
        return {"resourceVersion": self.version, "obsoleteDate": None}

    def bad_request(self, description: str, properties: list[str] | None = None) -> ApiError:
        return ApiError(
            400,
            {"content": {}, "messages": [message(description, properties=properties)], "version": self.version_block()},
        )

    def require(self, employer: Employer | Any) -> None:
        """403 unless the client may call this activity and the user holds it for this employer."""
        if self.operation not in self.client_activities:
            raise forbidden()
        employer_id = employer.pk if isinstance(employer, Model) else employer
        activities = self._rights_cache.get(employer_id)
        if activities is None:
            emp = employer if isinstance(employer, Employer) else Employer.objects.filter(pk=employer_id).first()
            if emp is None or not self.user.employers().filter(pk=emp.pk).exists():
                activities = set()
            else:
                activities = activities_for(self.user.rights_for(emp))
            self._rights_cache[employer_id] = activities
        if self.operation not in activities:
            raise forbidden()

    def require_client(self) -> None:
        if self.operation not in self.client_activities:
            raise forbidden()
