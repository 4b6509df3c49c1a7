"""API endpoints of the training app, mounted under /api/v1/training/.

Programmes, venues, trainers and batches are a catalogue every signed-in user reads; writes need
management of the organiser (``training.permissions``). Participants are visible to the
organiser's managers and, for their own people, to the offices whose scope covers the person.
Conflicts are 409 with a code naming the rule (``trainer_double_booked``, ``participant_overlap``,
``batch_full``, ...); an ineligible nominee is 400 ``ineligible_nominee`` with the reasons.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sdmkesos.competency.apiutil import refusals
from sdmkesos.competency.models import Competency
from sdmkesos.core.api import ERRORS, ErrorOut, PageQuery, api_user, page
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import EducationLevel, Organisation, Region, WorkforceCategory
from sdmkesos.core.scoping import VIEW
from sdmkesos.people.models import Person

from . import actions, queries
from .errors import CONFLICTS
from .models import (
    Batch,
    BatchSession,
    FieldPlacement,
    Nomination,
    NominationStatus,
    Programme,
    Scholar,
    ScholarshipScheme,
    Trainer,
    Venue,
)
from .permissions import can_manage
from .queries import visible_nominations

router = Router(tags=["training"])
CHANNEL = Channel.API
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}
handle = refusals(CONFLICTS)


# --- schemas --------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    code: str
    name: str
    type: str
    mode: str
    jp: int
    days: int
    description: str
    cost_per_participant: Decimal
    provider: str
    competencies: dict[str, int]
    eligible_categories: list[str]
    min_education: str | None
    asn_only: bool
    min_attendance: int
    prerequisites: list[str]
    is_active: bool


class ProgrammeList(Schema):
    items: list[ProgrammeOut]
    count: int


class ProgrammeIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    type: str = Field(..., description="teknis, fungsional, kepemimpinan, latsar")
    mode: str = "klasikal"
    jp: int = Field(..., ge=1)
    days: int = Field(1, ge=1)
    description: str = ""
    cost_per_participant: Decimal = Field(Decimal(0), ge=0)
    provider: str = Field(..., description="organisation code or id")
    competencies: dict[str, int] = Field({}, description="competency code → resulting level")
    eligible_categories: list[str] = []
    min_education: str | None = None
    asn_only: bool = False
    min_attendance: int = Field(0, ge=0, le=100, description="percent of sessions present "
                                "needed to pass (0: no rule)")
    prerequisites: list[str] = []
    is_active: bool = True


class VenueOut(Schema):
    id: int
    name: str
    region: str
    capacity: int
    daily_cost: Decimal
    organisation: str


class VenueList(Schema):
    items: list[VenueOut]
    count: int


class VenueIn(Schema):
    name: str = Field(..., max_length=200)
    region: str
    capacity: int = Field(..., ge=1)
    daily_cost: Decimal = Field(Decimal(0), ge=0)
    address: str = ""
    organisation: str


class WindowOut(Schema):
    start_date: dt.date
    end_date: dt.date
    available: bool
    note: str = ""


class TrainerOut(Schema):
    id: int
    name: str
    kind: str
    organisation: str
    home_region: str | None
    max_days_per_year: int
    availability: list[WindowOut]


class TrainerList(Schema):
    items: list[TrainerOut]
    count: int


class TrainerIn(Schema):
    name: str = Field(..., max_length=150)
    kind: str = Field(..., description="widyaiswara, dosen, fasilitator, praktisi")
    organisation: str
    home_region: str | None = None
    max_days_per_year: int = Field(120, ge=1, le=366)


class WindowIn(Schema):
    start_date: dt.date
    end_date: dt.date
    available: bool = True
    note: str = Field("", max_length=200)


class SessionOut(Schema):
    id: int
    date: dt.date
    topic: str
    jp: int


class BatchOut(Schema):
    id: int
    programme: str
    number: int
    name: str
    organisation: str
    venue: int | None
    venue_region: str | None
    start_date: dt.date
    end_date: dt.date
    capacity: int
    enrolled: int
    waitlisted: int
    allow_waitlist: bool
    funding_source: str
    status: str
    trainers: list[int]
    sessions: list[SessionOut] = []


class BatchPage(Schema):
    items: list[BatchOut]
    count: int


class BatchQuery(PageQuery):
    programme: str = ""
    status: str = ""
    region: str = Field("", description="venue region (any level)")
    start_from: dt.date | None = None
    start_to: dt.date | None = None


class BatchIn(Schema):
    programme: str
    number: int | None = None
    name: str = ""
    venue: int | None = None
    venue_region: str | None = None
    start_date: dt.date
    end_date: dt.date
    capacity: int = Field(..., ge=1)
    allow_waitlist: bool = True
    funding_source: str = "apbn"
    status: str = "rencana"
    organisation: str | None = Field(None, description="default: the programme's provider")


class BatchPatch(Schema):
    name: str | None = None
    venue: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    capacity: int | None = Field(None, ge=1)
    allow_waitlist: bool | None = None
    funding_source: str | None = None
    status: str | None = None


class SessionIn(Schema):
    date: dt.date
    topic: str = Field("", max_length=200)
    jp: int = Field(0, ge=0)


class TrainerAssignIn(Schema):
    trainer: int
    role: str = Field("", max_length=60)


class NominationOut(Schema):
    id: int
    batch: int
    person_id: int
    person_name: str
    nominated_by: str | None
    status: str
    waitlist_position: int | None
    pre_test: Decimal | None
    post_test: Decimal | None
    completed_on: dt.date | None
    certificate_number: str
    note: str


class NominationList(Schema):
    items: list[NominationOut]
    count: int


class NominateIn(Schema):
    person_id: int
    note: str = Field("", max_length=255)


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=255)


class NoteIn(Schema):
    note: str = Field("", max_length=255)


class ScoresIn(Schema):
    pre_test: Decimal | None = None
    post_test: Decimal | None = None


class CompleteIn(Schema):
    passed: bool
    completed_on: dt.date | None = None
    certificate_number: str = Field("", max_length=80)
    note: str = Field("", max_length=255)


class FeedbackIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    trainer_rating: int | None = Field(None, ge=1, le=5)
    comments: str = ""


class FeedbackOut(Schema):
    id: int
    rating: int
    trainer_rating: int | None
    comments: str


class AttendanceIn(Schema):
    statuses: dict[int, str] = Field(..., description="nomination id → hadir, izin, sakit, alpa")


class CountOut(Schema):
    recorded: int


class PlannerGapOut(Schema):
    person_id: int
    person_name: str
    home_region: str | None
    province: str
    category: str | None
    is_asn: bool
    competency: str
    required: int
    current: int
    gap: int
    programmes: list[str]
    in_training: bool


class PlannerGapPage(Schema):
    items: list[PlannerGapOut]
    count: int


class PlannerGapQuery(PageQuery):
    region: str = ""
    category: str = ""
    competency: str = ""


# --- output and look-ups --------------------------------------------------------------------


def programme_out(p: Programme) -> dict[str, Any]:
    return {"code": p.code, "name": p.name, "type": p.type, "mode": p.mode, "jp": p.jp,
            "days": p.days, "description": p.description,
            "cost_per_participant": p.cost_per_participant, "provider": p.organisation.code,
            "competencies": {pc.competency.code: pc.resulting_level
                             for pc in p.competencies.select_related("competency")},
            "eligible_categories": sorted(p.eligible_categories.values_list("code", flat=True)),
            "min_education": p.min_education.code if p.min_education else None,
            "asn_only": p.asn_only, "min_attendance": p.min_attendance,
            "prerequisites": sorted(p.prerequisites.values_list("code", flat=True)),
            "is_active": p.is_active}


def venue_out(v: Venue) -> dict[str, Any]:
    return {"id": v.pk, "name": v.name, "region": v.venue_region_id, "capacity": v.capacity,
            "daily_cost": v.daily_cost, "organisation": v.organisation.code}


def trainer_out(t: Trainer) -> dict[str, Any]:
    return {"id": t.pk, "name": t.name, "kind": t.kind, "organisation": t.organisation.code,
            "home_region": t.home_region_id, "max_days_per_year": t.max_days_per_year,
            "availability": [{"start_date": w.start_date, "end_date": w.end_date,
                              "available": w.available, "note": w.note}
                             for w in t.availability.all()]}


def batch_out(b: Batch, with_sessions: bool = False) -> dict[str, Any]:
    counts = b.nominations.aggregate(
        enrolled=Count("id", filter=Q(status__in=(NominationStatus.ENROLLED,
                                                  NominationStatus.COMPLETED,
                                                  NominationStatus.NOT_COMPLETED))),
        waitlisted=Count("id", filter=Q(status=NominationStatus.WAITLISTED)))
    return {"id": b.pk, "programme": b.programme.code, "number": b.number, "name": str(b),
            "organisation": b.organisation.code, "venue": b.venue_id,
            "venue_region": b.venue_region_id, "start_date": b.start_date,
            "end_date": b.end_date, "capacity": b.capacity, "enrolled": counts["enrolled"],
            "waitlisted": counts["waitlisted"], "allow_waitlist": b.allow_waitlist,
            "funding_source": b.funding_source, "status": b.status,
            "trainers": list(b.trainer_links.values_list("trainer_id", flat=True)),
            "sessions": [{"id": s.pk, "date": s.date, "topic": s.topic, "jp": s.jp}
                         for s in b.sessions.all()] if with_sessions else []}


def nomination_out(n: Nomination) -> dict[str, Any]:
    return {"id": n.pk, "batch": n.batch_id, "person_id": n.person_id,
            "person_name": n.person.name,
            "nominated_by": n.nominated_by.code if n.nominated_by else None,
            "status": n.status, "waitlist_position": n.waitlist_position,
            "pre_test": n.pre_test, "post_test": n.post_test, "completed_on": n.completed_on,
            "certificate_number": n.certificate_number, "note": n.note}


def _unknown(field: str, value: Any) -> DomainError:
    return DomainError("unknown_code", field=field, value=value, name=field)


def _org(user: Any, field: str, key: str | None) -> Organisation:
    text = (key or "").strip()
    qs = Organisation.objects.restrict(user, VIEW)
    org = qs.filter(pk=int(text)).first() if text.isdigit() else qs.filter(code=text).first()
    if org is None:
        raise ValidationFailed([_unknown(field, key)])
    return org


def _region(field: str, code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ValidationFailed([DomainError("unknown_region", field=field, value=code)])
    return region


def _programme(code: str) -> Programme:
    p = Programme.objects.select_related("organisation").filter(code=code).first()
    if p is None:
        raise DomainError("not_found")
    return p


def _batch(batch_id: int) -> Batch:
    b = Batch.objects.select_related("programme", "organisation").filter(pk=batch_id).first()
    if b is None:
        raise DomainError("not_found")
    return b


def _nomination(user: Any, nomination_id: int) -> Nomination:
    n = Nomination.objects.select_related("batch__organisation").filter(pk=nomination_id).first()
    if n is None or not visible_nominations(user, n.batch).filter(pk=n.pk).exists():
        raise DomainError("not_found")
    return n


# --- programmes -----------------------------------------------------------------------------


@router.get("/programmes", response={200: ProgrammeList, **ERRORS})
def list_programmes(request: HttpRequest, type: str = "", active: bool = True) -> Any:
    api_user(request)
    qs = Programme.objects.select_related("organisation", "min_education")
    if type:
        qs = qs.filter(type=type)
    if active:
        qs = qs.filter(is_active=True)
    items = [programme_out(p) for p in qs]
    return {"items": items, "count": len(items)}


@router.get("/programmes/{code}", response={200: ProgrammeOut, **ERRORS})
def get_programme(request: HttpRequest, code: str) -> Any:
    api_user(request)
    return programme_out(_programme(code))


@router.put("/programmes/{code}", response={200: ProgrammeOut, **WRITE_ERRORS})
@handle
def put_programme(request: HttpRequest, code: str, payload: ProgrammeIn) -> Any:
    """Create or replace a programme (managers of the provider organisation)."""
    user = api_user(request)
    errors: list[DomainError] = []
    comps = {}
    for comp_code, level in payload.competencies.items():
        comp = Competency.objects.filter(code=comp_code).first()
        if comp is None:
            errors.append(_unknown(f"competencies.{comp_code}", comp_code))
        else:
            comps[comp] = level
    cats = list(WorkforceCategory.objects.filter(code__in=payload.eligible_categories))
    errors += [_unknown("eligible_categories", c) for c in
               set(payload.eligible_categories) - {c.code for c in cats}]
    prereqs = list(Programme.objects.filter(code__in=payload.prerequisites))
    errors += [_unknown("prerequisites", c) for c in
               set(payload.prerequisites) - {p.code for p in prereqs}]
    education = None
    if payload.min_education:
        education = EducationLevel.objects.filter(code=payload.min_education).first()
        if education is None:
            errors.append(_unknown("min_education", payload.min_education))
    if errors:
        raise ValidationFailed(errors)
    data = payload.model_dump(exclude={"competencies", "eligible_categories", "prerequisites",
                                       "provider", "code"})
    data.update(code=code, min_education=education,
                organisation=_org(user, "provider", payload.provider))
    existing = Programme.objects.filter(code=code).first()
    p = actions.do_save_programme(actor=user, channel=CHANNEL, data=data, competencies=comps,
                                  categories=cats, prerequisites=prereqs, programme=existing)
    return programme_out(p)


# --- venues and trainers --------------------------------------------------------------------


@router.get("/venues", response={200: VenueList, **ERRORS})
def list_venues(request: HttpRequest, region: str = "") -> Any:
    api_user(request)
    qs = Venue.objects.filter(is_active=True).select_related("organisation")
    if region:
        qs = qs.filter(Q(venue_region_id=region) | Q(venue_region__code__startswith=region + "."))
    items = [venue_out(v) for v in qs]
    return {"items": items, "count": len(items)}


@router.post("/venues", response={201: VenueOut, **WRITE_ERRORS})
@handle
def create_venue(request: HttpRequest, payload: VenueIn) -> Any:
    user = api_user(request)
    v = actions.do_save_venue(actor=user, channel=CHANNEL, data={
        "name": payload.name, "venue_region": _region("region", payload.region),
        "capacity": payload.capacity, "daily_cost": payload.daily_cost,
        "address": payload.address,
        "organisation": _org(user, "organisation", payload.organisation)})
    return Status(201, venue_out(v))


@router.get("/trainers", response={200: TrainerList, **ERRORS})
def list_trainers(request: HttpRequest, kind: str = "") -> Any:
    api_user(request)
    qs = Trainer.objects.filter(is_active=True).select_related("organisation").prefetch_related(
        "availability")
    if kind:
        qs = qs.filter(kind=kind)
    items = [trainer_out(t) for t in qs]
    return {"items": items, "count": len(items)}


@router.post("/trainers", response={201: TrainerOut, **WRITE_ERRORS})
@handle
def create_trainer(request: HttpRequest, payload: TrainerIn) -> Any:
    user = api_user(request)
    t = actions.do_save_trainer(actor=user, channel=CHANNEL, data={
        "name": payload.name, "kind": payload.kind,
        "organisation": _org(user, "organisation", payload.organisation),
        "home_region": _region("home_region", payload.home_region),
        "max_days_per_year": payload.max_days_per_year})
    return Status(201, trainer_out(t))


@router.post("/trainers/{int:trainer_id}/availability",
             response={201: TrainerOut, **WRITE_ERRORS})
@handle
def add_availability(request: HttpRequest, trainer_id: int, payload: WindowIn) -> Any:
    user = api_user(request)
    t = Trainer.objects.filter(pk=trainer_id).first()
    if t is None:
        raise DomainError("not_found")
    actions.do_add_availability(actor=user, channel=CHANNEL, trainer=t, **payload.model_dump())
    return Status(201, trainer_out(t))


# --- batches --------------------------------------------------------------------------------


@router.get("/batches", response={200: BatchPage, **ERRORS})
def list_batches(request: HttpRequest, filters: Query[BatchQuery]) -> Any:
    api_user(request)
    qs = Batch.objects.select_related("programme", "organisation")
    if filters.programme:
        qs = qs.filter(programme__code=filters.programme)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region:
        qs = qs.filter(Q(venue_region_id=filters.region)
                       | Q(venue_region__code__startswith=filters.region + "."))
    if filters.start_from:
        qs = qs.filter(start_date__gte=filters.start_from)
    if filters.start_to:
        qs = qs.filter(start_date__lte=filters.start_to)
    items, count = page(qs.order_by("start_date", "id"), filters.limit, filters.offset)
    return {"items": [batch_out(b) for b in items], "count": count}


@router.get("/batches/{int:batch_id}", response={200: BatchOut, **ERRORS})
def get_batch(request: HttpRequest, batch_id: int) -> Any:
    api_user(request)
    return batch_out(_batch(batch_id), with_sessions=True)


def _batch_data(user: Any, raw: dict[str, Any]) -> dict[str, Any]:
    data = dict(raw)
    if "programme" in data:
        data["programme"] = _programme(data["programme"])
    if "venue" in data:
        venue_id = data["venue"]
        data["venue"] = Venue.objects.filter(pk=venue_id).first() if venue_id else None
        if venue_id and data["venue"] is None:
            raise ValidationFailed([_unknown("venue", venue_id)])
    if "venue_region" in data:
        data["venue_region"] = _region("venue_region", data["venue_region"])
    if data.get("organisation"):
        data["organisation"] = _org(user, "organisation", data["organisation"])
    else:
        data.pop("organisation", None)
    if "name" in data and data["name"] is None:
        data["name"] = ""
    return data


@router.post("/batches", response={201: BatchOut, **WRITE_ERRORS})
@handle
def create_batch(request: HttpRequest, payload: BatchIn) -> Any:
    user = api_user(request)
    b = actions.do_save_batch(actor=user, channel=CHANNEL,
                              data=_batch_data(user, payload.model_dump()))
    return Status(201, batch_out(b, with_sessions=True))


@router.patch("/batches/{int:batch_id}", response={200: BatchOut, **WRITE_ERRORS})
@handle
def update_batch(request: HttpRequest, batch_id: int, payload: BatchPatch) -> Any:
    user = api_user(request)
    b = _batch(batch_id)
    data = _batch_data(user, payload.model_dump(exclude_unset=True))
    b = actions.do_save_batch(actor=user, channel=CHANNEL, batch=b, data=data)
    return batch_out(b, with_sessions=True)


@router.post("/batches/{int:batch_id}/sessions", response={201: SessionOut, **WRITE_ERRORS})
@handle
def add_session(request: HttpRequest, batch_id: int, payload: SessionIn) -> Any:
    user = api_user(request)
    s = actions.do_add_session(actor=user, channel=CHANNEL, batch=_batch(batch_id),
                               date=payload.date, topic=payload.topic, jp=payload.jp)
    return Status(201, {"id": s.pk, "date": s.date, "topic": s.topic, "jp": s.jp})


@router.post("/batches/{int:batch_id}/trainers", response={201: BatchOut, **WRITE_ERRORS})
@handle
def assign_trainer(request: HttpRequest, batch_id: int, payload: TrainerAssignIn) -> Any:
    """Assign a trainer: 409 ``trainer_double_booked`` / ``trainer_unavailable`` /
    ``trainer_overloaded`` when it cannot be."""
    user = api_user(request)
    b = _batch(batch_id)
    t = Trainer.objects.filter(pk=payload.trainer).first()
    if t is None:
        raise ValidationFailed([_unknown("trainer", payload.trainer)])
    actions.do_assign_trainer(actor=user, channel=CHANNEL, batch=b, trainer=t,
                              role=payload.role)
    return Status(201, batch_out(b, with_sessions=True))


@router.get("/batches/{int:batch_id}/nominations", response={200: NominationList, **ERRORS})
def list_nominations(request: HttpRequest, batch_id: int) -> Any:
    """Participants the caller may see: all of them for the organiser's managers, otherwise
    those in the caller's scope."""
    user = api_user(request)
    items = [nomination_out(n) for n in visible_nominations(user, _batch(batch_id))]
    return {"items": items, "count": len(items)}


