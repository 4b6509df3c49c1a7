"""API endpoints of the competency app, mounted under /api/v1/competency/.

The dictionary and standards: every signed-in user reads, administrators write. Assessments and
gaps: through ``Person.objects.restrict``; a person outside the caller's scope is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sdmkesos.core.api import ERRORS, ErrorOut, PageQuery, api_user
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import Organisation, WorkforceCategory
from sdmkesos.core.scoping import VIEW
from sdmkesos.people.models import Person

from . import actions, queries
from .apiutil import refusals
from .models import Assessment, Competency, CompetencyGroup, CompetencyLevel, JobStandard

router = Router(tags=["competency"])
CHANNEL = Channel.API
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}
handle = refusals(frozenset({"code_taken", "already_voided"}))


class LevelOut(Schema):
    level: int
    description: str
    indicators: list[str]


class CompetencyOut(Schema):
    code: str
    name: str
    name_en: str
    type: str
    group: str
    definition: str
    validity_months: int | None
    is_active: bool
    levels: list[LevelOut] = []


class CompetencyList(Schema):
    items: list[CompetencyOut]
    count: int


class GroupOut(Schema):
    code: str
    name: str
    type: str
    parent: str | None
    competencies: list[str]


class GroupList(Schema):
    items: list[GroupOut]
    count: int


class CompetencyIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    group: str
    definition: str = ""
    validity_months: int | None = Field(None, ge=1, le=600)
    is_active: bool = True


class CompetencyPatch(Schema):
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    group: str | None = None
    definition: str | None = None
    validity_months: int | None = Field(None, ge=1, le=600)
    is_active: bool | None = None


class LevelIn(Schema):
    description: str = ""
    indicators: list[str] = []


class StandardOut(Schema):
    code: str
    name: str
    category: str | None
    position: str
    is_active: bool
    items: dict[str, int]


class StandardList(Schema):
    items: list[StandardOut]
    count: int


class StandardIn(Schema):
    code: str = Field(..., max_length=60)
    name: str = Field(..., max_length=200)
    category: str | None = None
    position: str = Field("", max_length=150)
    is_active: bool = True
    items: dict[str, int] = Field(..., description="competency code → required level (1-5)")


class AssessmentOut(Schema):
    id: int
    competency: str
    level: int
    method: str
    assessed_on: dt.date
    valid_until: dt.date | None
    assessor_name: str
    source: str
    note: str
    voided: bool


class AssessmentList(Schema):
    items: list[AssessmentOut]
    count: int


class AssessmentIn(Schema):
    competency: str
    level: int
    method: str = Field(..., description="self, supervisor, assessor, test")
    assessed_on: dt.date
    valid_until: dt.date | None = None
    assessor_name: str = Field("", max_length=150)
    note: str = Field("", max_length=255)


class VoidIn(Schema):
    reason: str = Field("", max_length=255)


class GapOut(Schema):
    competency: str
    required: int
    current: int
    gap: int


class PersonGapsOut(Schema):
    person_id: int
    standard: str | None
    current: dict[str, int]
    gaps: list[GapOut]


class GapRowOut(Schema):
    person_id: int
    person_name: str
    region_code: str | None
    category: str | None
    standard: str
    competency: str
    required: int
    current: int
    gap: int


class GapRowPage(Schema):
    items: list[GapRowOut]
    count: int


class GapQuery(PageQuery):
    region: str = ""
    organisation: str = ""
    category: str = ""
    competency: str = ""
    only_below: bool = True


class SummaryQuery(Schema):
    by: str = Field("region", description="region, province, organisation, category, "
                                          "competency")
    region: str = ""
    organisation: str = ""
    category: str = ""
    competency: str = ""


class SummaryRow(Schema):
    key: str
    label: str
    people: int
    below: int
    below_share: float
    gap_sum: int
    mean_gap: float


class SummaryOut(Schema):
    by: str
    items: list[SummaryRow]


# --- helpers --------------------------------------------------------------------------------


def competency_out(c: Competency, with_levels: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"code": c.code, "name": c.name, "name_en": c.name_en, "type": c.type,
           "group": c.group.code, "definition": c.definition,
           "validity_months": c.validity_months, "is_active": c.is_active, "levels": []}
    if with_levels:
        out["levels"] = [{"level": lv.level, "description": lv.description,
                          "indicators": lv.indicators} for lv in c.levels.all()]
    return out


def standard_out(s: JobStandard) -> dict[str, Any]:
    return {"code": s.code, "name": s.name, "category": s.category.code if s.category else None,
            "position": s.position, "is_active": s.is_active,
            "items": {i.competency.code: i.required_level
                      for i in s.items.select_related("competency")}}


def assessment_out(a: Assessment) -> dict[str, Any]:
    return {"id": a.pk, "competency": a.competency.code, "level": a.level, "method": a.method,
            "assessed_on": a.assessed_on, "valid_until": a.valid_until,
            "assessor_name": a.assessor_name, "source": a.source, "note": a.note,
            "voided": a.voided}


def _competency(code: str, field: str = "competency") -> Competency:
    found = Competency.objects.filter(code=code.strip()).select_related("group").first()
    if found is None:
        raise ValidationFailed([DomainError("unknown_code", field=field, value=code, name=field)])
    return found


def _group(code: str) -> CompetencyGroup:
    found = CompetencyGroup.objects.filter(code=code.strip()).first()
    if found is None:
        raise ValidationFailed([DomainError("unknown_code", field="group", value=code,
                                            name="group")])
    return found


def _visible_person(user: Any, person_id: int) -> Person:
    person = Person.objects.restrict(user, VIEW).filter(pk=person_id).first()
    if person is None:
        raise DomainError("not_found")
    return person


def _organisation(user: Any, key: str) -> Organisation | None:
    if not key:
        return None
    text = key.strip()
    qs = Organisation.objects.restrict(user, VIEW)
    org = qs.filter(pk=int(text)).first() if text.isdigit() else qs.filter(code=text).first()
    if org is None:
        raise ValidationFailed([DomainError("unknown_code", field="organisation", value=key,
                                            name="organisation")])
    return org


# --- dictionary -----------------------------------------------------------------------------


@router.get("/groups", response={200: GroupList, **ERRORS})
def list_groups(request: HttpRequest) -> Any:
    """The dictionary tree: each group with its parent and its competencies' codes."""
    api_user(request)
    groups = list(CompetencyGroup.objects.select_related("parent").prefetch_related(
        "competencies"))
    return {"items": [{"code": g.code, "name": g.name, "type": g.type,
                       "parent": g.parent.code if g.parent else None,
                       "competencies": [c.code for c in g.competencies.all()]} for g in groups],
            "count": len(groups)}


