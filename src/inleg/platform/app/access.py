"""Access to the app: logged in as an employee (active, with an employee record), terms accepted.

Another person's record is never looked up by id alone: ``own_employment`` filters by the logged-in employee,
so any other id (another employee's, another company's) is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from inleg.platform.accounts.models import Role, User
from inleg.platform.app.invitations import has_accepted_terms
from inleg.platform.employees.models import Employee, Employment

View = Callable[..., HttpResponse]


def employee_of(request: HttpRequest) -> Employee:
    user = request.user
    assert isinstance(user, User)
    employee: Employee = user.employee  # the reverse one-to-one
    return employee


def employee_only(*, terms: bool = True) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "app:login")
            assert isinstance(user, User)
            if user.role != Role.EMPLOYEE or not user.is_active or not Employee.objects.filter(user=user).exists():
                raise Http404("the app is for employees")
            if terms and not has_accepted_terms(user):
                return redirect("app:terms")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def own_employment(request: HttpRequest, employment_id: int) -> Employment:
    employee = employee_of(request)
    return get_object_or_404(
        Employment.objects.select_related("company", "employee"),
        pk=employment_id,
        employee=employee,
        company_id=employee.company_id,
    )