@router.post("/batches/{int:batch_id}/nominations",
             response={201: NominationOut, **WRITE_ERRORS})
@handle
def nominate(request: HttpRequest, batch_id: int, payload: NominateIn) -> Any:
    """An office nominates one of its people (change on the person)."""
    user = api_user(request)
    b = _batch(batch_id)
    person = Person.objects.restrict(user, VIEW).filter(pk=payload.person_id).first()
    if person is None:
        raise DomainError("not_found")
    n = actions.do_nominate(actor=user, channel=CHANNEL, batch=b, person=person,
                            note=payload.note)
    return Status(201, nomination_out(n))


@router.post("/sessions/{int:session_id}/attendance", response={200: CountOut, **WRITE_ERRORS})
@handle
def record_attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> Any:
    user = api_user(request)
    s = BatchSession.objects.select_related("batch").filter(pk=session_id).first()
    if s is None:
        raise DomainError("not_found")
    n = actions.do_record_attendance(actor=user, channel=CHANNEL, session=s,
                                     statuses=payload.statuses)
    return {"recorded": n}


# --- one nomination -------------------------------------------------------------------------


@router.post("/nominations/{int:nomination_id}/decision",
             response={200: NominationOut, **WRITE_ERRORS})
@handle
def decide(request: HttpRequest, nomination_id: int, payload: DecisionIn) -> Any:
    user = api_user(request)
    n = actions.do_decide_nomination(actor=user, channel=CHANNEL,
                                     nomination=_nomination(user, nomination_id),
                                     approve=payload.approve, note=payload.note)
    return nomination_out(n)


