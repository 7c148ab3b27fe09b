"""The interface's language: Dutch, unless the user chose English with the language switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, so a browser set to English got English
pages, English month names and English flash messages without anyone choosing them. Here only the switch counts:
the cookie that Django's ``set_language`` view (``/i18n/setlang/``) sets.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass  # a language the platform does not offer (an old or forged cookie): the default
    return str(settings.LANGUAGE_CODE)


class SwitchLanguageMiddleware:
    """In place of LocaleMiddleware: the language of the switch, else LANGUAGE_CODE; never Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))  # the page differs by the switch's cookie, and by nothing else
        response.headers.setdefault("Content-Language", language)
        return response
