"""API: the registry of people, their education and employment, and their change history.

Reads go through ``restrict(user, "view")``; writes through ``people.actions`` with channel
``api``. A person outside the caller's scope is a 404 (its existence is not revealed).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from sdmkesos.core import audit
from sdmkesos.core.api import ERRORS, ErrorOut, PageQuery, api_user, find_organisation, page
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import (
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
    Region,
    User,
    WorkforceCategory,
)
from sdmkesos.core.scoping import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    can,
    mask_nik,
    region_q,
    sees_full_nik,
)

from . import actions
from .filters import PersonFilter
from .models import EducationRecord, EmploymentRecord, Person
from .schemas import (
    EducationIn,
    EducationList,
    EducationOut,
    EmploymentIn,
    EmploymentList,
    EmploymentOut,
    HistoryPage,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
    PersonQuery,
)
from .tables import with_created_values

router = Router(tags=["people"])
CHANNEL = Channel.API
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}


def _code(obj: Any) -> str | None:
    return obj.code if obj is not None else None


def _org_ref(org: Organisation | None) -> dict[str, Any] | None:
    return {"id": org.pk, "code": org.code, "name": org.name} if org is not None else None


def person_out(person: Person, full_nik: bool) -> dict[str, Any]:
    return {
        "id": person.pk,
        "nik": person.nik if full_nik else mask_nik(person.nik),
        "nip": person.nip,
        "name": person.name,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": person.birth_date,
        "region_code": person.region_id,
        "organisation": _org_ref(person.organisation),
        "category": _code(person.category),
        "employment_status": _code(person.employment_status),
        "position": person.position,
        "education_level": _code(person.education_level),
        "field_of_study": _code(person.field_of_study),
        "kesos_background": person.kesos_background,
        "phone": person.phone,
        "email": person.email,
        "address": person.address,
        "domicile_region_code": person.domicile_region_id,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }


def region_filter(code: str) -> Q:
    """People managed in region ``code`` or below it (dotted boundary: 35.07 ≠ 35.071)."""
    return region_q(Person.scope, (code,))


def _people(user: User, action: str = VIEW) -> QuerySet[Person]:
    return Person.objects.restrict(user, action).select_related(
        "organisation", "category", "employment_status", "education_level", "field_of_study")


def _visible_person(user: User, person_id: int) -> Person:
    """The person if ``user`` may view it; otherwise not_found (never out_of_scope)."""
    person = _people(user).filter(pk=person_id).first()
    if person is None:
        raise DomainError("not_found")
    return person


def _require(user: User, action: str) -> None:
    if not can(user, action):
        raise DomainError("forbidden")


# --- input: codes to objects ----------------------------------------------------------------


class _Resolver:
    """Turns codes in the input into model instances, collecting every unknown code."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.errors: list[DomainError] = []

    def _unknown(self, field: str, value: str, template: str = "unknown_code") -> None:
        self.errors.append(DomainError(template, field=field, value=value, name=field))

    def code(self, model: type[Model], field: str, value: str | None) -> Any:
        if value in (None, ""):
            return None
        obj = model._default_manager.filter(code=str(value).strip()).first()
        if obj is None:
            self._unknown(field, str(value))
        return obj

    def region(self, field: str, value: str | None) -> Region | None:
        if value in (None, ""):
            return None
        region = Region.objects.restrict(self.user, VIEW).filter(code=str(value).strip()).first()
        if region is None:
            self._unknown(field, str(value), "unknown_region")
        return region

    def organisation(self, field: str, value: str | int | None) -> Organisation | None:
        if value is None or value == "":
            return None
        org = find_organisation(Organisation.objects.restrict(self.user, VIEW), value)
        if org is None:
            self._unknown(field, str(value))
        return org

    def email(self, field: str, value: str | None) -> str:
        if not value:
            return ""
        try:
            validate_email(value)
        except DjangoValidationError:
            self.errors.append(DomainError("invalid_email", field=field,
                                           message=_("Alamat surel tidak valid: {value}.")
                                           .format(value=value), value=value))
        return value

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


