"""Region and organisation scoping, in one place.

Every list, detail, search, count, export and report reads through
``Model.objects.restrict(user, action)``. A scoped model names its scope columns in a
``ScopeSpec`` (class attribute ``scope``); the filter built here is one indexed predicate per scope
entry: region scopes use the denormalised province/regency columns, so a scope of ``35.07`` is
``region_kab = '35.07'`` and never the string prefix ``35.07%`` (which would also match ``35.071``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.db.models import Q

from .choices import Role

if TYPE_CHECKING:
    from .models import User

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"

_ALL = frozenset({VIEW, ADD, CHANGE, DELETE})
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.NATIONAL_ADMIN: _ALL,
    Role.PROVINCE_OPERATOR: _ALL,
    Role.DISTRICT_OPERATOR: _ALL,
    Role.BBPPKS: frozenset({VIEW}),
    Role.VIEWER: frozenset({VIEW}),
    Role.WORKER: frozenset({VIEW}),
}
# Roles that see identity numbers (NIK) in full; others see them masked.
FULL_NIK_ROLES = frozenset(
    {Role.NATIONAL_ADMIN, Role.PROVINCE_OPERATOR, Role.DISTRICT_OPERATOR, Role.WORKER}
)


@dataclass(frozen=True)
class Scope:
    """What one user may reach. ``unrestricted`` for national roles and superusers."""

    unrestricted: bool = False
    region_codes: tuple[str, ...] = ()
    org_paths: tuple[str, ...] = ()
    self_user_id: int | None = None

    def covers_region(self, code: str | None) -> bool:
        if self.unrestricted:
            return True
        if not code:
            return False
        return any(code == c or code.startswith(c + ".") for c in self.region_codes)

    def covers_org_path(self, path: str | None) -> bool:
        if self.unrestricted:
            return True
        return bool(path) and any(str(path).startswith(p) for p in self.org_paths)

    @property
    def is_empty(self) -> bool:
        return not (
            self.unrestricted or self.region_codes or self.org_paths or self.self_user_id
        )


@dataclass(frozen=True)
class ScopeSpec:
    """Which columns of a model carry its scope. Any may be None when the model has none."""

    region: str | None = "region"  # FK to Region (its attname holds the code)
    region_prov: str | None = "region_prov"
    region_kab: str | None = "region_kab"
    organisation: str | None = "organisation"
    self_user: str | None = None  # path to the user that owns the row (worker self-service)
    public_view: bool = False  # reference data: every signed-in user may view


def allowed_actions(user: Any) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return _ALL
    return ROLE_ACTIONS.get(user.role, frozenset())


def can(user: Any, action: str) -> bool:
    return action in allowed_actions(user)


def sees_full_nik(user: Any) -> bool:
    return bool(user.is_superuser or user.role in FULL_NIK_ROLES)


def mask_nik(nik: str) -> str:
    """What roles outside FULL_NIK_ROLES see: the region part, the rest hidden."""
    return nik[:6] + "*" * max(0, len(nik) - 6)


def display_nik(user: Any, nik: str) -> str:
    return nik if sees_full_nik(user) else mask_nik(nik)


def scope_for(user: User) -> Scope:
    """The user's scope, computed once per user object."""
    cached: Scope | None = getattr(user, "_sdmkesos_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser or user.role == Role.NATIONAL_ADMIN:
        scope = Scope(unrestricted=True)
    elif user.role == Role.WORKER:
        scope = Scope(self_user_id=user.pk)
    else:
        codes = tuple(sorted(user.scope_regions.values_list("code", flat=True)))
        org = user.scope_organisation
        scope = Scope(region_codes=codes, org_paths=(org.path,) if org is not None else ())
    user._sdmkesos_scope = scope  # type: ignore[attr-defined]
    return scope


def region_q(spec: ScopeSpec, codes: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for code in codes:
        level = code.count(".") + 1
        if level == 1 and spec.region_prov:
            q |= Q(**{spec.region_prov: code})
        elif level == 2 and spec.region_kab:
            q |= Q(**{spec.region_kab: code})
        elif spec.region:
            q |= Q(**{f"{spec.region}_id": code})
            q |= Q(**{f"{spec.region}__code__startswith": code + "."})
    return q


def scope_q(spec: ScopeSpec, scope: Scope) -> Q:
    from .models import Organisation

    q = Q(pk__in=[])
    if scope.region_codes and (spec.region or spec.region_prov):
        q |= region_q(spec, scope.region_codes)
    if scope.org_paths and spec.organisation:
        for path in scope.org_paths:
            q |= Q(
                **{
                    f"{spec.organisation}_id__in": Organisation.objects.filter(
                        path__startswith=path
                    ).values("id")
                }
            )
    if scope.self_user_id is not None and spec.self_user:
        q |= Q(**{spec.self_user: scope.self_user_id})
    return q


_M = TypeVar("_M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[_M], Generic[_M]):
    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet[_M]:
        """Only the rows ``user`` may ``action`` (view/add/change/delete)."""
        if action not in allowed_actions(user):
            return self.none()
        spec: ScopeSpec | None = getattr(self.model, "scope", None)
        if spec is None:
            raise TypeError(f"{self.model.__name__} declares no scope")
        if spec.public_view and action == VIEW:
            return self
        scope = scope_for(user)
        if scope.unrestricted:
            return self
        return self.filter(scope_q(spec, scope))
