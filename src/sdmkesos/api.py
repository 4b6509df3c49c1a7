"""The API root: Django Ninja under /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /docs).

Routers live in each app's ``api.py`` and are registered here. Every endpoint requires
authentication (a bearer token from ``POST /auth/token`` or the web session, which must carry the
CSRF token on unsafe methods) unless it says ``auth=None``.

Errors have one shape everywhere::

    {"code": "nik_taken", "message": "...", "errors": [{"field": "nik", "code": "...",
                                                         "message": "...", "params": {...}}]}

``DomainError`` → 400, except the codes in ``STATUS_BY_CODE`` (scope and permission → 403,
not found → 404, conflicts → 409).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from sdmkesos.careers.api import router as careers_router
from sdmkesos.certification.api import router as certification_router
from sdmkesos.competency.api import router as competency_router
from sdmkesos.core.api import auth_router, codelists_router, orgs_router, regions_router
from sdmkesos.core.auth import find_token
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.dedup.api import router as dedup_router
from sdmkesos.imports.api import router as imports_router
from sdmkesos.partnerships.api import router as partnerships_router
from sdmkesos.people.api import router as people_router
from sdmkesos.planning.api import router as planning_router
from sdmkesos.training.api import router as training_router

STATUS_BY_CODE: dict[str, int] = {
    "not_authenticated": 401,
    "invalid_credentials": 401,
    "forbidden": 403,
    "out_of_scope": 403,
    "move_out_of_scope": 403,
    "csrf_failed": 403,
    "not_found": 404,
    "nik_taken": 409,
    "nip_taken": 409,
    "nik_taken_elsewhere": 409,
    "nip_taken_elsewhere": 409,
    "conflict": 409,
    "login_locked": 429,
}
CONFLICT_CODES = frozenset({"nik_taken", "nip_taken", "nik_taken_elsewhere",
                            "nip_taken_elsewhere"})


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``; see sdmkesos.core.auth."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_token(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionCsrfAuth(SessionAuth):
    """The web session. CSRF is enforced on unsafe methods, but only once the session is known
    to be signed in: an anonymous request is a 401, not a CSRF failure."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api = NinjaAPI(
    title="SDM Kesos API",
    version="1",
    description="Registry of the social welfare workforce (SDM Kesejahteraan Sosial).",
    urls_namespace="api",
    auth=[BearerAuth(), SessionCsrfAuth()],
)


def error_body(code: str, message: str, errors: list[dict[str, Any]] | None = None,
               ) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or []}


def _item(error: DomainError) -> dict[str, Any]:
    return {"field": error.field, "code": error.code, "message": error.message,
            "params": {k: str(v) for k, v in error.params.items()}}


@api.exception_handler(DomainError)
def domain_error_response(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, ValidationFailed):
        errors = exc.errors
        conflicts = [e for e in errors if e.code in CONFLICT_CODES]
        primary = conflicts[0] if conflicts else (errors[0] if len(errors) == 1 else None)
        code = primary.code if primary is not None else exc.code
        message = primary.message if primary is not None and len(errors) == 1 else exc.message
        status = 409 if conflicts else 400
        body = error_body(code, message, [_item(e) for e in errors])
    else:
        status = STATUS_BY_CODE.get(exc.code, 400)
        body = error_body(exc.code, exc.message, [_item(exc)] if exc.field else [])
    return api.create_response(request, body, status=status)


_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


def _field_of(loc: Any) -> str | None:
    parts = [str(p) for p in (loc or [])]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
        # Body schemas are nested under the view's parameter name (e.g. "payload").
        if len(parts) > 1 and parts[0] in {"payload", "filters"}:
            parts = parts[1:]
    return ".".join(parts) or None


def _input_code(kind: str) -> str:
    if kind == "missing":
        return "required"
    if kind.startswith(("date", "datetime")):
        return "invalid_date"
    if kind == "json_invalid":
        return "invalid_json"
    return "invalid_value"


@api.exception_handler(ValidationError)
def validation_error_response(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = [
        {"field": _field_of(e.get("loc")), "code": _input_code(str(e.get("type", ""))),
         "message": str(e.get("msg", "")), "params": {}}
        for e in exc.errors]
    message = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"]
                        for e in errors)
    return api.create_response(request, error_body("validation_failed", message, errors),
                               status=400)


@api.exception_handler(AuthenticationError)
def authentication_error_response(request: HttpRequest, exc: AuthenticationError,
                                  ) -> HttpResponse:
    body = error_body("not_authenticated",
                      _("Perlu masuk: kirim 'Authorization: Bearer <token>' atau sesi web."))
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error_response(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if status == 403 and "csrf" in str(exc).lower():
        code = "csrf_failed"
    else:
        code = {400: "bad_request", 401: "not_authenticated", 403: "forbidden",
                404: "not_found", 405: "method_not_allowed", 429: "throttled"}.get(
                    status, "error")
    return api.create_response(request, error_body(code, str(exc)), status=status)


@api.exception_handler(Http404)
def not_found_response(request: HttpRequest, exc: Http404) -> HttpResponse:
    return domain_error_response(request, DomainError("not_found"))


@api.exception_handler(IntegrityError)
def integrity_error_response(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A unique constraint lost a race with a concurrent write (the actions check first).
    return api.create_response(
        request, error_body("conflict", _("Data bentrok dengan perubahan lain; coba lagi.")),
        status=409)


api.add_router("/auth", auth_router)
api.add_router("/regions", regions_router)
api.add_router("/organisations", orgs_router)
api.add_router("/codelists", codelists_router)
api.add_router("/persons", people_router)
api.add_router("/imports", imports_router)
api.add_router("/dedup", dedup_router)
api.add_router("/competency", competency_router)
api.add_router("/training", training_router)
api.add_router("/certification", certification_router)
api.add_router("/careers", careers_router)
api.add_router("/planning", planning_router)
api.add_router("/partnerships", partnerships_router)