@router.post("/nominations/{int:nomination_id}/enrol",
             response={200: NominationOut, **WRITE_ERRORS})
@handle
def enrol(request: HttpRequest, nomination_id: int) -> Any:
    """A seat, or the waiting list when full; 409 ``batch_full`` without a waiting list."""
    user = api_user(request)
    n = actions.do_enrol(actor=user, channel=CHANNEL, nomination=_nomination(user, nomination_id))
    return nomination_out(n)


@router.post("/nominations/{int:nomination_id}/withdraw",
             response={200: NominationOut, **WRITE_ERRORS})
@handle
def withdraw(request: HttpRequest, nomination_id: int, payload: NoteIn) -> Any:
    user = api_user(request)
    n = actions.do_withdraw(actor=user, channel=CHANNEL,
                            nomination=_nomination(user, nomination_id), note=payload.note)
    return nomination_out(n)


@router.post("/nominations/{int:nomination_id}/scores",
             response={200: NominationOut, **WRITE_ERRORS})
@handle
def scores(request: HttpRequest, nomination_id: int, payload: ScoresIn) -> Any:
    user = api_user(request)
    n = actions.do_record_scores(actor=user, channel=CHANNEL,
                                 nomination=_nomination(user, nomination_id),
                                 pre_test=payload.pre_test, post_test=payload.post_test)
    return nomination_out(n)