_TEXT_FIELDS = {"name", "sex", "birth_place", "phone", "address", "position", "nik"}


def _person_data(user: User, raw: dict[str, Any]) -> dict[str, Any]:
    """Input (codes) to the keyword data ``do_create_person``/``do_update_person`` take."""
    resolve = _Resolver(user)
    data: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "organisation":
            data[key] = resolve.organisation(key, value)
        elif key in ("region", "domicile_region"):
            data[key] = resolve.region(key, value)
        elif key == "category":
            data[key] = resolve.code(WorkforceCategory, key, value)
        elif key == "employment_status":
            data[key] = resolve.code(EmploymentStatus, key, value)
        elif key == "email":
            data[key] = resolve.email(key, value)
        elif key == "nip":
            data[key] = (str(value).strip() or None) if value is not None else None
        elif key in _TEXT_FIELDS:
            data[key] = (value or "").strip() if key != "sex" else (value or "").strip().upper()
        else:
            data[key] = value
    resolve.raise_if_any()
    return data


# --- people ---------------------------------------------------------------------------------


@router.get("", response={200: PersonPage, **ERRORS})
def list_persons(request: HttpRequest, filters: Query[PersonQuery]) -> Any:
    """People in the caller's scope, filtered. Ordered by name."""
    user = api_user(request)
    params = filters.model_dump(exclude={"limit", "offset", "region"}, exclude_none=True)
    qs = PersonFilter.from_mapping(params).apply(_people(user))
    if filters.region:
        qs = qs.filter(region_filter(filters.region.strip()))
    items, count = page(qs, filters.limit, filters.offset)
    full = sees_full_nik(user)
    return {"items": [person_out(p, full) for p in items], "count": count}


@router.post("", response={201: PersonOut, **WRITE_ERRORS})
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    """Register a person. NIK/NIP are validated; a NIK already registered is a 409 naming the
    holder. The managing region follows the organisation."""
    user = api_user(request)
    _require(user, ADD)
    data = _person_data(user, payload.model_dump())
    person = actions.do_create_person(actor=user, channel=CHANNEL, data=data)
    return Status(201, person_out(_people(user).get(pk=person.pk), sees_full_nik(user)))


@router.get("/{int:person_id}", response={200: PersonOut, **ERRORS})
def get_person(request: HttpRequest, person_id: int) -> Any:
    user = api_user(request)
    return person_out(_visible_person(user, person_id), sees_full_nik(user))


@router.patch("/{int:person_id}", response={200: PersonOut, **WRITE_ERRORS})
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Any:
    """Change the fields sent. Moving a person out of the caller's scope is refused (403)."""
    user = api_user(request)
    person = _visible_person(user, person_id)
    _require(user, CHANGE)
    data = _person_data(user, payload.model_dump(exclude_unset=True))
    actions.do_update_person(actor=user, channel=CHANNEL, person=person, data=data)
    return person_out(_people(user).get(pk=person.pk), sees_full_nik(user))


@router.delete("/{int:person_id}", response={204: None, **ERRORS})
def delete_person(request: HttpRequest, person_id: int) -> Any:
    user = api_user(request)
    person = _visible_person(user, person_id)
    _require(user, DELETE)
    actions.do_delete_person(actor=user, channel=CHANNEL, person=person)
    return Status(204, None)


