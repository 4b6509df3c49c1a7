"""Writes to core data (code lists, users). Atomic, permission-checked, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from . import audit
from .choices import Role
from .errors import DomainError, ValidationFailed
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

CODE_LISTS: dict[str, type[CodeList]] = {
    "categories": WorkforceCategory,
    "employment-statuses": EmploymentStatus,
    "education-levels": EducationLevel,
    "fields-of-study": FieldOfStudy,
}
CODE_LIST_EXTRA = {
    "categories": ["group"],
    "employment-statuses": ["is_asn"],
    "education-levels": ["rank"],
    "fields-of-study": ["is_kesos"],
}
BASE_FIELDS = ["code", "name", "name_en", "sort_order", "is_active"]


def _require_national(actor: Any) -> None:
    if not (actor is not None and (actor.is_superuser or actor.role == Role.NATIONAL_ADMIN)):
        raise DomainError("forbidden")


def do_save_code_list_entry(*, actor: Any, channel: str, list_name: str,
                            data: dict[str, Any]) -> CodeList:
    """Create or update (by ``code``) an entry of a code list. National administrators only."""
    _require_national(actor)
    model = CODE_LISTS.get(list_name)
    if model is None:
        raise DomainError("unknown_code", field="list", value=list_name, name="list")
    fields = BASE_FIELDS + CODE_LIST_EXTRA[list_name]
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    code = str(data.get("code", "")).strip()
    if not code or (not str(data.get("name", "")).strip() and not model.objects.filter(
            code=code).exists()):
        raise ValidationFailed([DomainError("required", field="code" if not code else "name")])
    with transaction.atomic():
        entry = model.objects.select_for_update().filter(code=code).first()
        before = audit.snapshot(entry, fields) if entry else {}
        if entry is None:
            entry = model(**data)
        else:
            for key, value in data.items():
                setattr(entry, key, value)
        entry.save()
        changes = audit.diff(before, audit.snapshot(entry, fields))
        if changes:
            audit.record(actor=actor, channel=channel, action="update" if before else "create",
                         obj=entry, changes=changes)
    return entry


def do_create_user(*, actor: Any, channel: str, username: str, password: str, role: str,
                   regions: list[str] | None = None, organisation: str | None = None,
                   scope_organisation: str | None = None, email: str = "") -> User:
    """Create an account with its role and scope. National administrators (or the CLI's
    system actor, ``actor=None`` with channel ``cli``) only."""
    if actor is not None or channel != "cli":
        _require_national(actor)
    errors = []
    if role not in Role.values:
        errors.append(DomainError("unknown_code", field="role", value=role, name="role"))
    codes = regions or []
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    errors += [DomainError("unknown_region", field="regions", value=c) for c in codes
               if c not in known]
    orgs: dict[str, Organisation] = {}
    for key, code in (("organisation", organisation), ("scope_organisation", scope_organisation)):
        if code:
            org = Organisation.objects.filter(code=code).first()
            if org is None:
                errors.append(DomainError("unknown_code", field=key, value=code, name=key))
            else:
                orgs[key] = org
    if User.objects.filter(username=username).exists():
        errors.append(DomainError("username_taken", field="username", username=username))
    if role in (Role.PROVINCE_OPERATOR, Role.DISTRICT_OPERATOR, Role.VIEWER, Role.BBPPKS) and (
            not codes and "scope_organisation" not in orgs):
        errors.append(DomainError("scope_required", field="regions"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, email=email,
                                        role=role, organisation=orgs.get("organisation"),
                                        scope_organisation=orgs.get("scope_organisation"))
        if codes:
            user.scope_regions.set(Region.objects.filter(code__in=codes))
        audit.record(actor=actor or "cli", channel=channel, action="create", obj=user,
                     changes={"role": [None, role], "regions": [None, codes],
                              "organisation": [None, organisation],
                              "scope_organisation": [None, scope_organisation]})
    return user
