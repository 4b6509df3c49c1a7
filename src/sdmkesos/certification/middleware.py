"""A fast path for the public page behind the QR code, ``GET /verify/<id>``.

Placed right after SecurityMiddleware and WhiteNoise. When this process already rendered the
page of that credential for that language (``verification.by_public_id``, which re-reads the
credential's status and key from the database on every request and re-verifies when anything
changed), the stored HTML is answered with the headers of the last full response of that page,
without the rest of the middleware stack (sessions, CSRF, authentication, messages, axes: the
page uses none of them). Anything else — another path or method, a host not allowed, an HTTPS
redirect due, a page not cached yet, a client over the rate limit — goes through the whole
stack as usual.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from . import public_views

_PATH = re.compile(r"^/verify/([a-z0-9]{1,16})$")
_SKIPPED_HEADERS = {"content-length", "set-cookie", "date", "x-request-id"}
_headers: dict[str, list[tuple[str, str]]] = {}


def reset() -> None:
    _headers.clear()


class VerifyPageFastPath:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = _PATH.match(request.path_info) if request.method == "GET" else None
        if match is None:
            return self.get_response(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        headers = _headers.get(language)
        if headers is not None and self._plain(request):
            html = public_views.cached_page(request, match.group(1), language)
            if html is not None:
                response = HttpResponse(html)
                for name, value in headers:
                    response[name] = value
                response["X-Request-Id"] = (request.headers.get("X-Request-Id")
                                            or uuid.uuid4().hex)[:64]
                response["Content-Length"] = str(len(response.content))
                return response
        response = self.get_response(request)
        if (response.status_code == 200 and not response.cookies
                and response.get("Content-Type", "").startswith("text/html")):
            _headers[language] = [(k, v) for k, v in response.items()
                                  if k.lower() not in _SKIPPED_HEADERS]
        return response

    @staticmethod
    def _plain(request: HttpRequest) -> bool:
        """Nothing the full stack would answer differently: an allowed host, no redirect."""
        try:
            request.get_host()
        except DisallowedHost:
            return False
        return not (settings.SECURE_SSL_REDIRECT and not request.is_secure())