def _mask_changes(changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(changes)
    value = out.get("nik")
    if isinstance(value, list):
        out["nik"] = [mask_nik(v) if isinstance(v, str) else v for v in value]
    return out


@router.get("/{int:person_id}/history", response={200: HistoryPage, **ERRORS})
def person_history(request: HttpRequest, person_id: int, paging: Query[PageQuery]) -> Any:
    """The person's audit events, newest first."""
    user = api_user(request)
    person = _visible_person(user, person_id)
    events, count = page(audit.history(person), paging.limit, paging.offset)
    events = with_created_values(events)
    full = sees_full_nik(user)
    return {"items": [{"id": e.pk, "at": e.at, "actor": e.actor_label, "channel": e.channel,
                       "action": e.action,
                       "changes": e.changes if full else _mask_changes(e.changes),
                       "note": e.note, "request_id": e.request_id} for e in events],
            "count": count}


# --- education ------------------------------------------------------------------------------


def education_out(record: EducationRecord) -> dict[str, Any]:
    return {"id": record.pk, "level": record.level.code, "field_of_study": _code(record.field),
            "field_text": record.field_text, "institution": record.institution,
            "graduation_year": record.graduation_year}


@router.get("/{int:person_id}/education", response={200: EducationList, **ERRORS})
def list_education(request: HttpRequest, person_id: int) -> Any:
    user = api_user(request)
    person = _visible_person(user, person_id)
    records = list(EducationRecord.objects.restrict(user, VIEW).filter(person=person)
                   .select_related("level", "field"))
    return {"items": [education_out(r) for r in records], "count": len(records)}


@router.post("/{int:person_id}/education", response={201: EducationOut, **WRITE_ERRORS})
def add_education(request: HttpRequest, person_id: int, payload: EducationIn) -> Any:
    """Add a degree; the person's highest education and kesos background follow."""
    user = api_user(request)
    person = _visible_person(user, person_id)
    _require(user, CHANGE)
    resolve = _Resolver(user)
    data = {"level": resolve.code(EducationLevel, "level", payload.level),
            "field": resolve.code(FieldOfStudy, "field_of_study", payload.field_of_study),
            "field_text": payload.field_text.strip(), "institution": payload.institution.strip(),
            "graduation_year": payload.graduation_year}
    resolve.raise_if_any()
    record = actions.do_add_education(actor=user, channel=CHANNEL, person=person, data=data)
    return Status(201, education_out(record))


# --- employment -----------------------------------------------------------------------------


def employment_out(record: EmploymentRecord) -> dict[str, Any]:
    return {"id": record.pk, "organisation": _org_ref(record.organisation),
            "position": record.position, "category": _code(record.category),
            "employment_status": _code(record.employment_status),
            "start_date": record.start_date, "end_date": record.end_date,
            "is_current": record.is_current}


@router.get("/{int:person_id}/employment", response={200: EmploymentList, **ERRORS})
def list_employment(request: HttpRequest, person_id: int) -> Any:
    user = api_user(request)
    person = _visible_person(user, person_id)
    records = list(EmploymentRecord.objects.restrict(user, VIEW).filter(person=person)
                   .select_related("organisation", "category", "employment_status"))
    return {"items": [employment_out(r) for r in records], "count": len(records)}


@router.post("/{int:person_id}/employment", response={201: EmploymentOut, **WRITE_ERRORS})
def add_employment(request: HttpRequest, person_id: int, payload: EmploymentIn) -> Any:
    """Record an assignment. A new current one ends the previous current one (unless
    ``close_current`` is false); the person's organisation and position follow."""
    user = api_user(request)
    person = _visible_person(user, person_id)
    _require(user, CHANGE)
    resolve = _Resolver(user)
    data = {"organisation": resolve.organisation("organisation", payload.organisation),
            "position": payload.position.strip(),
            "category": resolve.code(WorkforceCategory, "category", payload.category),
            "employment_status": resolve.code(EmploymentStatus, "employment_status",
                                              payload.employment_status),
            "start_date": payload.start_date, "end_date": payload.end_date}
    resolve.raise_if_any()
    record = actions.do_add_employment(actor=user, channel=CHANNEL, person=person, data=data,
                                       close_current=payload.close_current)
    return Status(201, employment_out(record))
