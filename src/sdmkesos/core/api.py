"""API: tokens, the signed-in user, regions, organisations and code lists.

Also the small helpers every app's API uses: the signed-in user, the error and page schemas and
limit/offset paging.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.contrib.auth import authenticate, user_logged_in
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from . import auth as tokens
from .choices import Channel
from .errors import DomainError
from .models import (
    CodeList,
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
    Region,
    User,
    WorkforceCategory,
)
from .scoping import VIEW, allowed_actions, scope_for, sees_full_nik

MAX_LIMIT = 500
DEFAULT_LIMIT = 50

# --------------------------------------------------------------------------------------------
# Shared helpers and schemas
# --------------------------------------------------------------------------------------------


def api_user(request: HttpRequest) -> User:
    """The authenticated user (bearer token or session) of an API request."""
    user = getattr(request, "auth", None) or request.user
    if not getattr(user, "is_authenticated", False):
        raise DomainError("forbidden")
    return user  # type: ignore[return-value]


class ErrorItem(Schema):
    field: str | None = None
    code: str
    message: str
    params: dict[str, str] = {}


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[ErrorItem] = []


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1,
                       description=f"Page size (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}).")
    offset: int = Field(0, ge=0)


_M = TypeVar("_M", bound=Model)


def page(qs: QuerySet[_M], limit: int, offset: int) -> tuple[list[_M], int]:
    """One page of ``qs`` and the total count. ``limit`` is capped at MAX_LIMIT."""
    limit = max(1, min(limit, MAX_LIMIT))
    return list(qs[offset: offset + limit]), qs.count()


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

# --------------------------------------------------------------------------------------------
# Tokens and the signed-in user
# --------------------------------------------------------------------------------------------

auth_router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=4096)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: dt.datetime | None = None


@auth_router.post("/token", auth=None, response={200: TokenOut, 400: ErrorOut, 401: ErrorOut,
                                                 429: ErrorOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    """Exchange a username and password for a bearer token (shown once; only its digest is
    stored). Failures count towards the login lockout (django-axes): a locked account gets 429."""
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # django-axes refused (or has just locked) this username + address; its middleware turns
        # the response into the lockout response too, we only make the intent explicit.
        raise DomainError("login_locked", message=_(
            "Terlalu banyak percobaan masuk yang gagal. Akun dikunci sementara; "
            "coba lagi dalam 15 menit atau hubungi administrator."))
    if user is None:
        raise DomainError("invalid_credentials", message=_("Nama pengguna atau sandi salah."))
    assert isinstance(user, User)
    # A token is a sign-in: resets the failure count (AXES_RESET_ON_SUCCESS), sets last_login.
    user_logged_in.send(sender=type(user), request=request, user=user)
    raw, token = tokens.create_token(user, channel=Channel.API)
    return {"token": raw, "token_type": "Bearer", "expires_at": token.expires_at}


@auth_router.delete("/token", response={204: None, 400: ErrorOut, 401: ErrorOut})
def revoke_token(request: HttpRequest) -> Any:
    """Revoke the bearer token this request carries."""
    user = api_user(request)
    token = getattr(request, "api_token", None)
    if token is None:
        raise DomainError("no_token", message=_("Permintaan ini tidak memakai token."))
    tokens.revoke_token(token, actor=user, channel=Channel.API)
    return Status(204, None)


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    organisation: dict[str, Any] | None
    scope_regions: list[str]
    unrestricted: bool
    actions: list[str]
    sees_full_nik: bool


@auth_router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> Any:
    """The signed-in user, their role, scope and allowed actions."""
    user = api_user(request)
    scope = scope_for(user)
    org = user.organisation
    return {
        "id": user.pk, "username": user.get_username(), "name": user.get_full_name(),
        "role": user.role,
        "organisation": ({"id": org.pk, "code": org.code, "name": org.name} if org else None),
        "scope_regions": list(scope.region_codes), "unrestricted": scope.unrestricted,
        "actions": sorted(allowed_actions(user)), "sees_full_nik": sees_full_nik(user),
    }


# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------

regions_router = Router(tags=["reference"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None


class RegionDetailOut(RegionOut):
    ancestors: list[RegionOut]


class RegionPage(Schema):
    items: list[RegionOut]
    count: int


class RegionQuery(PageQuery):
    parent: str | None = Field(None, description="Only the direct children of this code.")
    level: int | None = Field(None, ge=1, le=4, description="1 province … 4 village.")
    q: str | None = Field(None, max_length=120, description="Part of the name, or a code.")


def region_out(region: Region) -> dict[str, Any]:
    return {"code": region.code, "name": region.name, "level": region.level,
            "parent_code": region.parent_id}


@regions_router.get("", response={200: RegionPage, **ERRORS})
def list_regions(request: HttpRequest, filters: Query[RegionQuery]) -> Any:
    """Regions (Kepmendagri codes), filtered by parent, level and name."""
    qs = Region.objects.restrict(api_user(request), VIEW)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(code__startswith=text))
    items, count = page(qs.order_by("code"), filters.limit, filters.offset)
    return {"items": [region_out(r) for r in items], "count": count}


@regions_router.get("/{code}", response={200: RegionDetailOut, **ERRORS})
def get_region(request: HttpRequest, code: str) -> Any:
    regions = Region.objects.restrict(api_user(request), VIEW)
    region = regions.filter(code=code).first()
    if region is None:
        raise DomainError("not_found")
    ancestors = regions.filter(code__in=region.ancestors_codes()).order_by("code")
    return {**region_out(region), "ancestors": [region_out(r) for r in ancestors]}


# --------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------

orgs_router = Router(tags=["reference"])


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    type: str
    region_code: str | None
    parent_id: int | None
    is_national: bool


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    count: int


class OrganisationQuery(PageQuery):
    type: str | None = Field(None, max_length=30, description="Organisation type code.")
    region: str | None = Field(None, max_length=13,
                               description="Region code; includes its sub-regions.")
    parent: str | None = Field(None, max_length=60,
                               description="Parent id or code (direct children).")
    q: str | None = Field(None, max_length=200, description="Part of the name or code.")


def organisation_out(org: Organisation) -> dict[str, Any]:
    return {"id": org.pk, "code": org.code, "name": org.name, "type": org.type,
            "region_code": org.region_id, "parent_id": org.parent_id,
            "is_national": org.is_national}


def find_organisation(qs: QuerySet[Organisation], key: str | int) -> Organisation | None:
    """By id (digits) or by code."""
    text = str(key).strip()
    if text.isdigit():
        return qs.filter(pk=int(text)).first()
    return qs.filter(code=text).first()


@orgs_router.get("", response={200: OrganisationPage, **ERRORS})
def list_organisations(request: HttpRequest, filters: Query[OrganisationQuery]) -> Any:
    """Offices and institutions: Kemensos units, Poltekesos, BBPPKS, Dinas Sosial, UPT, ..."""
    user = api_user(request)
    qs = Organisation.objects.restrict(user, VIEW)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.region:
        code = filters.region.strip()
        qs = qs.filter(Q(region_id=code) | Q(region__code__startswith=code + "."))
    if filters.parent:
        parent = find_organisation(Organisation.objects.restrict(user, VIEW), filters.parent)
        qs = qs.filter(parent=parent) if parent is not None else qs.none()
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    items, count = page(qs.order_by("name", "id"), filters.limit, filters.offset)
    return {"items": [organisation_out(o) for o in items], "count": count}


@orgs_router.get("/{key}", response={200: OrganisationOut, **ERRORS})
def get_organisation(request: HttpRequest, key: str) -> Any:
    """One organisation, by id or by code."""
    org = find_organisation(Organisation.objects.restrict(api_user(request), VIEW), key)
    if org is None:
        raise DomainError("not_found")
    return organisation_out(org)


# --------------------------------------------------------------------------------------------
# Code lists
# --------------------------------------------------------------------------------------------

codelists_router = Router(tags=["reference"])

CODE_LISTS: dict[str, type[CodeList]] = {
    "categories": WorkforceCategory,
    "employment-statuses": EmploymentStatus,
    "education-levels": EducationLevel,
    "fields-of-study": FieldOfStudy,
}
_EXTRA = {"categories": "group", "employment-statuses": "is_asn", "education-levels": "rank",
          "fields-of-study": "is_kesos"}


class CodeOut(Schema):
    code: str
    name: str
    name_en: str
    sort_order: int
    is_active: bool
    group: str | None = None
    is_asn: bool | None = None
    rank: int | None = None
    is_kesos: bool | None = None


class CodeListOut(Schema):
    name: str
    items: list[CodeOut]
    count: int


@codelists_router.get("/{name}", response={200: CodeListOut, **ERRORS})
def get_code_list(request: HttpRequest, name: str) -> Any:
    """A code list: ``categories``, ``employment-statuses``, ``education-levels`` or
    ``fields-of-study``. Inactive codes are listed with ``is_active: false``."""
    api_user(request)
    model = CODE_LISTS.get(name)
    if model is None:
        raise DomainError("not_found")
    # Code lists are public reference data for every signed-in user (no scope to apply).
    extra = _EXTRA[name]
    items = [
        {"code": row.code, "name": row.name, "name_en": row.name_en,
         "sort_order": row.sort_order, "is_active": row.is_active, extra: getattr(row, extra)}
        for row in model._default_manager.all()
    ]
    return {"name": name, "items": items, "count": len(items)}
