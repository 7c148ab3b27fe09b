"""The Loket login page, the consent page (Toestaan / Weigeren) and the token endpoint."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import AuthorizationView, TokenView

from inleg.sandbox.core.models import ClientProfile, LoketUser
from inleg.sandbox.core.rights import ACTIVITIES_BY_RIGHT, Right

READ_RIGHTS = (Right.READ_EMPLOYMENTS, Right.READ_HRM, Right.READ_REWARDS)
WRITE_RIGHTS = (Right.MANAGE_REWARDS, Right.MANAGE_FIXED_DATA)


class LoginView(auth_views.LoginView):
    template_name = "sandbox/login.html"
    redirect_authenticated_user = False


def describe_client(application: Any) -> dict[str, list[str]]:
    """What a client will be able to see and change, by the rights its activities belong to."""
    profile = ClientProfile.objects.filter(application=application).first()
    allowed = set(profile.allowed_activities) if profile else set()
    see = [str(Right(r).label) for r in READ_RIGHTS if allowed & set(ACTIVITIES_BY_RIGHT[r])]
    change = [str(Right(r).label) for r in WRITE_RIGHTS if allowed & set(ACTIVITIES_BY_RIGHT[r])]
    return {
        "see": see,
        "change": change,
        "description": [profile.description] if profile and profile.description else [],
    }


class ConsentView(AuthorizationView):
    """DOT's authorization view with Loket's rules and page: webservice users cannot consent."""

    template_name = "sandbox/consent.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and isinstance(user, LoketUser) and user.kind == LoketUser.Kind.WEBSERVICE:
            message = _(
                "Een webservicegebruiker kan geen toestemming geven aan een koppeling. Log in met een normale "
                "Loket-gebruiker (geen webservicegebruiker)."
            )
            return render(request, "sandbox/consent_refused.html", {"message": message}, status=403)
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        application = context.get("application")
        if application is not None:
            context["client"] = describe_client(application)
        return context


def _set_form(request: HttpRequest, form: QueryDict) -> None:
    """Replace the form Django parsed from the body (what ``request.POST`` answers from now on)."""
    request._post = form  # type: ignore[attr-defined]  # HttpRequest._post is private: the stubs leave it out


@method_decorator(csrf_exempt, name="dispatch")
class LoketTokenView(TokenView):
    """DOT's token endpoint, shaped like Loket's answer.

    Accepts ``client_Id`` (Loket's own spelling) beside ``client_id`` and a form body sent as
    ``text/plain``; answers ``token_type: bearer``, ``expires_in: 3599`` and ``two_factor_state``.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("text/plain"):
            pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
            request.META["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            form = QueryDict(mutable=True)
            for key, value in pairs:
                form.appendlist(key, value)
            _set_form(request, form)
        if "client_Id" in request.POST and "client_id" not in request.POST:
            post = request.POST.copy()
            post["client_id"] = post.pop("client_Id")[0]
            _set_form(request, post)
        response: HttpResponse = super().post(request, *args, **kwargs)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
            data = json.loads(response.content)
            shaped = {
                "access_token": data["access_token"],
                "token_type": "bearer",
                "expires_in": data["expires_in"],
                "refresh_token": data.get("refresh_token"),
                "two_factor_state": "None",
            }
            response.content = json.dumps(shaped).encode()
        return response
