"""Who manages training rows. National administrators manage everything; province and district
operators manage the rows of organisations in their region scope; a BBPPKS account (read-only on
the registry) manages the rows of its own organisation subtree (its programmes, venues, trainers
and batches) — the training centres run the courses."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from sdmkesos.core.choices import Role
from sdmkesos.core.models import Organisation
from sdmkesos.core.scoping import CHANGE, can, scope_for

_M = TypeVar("_M", bound=Model)


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and (
        user.is_superuser or user.role == Role.NATIONAL_ADMIN))


def can_manage(user: Any, organisation: Organisation | None) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return True
    scope = scope_for(user)
    if user.role == Role.BBPPKS and user.is_active:
        return scope.covers_org_path(organisation.path)
    if not can(user, CHANGE):
        return False
    code = organisation.managing_region_code
    return (code is not None and scope.covers_region(code)) or scope.covers_org_path(
        organisation.path)


def may_manage_anything(user: Any) -> bool:
    return is_admin(user) or (getattr(user, "is_authenticated", False) and (
        can(user, CHANGE) or (user.role == Role.BBPPKS and bool(scope_for(user).org_paths))))


def manageable(qs: QuerySet[_M], user: Any, org_field: str = "organisation") -> QuerySet[_M]:
    """The rows of ``qs`` whose ``org_field`` organisation ``user`` manages."""
    if is_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role == Role.BBPPKS:
        paths = scope_for(user).org_paths
        if not paths:
            return qs.none()
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{org_field}__path__startswith": path})
        return qs.filter(q)
    return qs.restrict(user, CHANGE)  # type: ignore[attr-defined]


def manageable_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations ``user`` may run training for (for form choices)."""
    qs = Organisation.objects.all()
    if is_admin(user):
        return qs
    scope = scope_for(user)
    q = Q(pk__in=[])
    for path in scope.org_paths:
        q |= Q(path__startswith=path)
    if user.role != Role.BBPPKS and can(user, CHANGE):
        for code in scope.region_codes:
            q |= (Q(region_id=code) | Q(region__code__startswith=code + ".")) & Q(
                is_national=False)
    elif user.role != Role.BBPPKS:
        return qs.none()
    return qs.filter(q)
