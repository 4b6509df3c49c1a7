"""API endpoints of the careers app, mounted under /api/v1/careers/.

Persons are found through ``Person.objects.restrict`` (out of scope: 404); SKPs through
``actions.visible_skps`` (the person, the supervisors, HR roles in scope); writes go through
``careers.actions`` with channel ``api``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from sdmkesos.core.api import ERRORS, ErrorOut, api_user
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.scoping import CHANGE, VIEW, can, region_q
from sdmkesos.people.models import Person

from . import actions, queries
from .models import (
    CareerPosition,
    JfLevel,
    JfPosition,
    JfRank,
    Skp,
    SkpIndicator,
    SkpRealisation,
    SkpResult,
)
from .rules import Decision

router = Router(tags=["careers"])
API = Channel.API
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}


# --- schemas -------------------------------------------------------------------------------------


class LevelOut(Schema):
    code: str
    label_id: str
    label_en: str
    track: str
    rank_range: list[str]
    coefficient: Decimal
    ak_next_rank: Decimal
    ak_next_level: Decimal | None
    next_level: str | None
    retirement_age: int


class LevelPatch(Schema):
    coefficient: Decimal | None = None
    ak_next_rank: Decimal | None = None
    ak_next_level: Decimal | None = None
    retirement_age: int | None = None


class PositionIn(Schema):
    kind: str = "functional"
    jf: str | None = None
    level: str | None = None
    rank: str | None = None
    tmt: dt.date
    end_date: dt.date | None = None
    opening_ak: Decimal = Decimal(0)
    competency_test_passed: bool = False
    competency_test_date: dt.date | None = None
    vacancy_available: bool = False
    note: str = ""
    close_current: bool = True


class PositionPatch(Schema):
    end_date: dt.date | None = None
    opening_ak: Decimal | None = None
    competency_test_passed: bool | None = None
    competency_test_date: dt.date | None = None
    vacancy_available: bool | None = None
    note: str | None = None


class PositionOut(Schema):
    id: int
    kind: str
    jf: str | None
    level: str | None
    rank: str | None
    tmt: dt.date
    end_date: dt.date | None
    opening_ak: Decimal
    competency_test_passed: bool
    competency_test_date: dt.date | None
    vacancy_available: bool


class CreditIn(Schema):
    position_id: int
    year: int
    rating: str
    months: int = Field(12, ge=1, le=12)


class CreditOut(Schema):
    id: int
    position_id: int
    year: int
    months: int
    rating: str | None
    credit_points: Decimal
    cumulative_rank: Decimal | None = None
    cumulative_level: Decimal | None = None


class DecisionOut(Schema):
    eligible: bool
    target: str | None
    threshold: Decimal | None
    credit_points: Decimal
    shortfall: Decimal
    reasons: list[dict[str, str]]


class CareerOut(Schema):
    person_id: int
    name: str
    current_position: PositionOut | None
    rank_ak: Decimal
    level_ak: Decimal
    latest_rating: str | None
    next_rank: DecisionOut | None
    next_level: DecisionOut | None
    retirement_age: int | None
    retirement_date: dt.date | None
    retirement_basis: str
    credits: list[CreditOut]


class RetireeOut(Schema):
    person_id: int
    name: str
    organisation: str | None
    birth_date: dt.date
    retirement_age: int
    retirement_date: dt.date
    basis: str


class AreaQuery(Schema):
    region: str | None = None
    organisation: int | None = None


class RetirementQuery(AreaQuery):
    years: int = Field(1, ge=1, le=5)


class EligibilityQuery(AreaQuery):
    eligible_only: bool = False


class SkpIn(Schema):
    person_id: int
    year: int
    supervisor_id: int | None = None
    second_supervisor_id: int | None = None


class IndicatorIn(Schema):
    text: str
    target: str


class ResultIn(Schema):
    text: str
    indicators: list[IndicatorIn]
    parent_id: int | None = None


class RealisationIn(Schema):
    indicator_id: int
    period: int
    realisation: str
    evidence: str = ""


class EvaluationIn(Schema):
    results_rating: str
    behaviour_rating: str
    behaviours: dict[str, str] = {}
    note: str = ""


class SkpOut(Schema):
    id: int
    person_id: int
    year: int
    supervisor_id: int | None
    status: str
    results_rating: str
    behaviour_rating: str
    final_rating: str
    results: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]


class FollowUpOut(Schema):
    id: int
    person_id: int
    skp_id: int | None
    reason: str
    proposal: str
    training: str
    programmes: list[dict[str, Any]]


# --- helpers -------------------------------------------------------------------------------------


def _person(user: Any, person_id: int) -> Person:
    person = Person.objects.restrict(user, VIEW).filter(pk=person_id).first()
    if person is None:
        raise DomainError("not_found")
    return person


def _require_change(user: Any) -> None:
    if not can(user, CHANGE):
        raise DomainError("forbidden")


def level_out(lv: JfLevel) -> dict[str, Any]:
    return {"code": lv.code, "label_id": lv.label_id, "label_en": lv.label_en,
            "track": lv.track, "rank_range": [lv.rank_low.code, lv.rank_high.code],
            "coefficient": lv.coefficient, "ak_next_rank": lv.ak_next_rank,
            "ak_next_level": lv.ak_next_level,
            "next_level": lv.next_level.code if lv.next_level else None,
            "retirement_age": lv.retirement_age}


def position_out(p: CareerPosition) -> dict[str, Any]:
    return {"id": p.pk, "kind": p.kind, "jf": p.jf.code if p.jf else None,
            "level": p.level.code if p.level else None, "rank": p.rank.code if p.rank else None,
            "tmt": p.tmt, "end_date": p.end_date, "opening_ak": p.opening_ak,
            "competency_test_passed": p.competency_test_passed,
            "competency_test_date": p.competency_test_date,
            "vacancy_available": p.vacancy_available}


def _decision(d: Decision | None, with_reasons: bool) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"eligible": d.eligible, "target": d.target, "threshold": d.threshold,
            "credit_points": d.credit_points, "shortfall": d.shortfall,
            "reasons": [{"code": r.code, "message": r.message_id} for r in d.reasons]
            if with_reasons else []}


def _sees_ratings(user: Any, person: Person) -> bool:
    return (actions.is_hr(user) or person.user_id == user.pk
            or actions.visible_skps(user).filter(person=person).exists())


def career_out(user: Any, s: queries.CareerSummary) -> dict[str, Any]:
    ratings = _sees_ratings(user, s.person)
    el = s.eligibility
    return {
        "person_id": s.person.pk, "name": s.person.name,
        "current_position": position_out(s.current) if s.current else None,
        "rank_ak": s.rank_ak, "level_ak": s.level_ak,
        "latest_rating": s.latest_rating if ratings else None,
        "next_rank": _decision(el.next_rank if el else None, ratings),
        "next_level": _decision(el.next_level if el else None, ratings),
        "retirement_age": s.retirement_age, "retirement_date": s.retirement_date,
        "retirement_basis": s.retirement_basis,
        "credits": [{"id": r.entry.pk, "position_id": r.entry.position_id,
                     "year": r.entry.year, "months": r.entry.months,
                     "rating": r.entry.rating if ratings else None,
                     "credit_points": r.entry.credit_points,
                     "cumulative_rank": r.cumulative_rank,
                     "cumulative_level": r.cumulative_level} for r in s.credits],
    }


def _area(user: Any, q: AreaQuery) -> Any:
    from sdmkesos.core.models import Organisation

    qs = Person.objects.restrict(user, VIEW)
    if q.region:
        qs = qs.filter(region_q(Person.scope, (q.region.strip(),)))
    if q.organisation:
        org = Organisation.objects.filter(pk=q.organisation).first()
        qs = qs.filter(organisation__path__startswith=org.path) if org else qs.none()
    return qs


# --- rules ---------------------------------------------------------------------------------------


@router.get("/levels", response={200: list[LevelOut], **ERRORS})
def list_levels(request: HttpRequest) -> Any:
    """The JF levels with their numbers, as currently corrected."""
    api_user(request)
    return [level_out(lv) for lv in JfLevel.objects.select_related(
        "rank_low", "rank_high", "next_level")]


@router.patch("/levels/{code}", response={200: LevelOut, **ERRORS})
def update_level(request: HttpRequest, code: str, payload: LevelPatch) -> Any:
    """Correct a level's numbers (national administrators only; validated as a whole)."""
    user = api_user(request)
    level = JfLevel.objects.filter(code=code).first()
    if level is None:
        raise DomainError("not_found")
    actions.do_update_level(actor=user, channel=API, level=level,
                            data=payload.model_dump(exclude_unset=True))
    return level_out(JfLevel.objects.select_related("rank_low", "rank_high", "next_level")
                     .get(pk=level.pk))