@router.post("/nominations/{int:nomination_id}/complete",
             response={200: NominationOut, **WRITE_ERRORS})
@handle
def complete(request: HttpRequest, nomination_id: int, payload: CompleteIn) -> Any:
    """Record pass/fail; a pass updates the person's competencies as the programme defines."""
    user = api_user(request)
    n = actions.do_complete(actor=user, channel=CHANNEL,
                            nomination=_nomination(user, nomination_id), passed=payload.passed,
                            completed_on=payload.completed_on,
                            certificate_number=payload.certificate_number, note=payload.note)
    return nomination_out(n)


@router.post("/nominations/{int:nomination_id}/feedback",
             response={201: FeedbackOut, **WRITE_ERRORS})
@handle
def feedback(request: HttpRequest, nomination_id: int, payload: FeedbackIn) -> Any:
    user = api_user(request)
    fb = actions.do_submit_feedback(actor=user, channel=CHANNEL,
                                    nomination=_nomination(user, nomination_id),
                                    rating=payload.rating, trainer_rating=payload.trainer_rating,
                                    comments=payload.comments)
    return Status(201, {"id": fb.pk, "rating": fb.rating, "trainer_rating": fb.trainer_rating,
                        "comments": fb.comments})


# --- scholarships and field practice --------------------------------------------------------