@router.get("/competencies", response={200: CompetencyList, **ERRORS})
def list_competencies(request: HttpRequest, type: str = "", group: str = "") -> Any:
    api_user(request)
    qs = Competency.objects.select_related("group")
    if type:
        qs = qs.filter(type=type)
    if group:
        qs = qs.filter(group__code=group)
    items = [competency_out(c) for c in qs]
    return {"items": items, "count": len(items)}


@router.get("/competencies/{code}", response={200: CompetencyOut, **ERRORS})
def get_competency(request: HttpRequest, code: str) -> Any:
    api_user(request)
    c = Competency.objects.select_related("group").prefetch_related("levels").filter(
        code=code).first()
    if c is None:
        raise DomainError("not_found")
    return competency_out(c, with_levels=True)


@router.post("/competencies", response={201: CompetencyOut, **WRITE_ERRORS})
@handle
def create_competency(request: HttpRequest, payload: CompetencyIn) -> Any:
    """Administrators only."""
    user = api_user(request)
    data = payload.model_dump()
    data["group"] = _group(data["group"])
    c = actions.do_save_competency(actor=user, channel=CHANNEL, data=data)
    return Status(201, competency_out(c, with_levels=True))


@router.patch("/competencies/{code}", response={200: CompetencyOut, **WRITE_ERRORS})
@handle
def update_competency(request: HttpRequest, code: str, payload: CompetencyPatch) -> Any:
    user = api_user(request)
    c = Competency.objects.filter(code=code).first()
    if c is None:
        raise DomainError("not_found")
    data = payload.model_dump(exclude_unset=True)
    if "group" in data:
        data["group"] = _group(data["group"] or "")
    c = actions.do_save_competency(actor=user, channel=CHANNEL, competency=c, data=data)
    return competency_out(c, with_levels=True)


@router.put("/competencies/{code}/levels/{int:level}", response={200: LevelOut, **WRITE_ERRORS})
@handle
def set_level(request: HttpRequest, code: str, level: int, payload: LevelIn) -> Any:
    """Set one level's description and behaviour indicators (administrators)."""
    user = api_user(request)
    c = Competency.objects.filter(code=code).first()
    if c is None:
        raise DomainError("not_found")
    lv: CompetencyLevel = actions.do_save_level(
        actor=user, channel=CHANNEL, competency=c, level=level,
        description=payload.description, indicators=payload.indicators)
    return {"level": lv.level, "description": lv.description, "indicators": lv.indicators}


# --- standards ------------------------------------------------------------------------------


@router.get("/standards", response={200: StandardList, **ERRORS})
def list_standards(request: HttpRequest) -> Any:
    api_user(request)
    items = [standard_out(s) for s in JobStandard.objects.select_related("category")]
    return {"items": items, "count": len(items)}


@router.get("/standards/{code}", response={200: StandardOut, **ERRORS})
def get_standard(request: HttpRequest, code: str) -> Any:
    api_user(request)
    s = JobStandard.objects.select_related("category").filter(code=code).first()
    if s is None:
        raise DomainError("not_found")
    return standard_out(s)