# --- a person's career ---------------------------------------------------------------------------


@router.get("/persons/{int:person_id}", response={200: CareerOut, **ERRORS})
def get_career(request: HttpRequest, person_id: int) -> Any:
    """Positions, credit points with running totals, eligibility and retirement of a person.
    Ratings and reasons are shown only to the person, supervisors and HR roles."""
    user = api_user(request)
    return career_out(user, queries.career_summary(_person(user, person_id)))


@router.get("/persons/{int:person_id}/positions", response={200: list[PositionOut], **ERRORS})
def list_positions(request: HttpRequest, person_id: int) -> Any:
    user = api_user(request)
    person = _person(user, person_id)
    return [position_out(p) for p in CareerPosition.objects.restrict(user, VIEW)
            .filter(person=person).select_related("jf", "level", "rank")]


@router.post("/persons/{int:person_id}/positions", response={201: PositionOut, **WRITE_ERRORS})
def add_position(request: HttpRequest, person_id: int, payload: PositionIn) -> Any:
    user = api_user(request)
    person = _person(user, person_id)
    _require_change(user)
    raw = payload.model_dump()
    close = raw.pop("close_current")
    errors = []
    for field, model in (("jf", JfPosition), ("level", JfLevel), ("rank", JfRank)):
        code = raw.get(field)
        if code:
            obj = model._default_manager.filter(code=code).first()
            if obj is None:
                errors.append(DomainError("unknown_code", field=field, value=code, name=field))
            raw[field] = obj
    if errors:
        raise ValidationFailed(errors)
    pos = actions.do_add_position(actor=user, channel=API, person=person, data=raw,
                                  close_current=close)
    return Status(201, position_out(pos))