class SchemeOut(Schema):
    id: int
    name: str
    degree: str
    institution: str
    study_programme: str
    sponsor: str
    funding_source: str
    intake_year: int
    quota: int
    organisation: str


class SchemeList(Schema):
    items: list[SchemeOut]
    count: int


class ScholarOut(Schema):
    id: int
    person_id: int
    person_name: str
    status: str
    start_date: dt.date | None
    end_date: dt.date | None


class ScholarList(Schema):
    items: list[ScholarOut]
    count: int


class PlacementOut(Schema):
    id: int
    student_name: str
    student_number: str
    institution: str
    host: str
    region: str | None
    start_date: dt.date
    end_date: dt.date
    status: str


class PlacementList(Schema):
    items: list[PlacementOut]
    count: int


@router.get("/schemes", response={200: SchemeList, **ERRORS})
def list_schemes(request: HttpRequest) -> Any:
    """Scholarship intakes (catalogue: every signed-in user)."""
    api_user(request)
    items = [{"id": s.pk, "name": s.name, "degree": s.degree, "institution": s.institution.code,
              "study_programme": s.study_programme, "sponsor": s.sponsor,
              "funding_source": s.funding_source, "intake_year": s.intake_year,
              "quota": s.quota, "organisation": s.organisation.code}
             for s in ScholarshipScheme.objects.select_related("institution", "organisation")]
    return {"items": items, "count": len(items)}