@router.put("/standards/{code}", response={200: StandardOut, **WRITE_ERRORS})
@handle
def put_standard(request: HttpRequest, code: str, payload: StandardIn) -> Any:
    """Create or replace a standard (administrators). ``items`` replaces all items."""
    user = api_user(request)
    errors = []
    category = None
    if payload.category:
        category = WorkforceCategory.objects.filter(code=payload.category).first()
        if category is None:
            errors.append(DomainError("unknown_code", field="category", value=payload.category,
                                      name="category"))
    items = {}
    for comp_code, level in payload.items.items():
        comp = Competency.objects.filter(code=comp_code).first()
        if comp is None:
            errors.append(DomainError("unknown_code", field=f"items.{comp_code}",
                                      value=comp_code, name="competency"))
        else:
            items[comp] = level
    if errors:
        raise ValidationFailed(errors)
    existing = JobStandard.objects.filter(code=code).first()
    data = {"code": code, "name": payload.name, "category": category,
            "position": payload.position, "is_active": payload.is_active}
    s = actions.do_save_standard(actor=user, channel=CHANNEL, data=data, items=items,
                                 standard=existing)
    return standard_out(s)


# --- assessments and gaps -------------------------------------------------------------------


@router.get("/persons/{int:person_id}/assessments", response={200: AssessmentList, **ERRORS})
def list_assessments(request: HttpRequest, person_id: int) -> Any:
    user = api_user(request)
    person = _visible_person(user, person_id)
    items = [assessment_out(a) for a in Assessment.objects.restrict(user, VIEW).filter(
        person=person).select_related("competency")]
    return {"items": items, "count": len(items)}


@router.post("/persons/{int:person_id}/assessments",
             response={201: AssessmentOut, **WRITE_ERRORS})
@handle
def add_assessment(request: HttpRequest, person_id: int, payload: AssessmentIn) -> Any:
    """Record an assessed level. Needs change on the person; a worker may record a
    self-assessment of their own record."""
    user = api_user(request)
    person = _visible_person(user, person_id)
    a = actions.do_record_assessment(
        actor=user, channel=CHANNEL, person=person, competency=_competency(payload.competency),
        level=payload.level, method=payload.method, assessed_on=payload.assessed_on,
        valid_until=payload.valid_until, assessor_name=payload.assessor_name, note=payload.note)
    return Status(201, assessment_out(a))


@router.post("/assessments/{int:assessment_id}/void",
             response={200: AssessmentOut, **WRITE_ERRORS})
@handle
def void_assessment(request: HttpRequest, assessment_id: int, payload: VoidIn) -> Any:
    user = api_user(request)
    a = Assessment.objects.restrict(user, VIEW).filter(pk=assessment_id).first()
    if a is None:
        raise DomainError("not_found")
    actions.do_void_assessment(actor=user, channel=CHANNEL, assessment=a, reason=payload.reason)
    a.refresh_from_db()
    return assessment_out(a)


@router.get("/persons/{int:person_id}/gaps", response={200: PersonGapsOut, **ERRORS})
def person_gaps(request: HttpRequest, person_id: int) -> Any:
    """The standard that applies to the person, current levels and gaps."""
    user = api_user(request)
    person = _visible_person(user, person_id)
    standard, gaps, current = queries.person_gap_view(person)
    return {"person_id": person.pk, "standard": standard.code if standard else None,
            "current": current, "gaps": [g.__dict__ for g in gaps]}


@router.get("/gaps", response={200: GapRowPage, **ERRORS})
def list_gaps(request: HttpRequest, filters: Query[GapQuery]) -> Any:
    """Per person and competency (people in the caller's scope); ``only_below`` (default) keeps
    those below standard: "who is below standard for X" is ``?competency=X``."""
    user = api_user(request)
    rows = list(queries.gap_rows(user, region=filters.region.strip(),
                                 organisation=_organisation(user, filters.organisation),
                                 category=filters.category, competency=filters.competency,
                                 only_below=filters.only_below))
    limit = max(1, min(filters.limit, 500))
    return {"items": [r.__dict__ for r in rows[filters.offset: filters.offset + limit]],
            "count": len(rows)}


@router.get("/gaps/summary", response={200: SummaryOut, **ERRORS})
def gaps_summary(request: HttpRequest, filters: Query[SummaryQuery]) -> Any:
    user = api_user(request)
    if filters.by not in queries.GROUPINGS:
        raise ValidationFailed([DomainError("invalid_value", field="by",
                                            message=f"by: {', '.join(queries.GROUPINGS)}")])
    groups = queries.gap_summary(user, by=filters.by, region=filters.region.strip(),
                                 organisation=_organisation(user, filters.organisation),
                                 category=filters.category, competency=filters.competency)
    return {"by": filters.by, "items": [
        {"key": key, "label": label, "people": a.people, "below": a.below,
         "below_share": round(a.below_share, 4), "gap_sum": a.gap_sum,
         "mean_gap": round(a.mean_gap, 4)} for key, label, a in groups]}