@router.patch("/persons/{int:person_id}/positions/{int:position_id}",
              response={200: PositionOut, **ERRORS})
def update_position(request: HttpRequest, person_id: int, position_id: int,
                    payload: PositionPatch) -> Any:
    """Record the competency test (uji kompetensi) result, the vacancy flag, an end date."""
    user = api_user(request)
    person = _person(user, person_id)
    _require_change(user)
    pos = CareerPosition.objects.filter(person=person, pk=position_id).first()
    if pos is None:
        raise DomainError("not_found")
    actions.do_update_position(actor=user, channel=API, position=pos,
                               data=payload.model_dump(exclude_unset=True))
    return position_out(CareerPosition.objects.select_related("jf", "level", "rank")
                        .get(pk=pos.pk))


@router.post("/persons/{int:person_id}/credits", response={201: CreditOut, **WRITE_ERRORS})
def add_credit(request: HttpRequest, person_id: int, payload: CreditIn) -> Any:
    """Convert a period's rating to credit points: AK = rating % x coefficient x months/12."""
    user = api_user(request)
    person = _person(user, person_id)
    _require_change(user)
    pos = CareerPosition.objects.filter(person=person, pk=payload.position_id).select_related(
        "level").first()
    if pos is None:
        raise DomainError("not_found", field="position_id")
    entry = actions.do_add_credit(actor=user, channel=API, position=pos, year=payload.year,
                                  rating=payload.rating, months=payload.months)
    return Status(201, {"id": entry.pk, "position_id": pos.pk, "year": entry.year,
                        "months": entry.months, "rating": entry.rating,
                        "credit_points": entry.credit_points})


# --- lists ---------------------------------------------------------------------------------------


@router.get("/eligibility", response={200: list[CareerOut], **ERRORS})
def eligibility(request: HttpRequest, q: Query[EligibilityQuery]) -> Any:
    """JF holders in scope with their promotion eligibility (HR roles only)."""
    user = api_user(request)
    if not actions.is_hr(user):
        raise DomainError("forbidden")
    rows = queries.eligibility_list(_area(user, q), only_eligible=q.eligible_only)
    return [career_out(user, s) for s in rows]


