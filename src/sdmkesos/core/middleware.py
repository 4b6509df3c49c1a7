from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from . import audit


class CookieLocaleMiddleware(LocaleMiddleware):
    """Indonesian first: the language is the one the user chose (cookie set by the language
    switch, or a /en/ URL prefix if ever used), never the browser's Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class RequestIdMiddleware:
    """Gives every request an id, echoed in X-Request-Id and written into audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        rid = rid[:64]
        request.request_id = rid  # type: ignore[attr-defined]
        token = audit.current_request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            audit.current_request_id.reset(token)
        response["X-Request-Id"] = rid
        return response
