"""Template context of every page: the navigation's state and a notice about the Loket.nl connection."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from inleg.platform.accounts.models import Right, User
from inleg.platform.integrations.models import LoketConnection


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    notice = ""
    if user.has_right(Right.MANAGE_INTEGRATION):
        notice = (
            LoketConnection.objects.filter(company_id=user.company_id).values_list("notice", flat=True).first() or ""
        )
    return {
        "can_manage_integration": user.has_right(Right.MANAGE_INTEGRATION),
        "can_view_employees": user.has_right(Right.VIEW_EMPLOYEES),
        "can_manage_contributions": user.has_right(Right.MANAGE_CONTRIBUTIONS),
        "loket_notice": notice,
    }