@router.get("/retirements", response={200: list[RetireeOut], **ERRORS})
def retirements(request: HttpRequest, q: Query[RetirementQuery]) -> Any:
    """People in scope whose pension (TMT pensiun) starts within ``years`` (1-5) years."""
    user = api_user(request)
    rows = queries.retirements(_area(user, q), years=q.years)
    return [{"person_id": r.person.pk, "name": r.person.name,
             "organisation": r.person.organisation.name if r.person.organisation else None,
             "birth_date": r.person.birth_date, "retirement_age": r.age,
             "retirement_date": r.date, "basis": r.basis} for r in rows]


@router.post("/persons/{int:person_id}/follow-ups", response={201: FollowUpOut, **ERRORS})
def propose_gap_follow_up(request: HttpRequest, person_id: int) -> Any:
    """Propose development for the person's competency gaps (latest valid assessments against
    the job standard) with the training catalogue's programmes that close them. HR in scope;
    ``no_competency_gap`` (400) when there is none."""
    user = api_user(request)
    person = _person(user, person_id)
    f = actions.do_propose_gap_follow_up(actor=user, channel=API, person=person)
    return Status(201, {"id": f.pk, "person_id": f.person_id, "skp_id": f.skp_id,
                        "reason": f.reason, "proposal": f.proposal, "training": f.training,
                        "programmes": f.programmes})


# --- SKP -----------------------------------------------------------------------------------------


def evidence_out(z: SkpRealisation) -> dict[str, Any] | None:
    if not z.evidence_file:
        return None
    return {"name": z.evidence_name, "content_type": z.evidence_type, "size": z.evidence_size,
            "sha256": z.evidence_sha256,
            "download": f"/api/v1/careers/skp/realisations/{z.pk}/evidence"}


def skp_out(skp: Skp) -> dict[str, Any]:
    return {
        "id": skp.pk, "person_id": skp.person_id, "year": skp.year,
        "supervisor_id": skp.supervisor_id, "status": skp.status,
        "results_rating": skp.results_rating, "behaviour_rating": skp.behaviour_rating,
        "final_rating": skp.final_rating,
        "results": [{"id": r.pk, "text": r.text, "parent_id": r.parent_id,
                     "indicators": [{"id": i.pk, "text": i.text, "target": i.target,
                                     "realisations": [{"id": z.pk, "period": z.period,
                                                       "realisation": z.realisation,
                                                       "evidence": z.evidence,
                                                       "evidence_file": evidence_out(z)}
                                                      for z in i.realisations.all()]}
                                    for i in r.indicators.all()]}
                    for r in skp.results.prefetch_related("indicators__realisations")],
        "follow_ups": [{"reason": f.reason, "proposal": f.proposal, "training": f.training,
                        "programmes": f.programmes} for f in skp.follow_ups.all()],
    }


def _skp(user: Any, skp_id: int) -> Skp:
    skp = actions.visible_skps(user).filter(pk=skp_id).first()
    if skp is None:
        raise DomainError("not_found")
    return skp


@router.get("/skp", response={200: list[SkpOut], **ERRORS})
def list_skp(request: HttpRequest, year: int | None = None) -> Any:
    """SKPs the caller may see: their own, those they supervise, and (HR roles) those in scope."""
    user = api_user(request)
    qs = actions.visible_skps(user).order_by("-year", "id")
    if year:
        qs = qs.filter(year=year)
    return [skp_out(s) for s in qs[:500]]


@router.post("/skp", response={201: SkpOut, **WRITE_ERRORS})
def create_skp(request: HttpRequest, payload: SkpIn) -> Any:
    user = api_user(request)
    person = _person(user, payload.person_id)
    sup = Person.objects.filter(pk=payload.supervisor_id).first() \
        if payload.supervisor_id else None
    second = Person.objects.filter(pk=payload.second_supervisor_id).first() \
        if payload.second_supervisor_id else None
    if payload.supervisor_id and sup is None:
        raise DomainError("not_found", field="supervisor_id")
    skp = actions.do_create_skp(actor=user, channel=API, person=person, year=payload.year,
                                supervisor=sup, second_supervisor=second)
    return Status(201, skp_out(skp))


