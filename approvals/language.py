"""Vietnamese first: the interface language is the visitor's explicit choice, else Vietnamese."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request: HttpRequest) -> str:
    """The language saved by the switch (``set_language`` cookie), or ``LANGUAGE_CODE``."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's ``LocaleMiddleware`` but deaf to the browser's ``Accept-Language``.

    Staff of the department often run browsers set to English; the product must still open in
    Vietnamese, and switch to English only when someone presses the switch.
    """

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
