"""Access rules of the pages: logged in, one company (tenant), and the right the page needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from inleg.platform.accounts.models import Company, Role, User

View = Callable[..., HttpResponse]


def company_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def company_of(request: HttpRequest) -> Company:
    return company_user(request).company


def requires(right: str | None = None, *, admin: bool = False) -> Callable[[View], View]:
    """Only logged-in employer admins and payroll administrators, with ``right`` (or admin) when given."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            assert isinstance(user, User)
            if user.role == Role.EMPLOYEE or not user.is_active:
                raise PermissionDenied
            if admin and not user.is_admin:
                raise PermissionDenied
            if right is not None and not user.has_right(right):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