@router.get("/skp/{int:skp_id}", response={200: SkpOut, **ERRORS})
def get_skp(request: HttpRequest, skp_id: int) -> Any:
    return skp_out(_skp(api_user(request), skp_id))


@router.post("/skp/{int:skp_id}/results", response={201: SkpOut, **ERRORS})
def add_result(request: HttpRequest, skp_id: int, payload: ResultIn) -> Any:
    user = api_user(request)
    skp = _skp(user, skp_id)
    parent = SkpResult.objects.filter(pk=payload.parent_id).select_related("skp").first() \
        if payload.parent_id else None
    actions.do_add_result(actor=user, channel=API, skp=skp, text=payload.text,
                          indicators=[(i.text, i.target) for i in payload.indicators],
                          parent=parent)
    return Status(201, skp_out(skp))


@router.post("/skp/{int:skp_id}/realisations", response={201: SkpOut, **ERRORS})
def add_realisation(request: HttpRequest, skp_id: int, payload: RealisationIn) -> Any:
    user = api_user(request)
    skp = _skp(user, skp_id)
    indicator = SkpIndicator.objects.filter(result__skp=skp, pk=payload.indicator_id).first()
    if indicator is None:
        raise DomainError("not_found", field="indicator_id")
    actions.do_add_realisation(actor=user, channel=API, indicator=indicator,
                               period=payload.period, realisation=payload.realisation,
                               evidence=payload.evidence)
    return Status(201, skp_out(skp))


def _realisation(user: Any, realisation_id: int) -> SkpRealisation:
    row = SkpRealisation.objects.select_related("indicator__result__skp").filter(
        pk=realisation_id, indicator__result__skp__in=actions.visible_skps(user)).first()
    if row is None:
        raise DomainError("not_found")
    return row


@router.post("/skp/realisations/{int:realisation_id}/evidence",
             response={201: dict[str, Any], **ERRORS})
def upload_evidence(request: HttpRequest, realisation_id: int,
                    file: UploadedFile = File(...)) -> Any:  # noqa: B008
    """Upload (or replace) a realisation's evidence file (multipart ``file``): PDF, DOCX, DOC,
    ODT, XLSX, JPG or PNG, checked by content, at most 10 MB; while the SKP is a draft, by the
    person, a supervisor or HR in scope."""
    from sdmkesos.partnerships.actions import MAX_DOCUMENT_BYTES, too_large

    user = api_user(request)
    row = _realisation(user, realisation_id)
    if file.size and file.size > MAX_DOCUMENT_BYTES:
        raise too_large(file.size)
    row = actions.do_attach_evidence(actor=user, channel=API, realisation=row,
                                     name=file.name or "", content=file.read())
    return Status(201, evidence_out(row))


@router.get("/skp/realisations/{int:realisation_id}/evidence", response={200: None, **ERRORS})
def download_evidence(request: HttpRequest, realisation_id: int) -> Any:
    """The evidence file, for the person, the supervisors and HR roles in scope (404 for
    anyone else)."""
    row = _realisation(api_user(request), realisation_id)
    if not row.evidence_file:
        raise DomainError("not_found")
    response = FileResponse(row.evidence_file.open("rb"), as_attachment=True,
                            filename=row.evidence_name or "bukti",
                            content_type=row.evidence_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/skp/{int:skp_id}/evaluate", response={200: SkpOut, **ERRORS})
def evaluate(request: HttpRequest, skp_id: int, payload: EvaluationIn) -> Any:
    """The supervisor rates results and behaviour (below / meeting / above)."""
    user = api_user(request)
    skp = _skp(user, skp_id)
    actions.do_evaluate(actor=user, channel=API, skp=skp, results_rating=payload.results_rating,
                        behaviour_rating=payload.behaviour_rating,
                        behaviours={k: (v, "") for k, v in payload.behaviours.items()},
                        note=payload.note)
    return skp_out(skp)


@router.post("/skp/{int:skp_id}/acknowledge", response={200: SkpOut, **ERRORS})
def acknowledge(request: HttpRequest, skp_id: int) -> Any:
    user = api_user(request)
    skp = _skp(user, skp_id)
    actions.do_acknowledge(actor=user, channel=API, skp=skp)
    return skp_out(skp)
