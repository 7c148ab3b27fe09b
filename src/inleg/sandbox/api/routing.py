"""Dispatch: one view per operationId (authenticated, versioned, errors answered) and one route per path."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from inleg.sandbox.api.auth import authenticate
from inleg.sandbox.api.context import Context
from inleg.sandbox.api.errors import ApiError
from inleg.sandbox.api.jsonio import respond
from inleg.sandbox.api.versions import negotiate_version

Handler = Callable[..., HttpResponse]


def method_of(name: str) -> str:
    for prefix in ("Get", "Post", "Put", "Delete", "Patch"):
        if name.startswith(prefix):
            return prefix.upper()
    raise ValueError(f"operationId {name} names no HTTP method")


def operation(name: str) -> Callable[[Handler], Handler]:
    """A view for one operationId; its HTTP method is the one the operationId starts with."""
    method = method_of(name)

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if request.method != method and not (method == "GET" and request.method == "HEAD"):
                response = HttpResponse(status=405)
                response["Allow"] = method
                return response
            ctx: Context | None = None
            try:
                user, activities = authenticate(request)
                ctx = Context(request, name, user, activities, negotiate_version(request, name))
                return handler(ctx, **kwargs)
            except ApiError as error:
                response = respond(ctx, error.status, error.body)
                if error.body is not None and error.status in (401, 403):
                    response["Content-Type"] = "application/json"
                for key, value in error.headers.items():
                    response[key] = value
                return response

        # The view carries its operation's name (route() dispatches on it); a function's attributes are untyped.
        view.operation_id = name  # type: ignore[attr-defined]
        return csrf_exempt(view)

    return decorate


def route(*views: Handler) -> Handler:
    """One path that holds several operations (a collection's GET and POST, an item's GET, PUT and DELETE).

    Each request goes to the operation of its HTTP method; another method is a 405 that lists the ones the
    path has. Exempt from CSRF like the operations themselves: callers carry a bearer token, not a cookie.
    """
    by_method = {method_of(view.operation_id): view for view in views}  # type: ignore[attr-defined]  # see operation()

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        method = "GET" if request.method == "HEAD" else request.method
        handler = by_method.get(method or "")
        if handler is None:
            response = HttpResponse(status=405)
            response["Allow"] = ", ".join(sorted(by_method))
            return response
        return handler(request, **kwargs)

    return view
