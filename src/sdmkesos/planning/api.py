"""API endpoints of the planning app, mounted under /api/v1/planning/.

Reads go through ``restrict(user, "view")``; writes through ``planning.actions`` (channel
``api``). Worker (self-service) accounts see nothing here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sdmkesos.core.api import ERRORS, ErrorOut, api_user
from sdmkesos.core.choices import Channel, Role
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import Organisation, Region, WorkforceCategory
from sdmkesos.core.scoping import VIEW
from sdmkesos.people.forms import scoped_organisations
from sdmkesos.people.models import Person
from sdmkesos.training.models import Programme, ScholarshipScheme

from . import actions, queries
from .models import EntrantSource, Scenario, StaffingNorm, WisnInputSet

router = Router(tags=["planning"])
API = Channel.API
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}


def _user(request: HttpRequest) -> Any:
    user = api_user(request)
    if user.role == Role.WORKER and not user.is_superuser:
        raise DomainError("forbidden")
    return user


class WisnIn(Schema):
    organisation: str | int
    category: str
    year: int
    data: dict[str, Any]
    staff_from_registry: bool = False


class WisnOut(Schema):
    id: int
    organisation: dict[str, Any]
    category: str
    year: int
    region_code: str | None
    staff_from_registry: bool
    data: dict[str, Any]
    result: dict[str, Any] | None


class NormIn(Schema):
    region: str | None = None
    organisation: str | int | None = None
    category: str
    basis: str = Field(..., pattern="^(population|service_unit)$")
    unit_label: str = ""
    units: Decimal
    staff: Decimal = Decimal(1)
    per: Decimal
    year: int
    source: str = ""


class NormOut(Schema):
    id: int
    region_code: str | None
    organisation_id: int | None
    category: str
    basis: str
    unit_label: str
    units: Decimal
    staff: Decimal
    per: Decimal
    year: int
    need: float


class ScenarioIn(Schema):
    name: str
    region: str
    category: str
    start_year: int
    years: int = 5
    attrition_rate: Decimal = Decimal(0)
    entrants_per_year: Decimal = Decimal(0)
    entrants_from_records: bool = True
    need_override: Decimal | None = None
    need_growth_rate: Decimal = Decimal(0)
    note: str = ""


class YearOut(Schema):
    year: int
    start: float
    retirements: float
    attrition: float
    entrants: float
    end: float
    need: float
    gap: float
    graduates: float
    trainees: float
    scenario_entrants: float


class EntrantOut(Schema):
    person_id: int
    name: str
    region_code: str | None
    year: int
    source: str
    label: str
    expected: bool


class ProjectionOut(Schema):
    scenario_id: int
    name: str
    region_code: str | None
    category: str
    current: int
    need: float
    need_source: str
    entrants_per_year: float
    entrants_from_records: bool
    years: list[YearOut]
    entrants: list[EntrantOut]


class EntrantSourceIn(Schema):
    category: str
    scheme_id: int | None = None
    programme: str | None = None  # programme code
    note: str = ""


class EntrantSourceOut(Schema):
    id: int
    category: str
    source: str
    scheme_id: int | None
    scheme: str | None
    programme: str | None
    note: str


class PlacementQuery(Schema):
    fields_of_study: list[str] = []
    min_level: str | None = None
    category: str | None = None
    region: str | None = None
    standard: str | None = None
    schemes: list[str] = []
    limit: int = Field(50, ge=1, le=200)


class CandidateOut(Schema):
    person_id: int
    name: str
    organisation: str | None
    score: int
    parts: dict[str, int]
    maximum: dict[str, int]
    details: dict[str, Any]


class HeadIn(Schema):
    organisation: str | int
    person_id: int
    since: dt.date | None = None


class HeadOut(Schema):
    organisation_id: int
    organisation: str
    head_id: int | None
    head: str | None
    recorded: bool
    status: str


def _org(user: Any, value: str | int | None, field: str = "organisation") -> Organisation:
    qs = scoped_organisations(user)
    org = (qs.filter(pk=int(str(value))).first() if str(value).isdigit()
           else qs.filter(code=str(value)).first())
    if org is None:
        raise ValidationFailed([DomainError("unknown_code", field=field, value=value,
                                            name=field)])
    return org


def _category(code: str) -> WorkforceCategory:
    cat = WorkforceCategory.objects.filter(code=code).first()
    if cat is None:
        raise ValidationFailed([DomainError("unknown_code", field="category", value=code,
                                            name="category")])
    return cat


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ValidationFailed([DomainError("unknown_region", field="region", value=code)])
    return region


def wisn_out(row: WisnInputSet) -> dict[str, Any]:
    result = queries.wisn_result(row)
    return {"id": row.pk, "organisation": {"id": row.organisation_id,
                                           "code": row.organisation.code,
                                           "name": row.organisation.name},
            "category": row.category.code, "year": row.year, "region_code": row.region_id,
            "staff_from_registry": row.staff_from_registry, "data": row.data,
            "result": result.to_json() if result else None}


@router.get("/wisn", response={200: list[WisnOut], **ERRORS})
def list_wisn(request: HttpRequest, year: int | None = None) -> Any:
    """Saved WISN inputs in scope with their results (same calculation as ``sdmkesos wisn``)."""
    user = _user(request)
    qs = WisnInputSet.objects.restrict(user, VIEW).select_related("organisation", "category")
    if year:
        qs = qs.filter(year=year)
    return [wisn_out(r) for r in qs[:500]]


@router.post("/wisn", response={201: WisnOut, **WRITE_ERRORS})
def save_wisn(request: HttpRequest, payload: WisnIn) -> Any:
    """Create or replace the WISN input of (organisation, category, year). ``data`` is the JSON
    document of docs/wisn.md; errors name the field path (``service_activities[0]...``)."""
    user = _user(request)
    row = actions.do_save_wisn(actor=user, channel=API, organisation=_org(user,
                                                                          payload.organisation),
                               category=_category(payload.category), year=payload.year,
                               data=payload.data,
                               staff_from_registry=payload.staff_from_registry)
    return Status(201, wisn_out(row))


@router.get("/wisn/{int:wisn_id}", response={200: WisnOut, **ERRORS})
def get_wisn(request: HttpRequest, wisn_id: int) -> Any:
    user = _user(request)
    row = WisnInputSet.objects.restrict(user, VIEW).filter(pk=wisn_id).first()
    if row is None:
        raise DomainError("not_found")
    return wisn_out(row)


def norm_out(n: StaffingNorm) -> dict[str, Any]:
    return {"id": n.pk, "region_code": n.region_id, "organisation_id": n.organisation_id,
            "category": n.category.code, "basis": n.basis, "unit_label": n.unit_label,
            "units": n.units, "staff": n.staff, "per": n.per, "year": n.year,
            "need": round(queries.norm_need(n), 4)}


@router.get("/norms", response={200: list[NormOut], **ERRORS})
def list_norms(request: HttpRequest) -> Any:
    user = _user(request)
    return [norm_out(n) for n in StaffingNorm.objects.restrict(user, VIEW)
            .select_related("category")[:500]]


@router.post("/norms", response={201: NormOut, **WRITE_ERRORS})
def add_norm(request: HttpRequest, payload: NormIn) -> Any:
    """A norm-based need: ``staff`` per ``per`` people or service units; need = units/per x
    staff."""
    user = _user(request)
    data = payload.model_dump()
    data["organisation"] = (_org(user, data["organisation"])
                            if data.get("organisation") not in (None, "") else None)
    data["region"] = _region(data.get("region"))
    data["category"] = _category(data["category"])
    return Status(201, norm_out(actions.do_save_norm(actor=user, channel=API, data=data)))


def projection_out(p: queries.Projection) -> dict[str, Any]:
    return {"scenario_id": p.scenario.pk, "name": p.scenario.name,
            "region_code": p.scenario.region_id, "category": p.scenario.category.code,
            "current": p.current, "need": round(p.need, 4), "need_source": p.need_source,
            "entrants_per_year": float(p.scenario.entrants_per_year),
            "entrants_from_records": p.scenario.entrants_from_records,
            "years": [{k: (round(v, 4) if isinstance(v, float) else v)
                       for k, v in r.__dict__.items()} for r in p.rows],
            "entrants": [e.__dict__ for e in p.entrants[:queries.MAX_ENTRANTS_LISTED]]}


@router.get("/scenarios", response={200: list[ProjectionOut], **ERRORS})
def list_scenarios(request: HttpRequest) -> Any:
    """Every scenario in scope with its projection (for side-by-side comparison)."""
    user = _user(request)
    return [projection_out(queries.scenario_projection(user, s))
            for s in Scenario.objects.restrict(user, VIEW).select_related("category")[:50]]


@router.post("/scenarios", response={201: ProjectionOut, **WRITE_ERRORS})
def add_scenario(request: HttpRequest, payload: ScenarioIn) -> Any:
    user = _user(request)
    data = payload.model_dump()
    data["region"] = _region(data["region"])
    data["category"] = _category(data["category"])
    scenario = actions.do_save_scenario(actor=user, channel=API, data=data)
    return Status(201, projection_out(queries.scenario_projection(user, scenario)))


@router.get("/scenarios/{int:scenario_id}", response={200: ProjectionOut, **ERRORS})
def get_scenario(request: HttpRequest, scenario_id: int) -> Any:
    user = _user(request)
    scenario = Scenario.objects.restrict(user, VIEW).filter(pk=scenario_id).first()
    if scenario is None:
        raise DomainError("not_found")
    return projection_out(queries.scenario_projection(user, scenario))


@router.get("/placement", response={200: list[CandidateOut], **ERRORS})
def placement(request: HttpRequest, q: Query[PlacementQuery]) -> Any:
    """Candidates in scope ranked for a vacancy: fields of study, minimum education, category,
    region, competencies against the job standard (``standard`` or the category's) and valid
    certificates of the schemes (``schemes`` or the category's) plus STR / SIPPS."""
    user = _user(request)
    vacancy = queries.vacancy_from(q.fields_of_study, q.min_level, q.category, q.region,
                                   standard=q.standard, schemes=q.schemes or None)
    return [{"person_id": p.pk, "name": p.name,
             "organisation": p.organisation.name if p.organisation else None,
             "score": s.total, "parts": s.parts, "maximum": s.maximum, "details": s.details}
            for p, s in queries.placement_candidates(user, vacancy, region=q.region,
                                                     limit=q.limit)]


@router.get("/heads", response={200: list[HeadOut], **ERRORS})
def list_heads(request: HttpRequest, flagged: bool = False, region: str | None = None) -> Any:
    """Organisations with a known head; ``status`` is ``not_kesos`` for a head without a
    peksos/kesos education background."""
    user = _user(request)
    return [{"organisation_id": r.organisation.pk, "organisation": r.organisation.name,
             "head_id": r.head.pk if r.head else None, "head": r.head.name if r.head else None,
             "recorded": r.recorded, "status": r.status}
            for r in queries.head_rows(user, region=region, only_flagged=flagged)]


@router.post("/heads", response={201: HeadOut, **ERRORS})
def set_head(request: HttpRequest, payload: HeadIn) -> Any:
    user = _user(request)
    person = Person.objects.restrict(user, VIEW).filter(pk=payload.person_id).first()
    if person is None:
        raise DomainError("not_found", field="person_id")
    org = _org(user, payload.organisation)
    row = actions.do_set_head(actor=user, channel=API, organisation=org, person=person,
                              since=payload.since)
    return Status(201, {"organisation_id": org.pk, "organisation": org.name,
                        "head_id": person.pk, "head": person.name, "recorded": True,
                        "status": "kesos" if row.person.kesos_background else "not_kesos"})


def entrant_source_out(row: EntrantSource) -> dict[str, Any]:
    return {"id": row.pk, "category": row.category.code, "source": row.kind,
            "scheme_id": row.scheme_id, "scheme": row.scheme.name if row.scheme else None,
            "programme": row.programme.code if row.programme else None, "note": row.note}


@router.get("/entrant-sources", response={200: list[EntrantSourceOut], **ERRORS})
def list_entrant_sources(request: HttpRequest) -> Any:
    """Scholarship schemes and training programmes whose graduates enter a category's supply
    projection."""
    _user(request)
    return [entrant_source_out(r) for r in EntrantSource.objects.select_related(
        "category", "scheme", "programme")]


@router.post("/entrant-sources", response={201: EntrantSourceOut, **WRITE_ERRORS})
def add_entrant_source(request: HttpRequest, payload: EntrantSourceIn) -> Any:
    """National administrators: ``scheme_id`` or ``programme`` (code), exactly one."""
    user = _user(request)
    scheme = programme = None
    if payload.scheme_id is not None:
        scheme = ScholarshipScheme.objects.filter(pk=payload.scheme_id).first()
        if scheme is None:
            raise ValidationFailed([DomainError("unknown_code", field="scheme_id",
                                                value=payload.scheme_id, name="scheme_id")])
    if payload.programme:
        programme = Programme.objects.filter(code=payload.programme).first()
        if programme is None:
            raise ValidationFailed([DomainError("unknown_code", field="programme",
                                                value=payload.programme, name="programme")])
    row = actions.do_add_entrant_source(actor=user, channel=API,
                                        category=_category(payload.category), scheme=scheme,
                                        programme=programme, note=payload.note)
    return Status(201, entrant_source_out(row))


@router.delete("/entrant-sources/{int:source_id}", response={204: None, **ERRORS})
def delete_entrant_source(request: HttpRequest, source_id: int) -> Any:
    user = _user(request)
    row = EntrantSource.objects.filter(pk=source_id).first()
    if row is None:
        raise DomainError("not_found")
    actions.do_delete_entrant_source(actor=user, channel=API, source=row)
    return Status(204, None)