@router.get("/schemes/{int:scheme_id}/scholars", response={200: ScholarList, **ERRORS})
def list_scholars(request: HttpRequest, scheme_id: int) -> Any:
    """Scholars: all of them for the scheme's managers, otherwise those in the caller's scope."""
    user = api_user(request)
    scheme = ScholarshipScheme.objects.select_related("organisation").filter(
        pk=scheme_id).first()
    if scheme is None:
        raise DomainError("not_found")
    qs = Scholar.objects.filter(scheme=scheme).select_related("person")
    if not can_manage(user, scheme.organisation):
        qs = qs.filter(pk__in=Scholar.objects.restrict(user, VIEW).values("pk"))
    items = [{"id": s.pk, "person_id": s.person_id, "person_name": s.person.name,
              "status": s.status, "start_date": s.start_date, "end_date": s.end_date}
             for s in qs]
    return {"items": items, "count": len(items)}


@router.get("/placements", response={200: PlacementList, **ERRORS})
def list_placements(request: HttpRequest, paging: Query[PageQuery]) -> Any:
    """Field practice placements at host offices in the caller's scope."""
    user = api_user(request)
    qs = FieldPlacement.objects.restrict(user, VIEW).select_related("institution", "host")
    rows, count = page(qs, paging.limit, paging.offset)
    return {"items": [{"id": p.pk, "student_name": p.student_name,
                       "student_number": p.student_number, "institution": p.institution.code,
                       "host": p.host.code, "region": p.region_id, "start_date": p.start_date,
                       "end_date": p.end_date, "status": p.status} for p in rows],
            "count": count}


# --- planner input --------------------------------------------------------------------------


@router.get("/gaps", response={200: PlannerGapPage, **ERRORS})
def planner_gaps(request: HttpRequest, filters: Query[PlannerGapQuery]) -> Any:
    """People below standard in the caller's scope, with the eligible programmes that close each
    gap (``training.queries.gap_rows``)."""
    user = api_user(request)
    rows = list(queries.gap_rows(user, region=filters.region.strip(),
                                 category=filters.category, competency=filters.competency))
    limit = max(1, min(filters.limit, 500))
    return {"items": [{**r.__dict__, "programmes": list(r.programmes)}
                      for r in rows[filters.offset: filters.offset + limit]],
            "count": len(rows)}
