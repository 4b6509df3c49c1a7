"""API endpoints of the partnerships app, mounted under /api/v1/partnerships/.

Reads go through ``restrict(user, "view")``; writes through ``partnerships.actions`` with channel
``api``. A record outside the caller's scope is a 404 (its existence is not revealed); a write by a
read-only role is a 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sdmkesos.core.api import ERRORS, PageQuery, api_user, page
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import Organisation, Region
from sdmkesos.core.scoping import ADD, CHANGE, VIEW, can, region_q

from . import actions, queries
from .models import ActionItem, Agreement, Appointment, Meeting, Notification, PactText

router = Router(tags=["partnerships"])
CHANNEL = Channel.API

# --- schemas ---------------------------------------------------------------------------------


class PartyIn(Schema):
    organisation: str | None = Field(None, description="organisation code or id")
    name: str = ""
    region: str | None = Field(None, description="region code, for parties without an "
                                                 "organisation (e.g. a provincial government)")
    signatory_name: str = ""
    signatory_position: str = ""
    obligations: str = ""


class AgreementIn(Schema):
    kind: str = Field(..., description="mou or pks")
    number: str = Field(..., max_length=120)
    title: str = Field(..., max_length=300)
    parent_id: int | None = None
    summary: str = ""
    scopes: list[str] = []
    signing_date: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    parties: list[PartyIn] = []


class AgreementPatch(Schema):
    number: str | None = None
    title: str | None = None
    summary: str | None = None
    scopes: list[str] | None = None
    signing_date: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class SignIn(Schema):
    signing_date: dt.date
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class ExtendIn(Schema):
    new_end_date: dt.date


class TerminateIn(Schema):
    reason: str


class DeliveryIn(Schema):
    kind: str
    title: str
    date: dt.date | None = None
    people: int = Field(0, ge=0)
    budget: Decimal = Field(Decimal(0), ge=0)
    reference_id: str = ""
    reference_url: str = ""
    note: str = ""


class PartyOut(Schema):
    name: str
    organisation: str | None
    region: str | None
    signatory_name: str
    signatory_position: str
    obligations: str


class AgreementOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    parent_id: int | None
    scopes: list[str]
    signing_date: dt.date | None
    start_date: dt.date | None
    end_date: dt.date | None
    state: str
    status: str
    parties: list[PartyOut]


class DeliveryRow(Schema):
    kind: str
    label: str
    planned_people: int
    delivered_people: int
    activities: int
    planned_budget: Decimal
    delivered_budget: Decimal
    ratio: float | None


class FundingOut(Schema):
    source: str
    year: int
    amount: Decimal
    party: str | None
    note: str


class ResearchOut(Schema):
    title: str
    status: str
    findings: str
    recommendations: str
    recommendations_sent_on: dt.date | None


class AgreementDetail(AgreementOut):
    summary: str
    funding: list[FundingOut]
    delivery: list[DeliveryRow]
    research: list[ResearchOut]
    documents: list[dict[str, Any]]


class AgreementPage(Schema):
    items: list[AgreementOut]
    count: int


class AgreementQuery(PageQuery):
    q: str | None = Field(None, max_length=100)
    kind: str | None = None
    status: str | None = None
    region: str | None = Field(None, max_length=13)


class OwnerOut(Schema):
    organisation: str
    region: str | None


class ActionOut(Schema):
    id: int
    meeting_id: int
    resolution: int
    title: str
    owners: list[OwnerOut]
    responsible: str
    due_date: dt.date | None
    status: str
    overdue: bool
    evidence: str
    evidence_url: str


class ActionPage(Schema):
    items: list[ActionOut]
    count: int


class ActionQuery(PageQuery):
    status: str | None = Field(None, description="open, in_progress, done, cancelled, overdue")
    region: str | None = Field(None, max_length=13)
    owner: str | None = Field(None, description="owner organisation code")


class ActionPatch(Schema):
    status: str | None = None
    evidence: str | None = None
    evidence_url: str | None = None
    due_date: dt.date | None = None
    note: str = ""


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    organiser: str
    start_date: dt.date
    end_date: dt.date
    venue: str
    previous_id: int | None
    participants: int


class MeetingDetail(MeetingOut):
    sessions: list[dict[str, Any]]
    resolutions: list[dict[str, Any]]
    previous_actions: list[ActionOut]


class MeetingPage(Schema):
    items: list[MeetingOut]
    count: int


class AppointmentOut(Schema):
    id: int
    official_name: str
    position: str
    organisation: str
    decree_number: str
    decree_date: dt.date
    appointed_on: dt.date
    signed_current: bool


class AppointmentPage(Schema):
    items: list[AppointmentOut]
    count: int
    pact_version: int | None


class AppointmentQuery(PageQuery):
    unsigned: bool = False


class SignPactIn(Schema):
    sha256: str = Field(..., description="SHA-256 of the statement text the official read")


class SignatureOut(Schema):
    appointment_id: int
    version: int
    signed_at: dt.datetime
    text_sha256: str
    signature_sha256: str
    verified: bool


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read: bool


# --- helpers ---------------------------------------------------------------------------------


def _require(user: Any, action: str) -> None:
    if not can(user, action):
        raise DomainError("forbidden")


def _visible(model: Any, user: Any, pk: int) -> Any:
    obj = model.objects.restrict(user, VIEW).filter(pk=pk).first()
    if obj is None:
        raise DomainError("not_found")
    return obj


def _org(key: str | None, field: str) -> Organisation | None:
    if not key:
        return None
    text = str(key).strip()
    org = (Organisation.objects.filter(pk=int(text)).first() if text.isdigit()
           else Organisation.objects.filter(code=text).first())
    if org is None:
        raise ValidationFailed([DomainError("unknown_code", field=field, value=text,
                                            name=field)])
    return org


def _region(code: str | None, field: str) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ValidationFailed([DomainError("unknown_region", field=field, value=code)])
    return region


def agreement_out(a: Agreement) -> dict[str, Any]:
    return {"id": a.pk, "kind": a.kind, "number": a.number, "title": a.title,
            "parent_id": a.parent_id, "scopes": a.scopes or [], "signing_date": a.signing_date,
            "start_date": a.start_date, "end_date": a.end_date, "state": a.state,
            "status": a.status,
            "parties": [{"name": p.name, "organisation": p.organisation.code
                         if p.organisation else None, "region": p.region_id,
                         "signatory_name": p.signatory_name,
                         "signatory_position": p.signatory_position,
                         "obligations": p.obligations} for p in a.parties.all()]}


def agreement_detail_out(a: Agreement) -> dict[str, Any]:
    return {**agreement_out(a), "summary": a.summary,
            "funding": [{"source": f.source, "year": f.year, "amount": f.amount,
                         "party": f.party.name if f.party else None, "note": f.note}
                        for f in a.funding.select_related("party")],
            "delivery": queries.delivery_summary(a),
            "research": [{"title": r.title, "status": r.status, "findings": r.findings,
                          "recommendations": r.recommendations,
                          "recommendations_sent_on": r.recommendations_sent_on}
                         for r in a.research.all()],
            "documents": [{"id": d.pk, "name": d.original_name, "type": d.doc_type,
                           "size": d.size, "sha256": d.sha256} for d in a.documents.all()]}


def action_out(item: ActionItem) -> dict[str, Any]:
    return {"id": item.pk, "meeting_id": item.resolution.meeting_id,
            "resolution": item.resolution.number, "title": item.title,
            "owners": [{"organisation": o.organisation.code, "region": o.region_id}
                       for o in item.owners.all()],
            "responsible": item.responsible, "due_date": item.due_date, "status": item.status,
            "overdue": item.is_overdue(), "evidence": item.evidence,
            "evidence_url": item.evidence_url}


def _actions_qs(user: Any) -> Any:
    return (ActionItem.objects.restrict(user, VIEW).select_related("resolution")
            .prefetch_related("owners__organisation"))


# --- agreements ------------------------------------------------------------------------------


@router.get("/agreements", response={200: AgreementPage, **ERRORS})
def list_agreements(request: HttpRequest, filters: Query[AgreementQuery]) -> Any:
    """Agreements in the caller's scope (any party in scope), newest signing first."""
    user = api_user(request)
    qs = Agreement.objects.restrict(user, VIEW)
    if filters.q:
        qs = qs.filter(Q(number__icontains=filters.q) | Q(title__icontains=filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region:
        qs = qs.filter(pk__in=Agreement.objects.filter(
            region_q(Agreement.scope, (filters.region,))).values("pk"))
    rows, count = page(qs.prefetch_related("parties__organisation").order_by(
        "-signing_date", "-id"), filters.limit, filters.offset)
    return {"items": [agreement_out(a) for a in rows], "count": count}


@router.post("/agreements", response={201: AgreementOut, **ERRORS})
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Any:
    """Create a draft agreement with its parties (at least one in the caller's scope)."""
    user = api_user(request)
    _require(user, ADD)
    data = payload.model_dump(exclude={"parties", "parent_id"})
    if payload.parent_id:
        data["parent"] = _visible(Agreement, user, payload.parent_id)
    parties = [{**p.model_dump(exclude={"organisation", "region"}),
                "organisation": _org(p.organisation, "parties.organisation"),
                "region": _region(p.region, "parties.region")} for p in payload.parties]
    a = actions.do_create_agreement(actor=user, channel=CHANNEL, data=data, parties=parties)
    return Status(201, agreement_out(a))


@router.get("/agreements/{int:agreement_id}", response={200: AgreementDetail, **ERRORS})
def get_agreement(request: HttpRequest, agreement_id: int) -> Any:
    """One agreement with its funding, planned vs delivered, research and documents."""
    return agreement_detail_out(_visible(Agreement, api_user(request), agreement_id))


@router.patch("/agreements/{int:agreement_id}", response={200: AgreementOut, **ERRORS})
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatch) -> Any:
    user = api_user(request)
    a = _visible(Agreement, user, agreement_id)
    _require(user, CHANGE)
    actions.do_update_agreement(actor=user, channel=CHANNEL, agreement=a,
                                data=payload.model_dump(exclude_unset=True))
    return agreement_out(a)


@router.post("/agreements/{int:agreement_id}/sign", response={200: AgreementOut, **ERRORS})
def sign_agreement(request: HttpRequest, agreement_id: int, payload: SignIn) -> Any:
    user = api_user(request)
    a = _visible(Agreement, user, agreement_id)
    _require(user, CHANGE)
    actions.do_sign_agreement(actor=user, channel=CHANNEL, agreement=a, **payload.model_dump())
    return agreement_out(a)


@router.post("/agreements/{int:agreement_id}/extend", response={200: AgreementOut, **ERRORS})
def extend_agreement(request: HttpRequest, agreement_id: int, payload: ExtendIn) -> Any:
    user = api_user(request)
    a = _visible(Agreement, user, agreement_id)
    _require(user, CHANGE)
    actions.do_extend_agreement(actor=user, channel=CHANNEL, agreement=a,
                                new_end_date=payload.new_end_date)
    return agreement_out(a)


@router.post("/agreements/{int:agreement_id}/terminate",
             response={200: AgreementOut, **ERRORS})
def terminate_agreement(request: HttpRequest, agreement_id: int, payload: TerminateIn) -> Any:
    user = api_user(request)
    a = _visible(Agreement, user, agreement_id)
    _require(user, CHANGE)
    actions.do_terminate_agreement(actor=user, channel=CHANNEL, agreement=a,
                                   reason=payload.reason)
    return agreement_out(a)


@router.post("/agreements/{int:agreement_id}/deliveries",
             response={201: DeliveryRow, **ERRORS})
def add_delivery(request: HttpRequest, agreement_id: int, payload: DeliveryIn) -> Any:
    """Record what was delivered under the agreement (a training batch, scholarships, ...);
    ``reference_id``/``reference_url`` point at the record in its own app. Returns the updated
    planned-vs-delivered row of that kind."""
    user = api_user(request)
    a = _visible(Agreement, user, agreement_id)
    _require(user, CHANGE)
    d = actions.do_add_delivery(actor=user, channel=CHANNEL, agreement=a,
                                data=payload.model_dump())
    row = next(r for r in queries.delivery_summary(a) if r["kind"] == d.kind)
    return Status(201, row)


# --- meetings and action items ---------------------------------------------------------------


def meeting_out(m: Meeting) -> dict[str, Any]:
    return {"id": m.pk, "kind": m.kind, "title": m.title, "organiser": m.organiser.code,
            "start_date": m.start_date, "end_date": m.end_date, "venue": m.venue,
            "previous_id": m.previous_id,
            "participants": sum(p.count for p in m.participants.all())}


@router.get("/meetings", response={200: MeetingPage, **ERRORS})
def list_meetings(request: HttpRequest, paging: Query[PageQuery]) -> Any:
    user = api_user(request)
    qs = Meeting.objects.restrict(user, VIEW).select_related("organiser").prefetch_related(
        "participants").order_by("-start_date", "-id")
    rows, count = page(qs, paging.limit, paging.offset)
    return {"items": [meeting_out(m) for m in rows], "count": count}


@router.get("/meetings/{int:meeting_id}", response={200: MeetingDetail, **ERRORS})
def get_meeting(request: HttpRequest, meeting_id: int) -> Any:
    """A meeting with its sessions, resolutions (with the visible action ids) and the status of
    the previous meeting's action items."""
    user = api_user(request)
    m = _visible(Meeting, user, meeting_id)
    visible = set(ActionItem.objects.restrict(user, VIEW).filter(
        resolution__meeting=m).values_list("pk", flat=True))
    return {**meeting_out(m),
            "sessions": [{"kind": s.kind, "title": s.title, "findings": s.findings}
                         for s in m.sessions.all()],
            "resolutions": [{"number": r.number, "text": r.text,
                             "actions": [a.pk for a in r.actions.all() if a.pk in visible]}
                            for r in m.resolutions.prefetch_related("actions")],
            "previous_actions": [action_out(i) for i in queries.previous_actions(m, user)]}


@router.get("/actions", response={200: ActionPage, **ERRORS})
def list_actions(request: HttpRequest, filters: Query[ActionQuery]) -> Any:
    """Action items in scope (owners, or the meeting), by due date."""
    user = api_user(request)
    qs = _actions_qs(user)
    if filters.status == "overdue":
        qs = qs.filter(queries.overdue_q())
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region:
        qs = qs.filter(pk__in=ActionItem.objects.filter(
            region_q(ActionItem.scope, (filters.region,))).values("pk"))
    if filters.owner:
        qs = qs.filter(pk__in=ActionItem.objects.filter(
            owners__organisation__code=filters.owner).values("pk"))
    rows, count = page(qs.order_by("due_date", "id"), filters.limit, filters.offset)
    return {"items": [action_out(i) for i in rows], "count": count}


@router.patch("/actions/{int:action_id}", response={200: ActionOut, **ERRORS})
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch) -> Any:
    """Owners and the organiser update status, evidence and due date; ``note`` adds a
    follow-up note. Done needs evidence."""
    user = api_user(request)
    item = _visible(ActionItem, user, action_id)
    _require(user, CHANGE)
    data = payload.model_dump(exclude_unset=True, exclude={"note"})
    actions.do_update_action(actor=user, channel=CHANNEL, item=item, data=data,
                             note=payload.note)
    return action_out(_actions_qs(user).get(pk=item.pk))


# --- appointments, pacts, dashboard, notifications -------------------------------------------


@router.get("/appointments", response={200: AppointmentPage, **ERRORS})
def list_appointments(request: HttpRequest, filters: Query[AppointmentQuery]) -> Any:
    """Appointments in scope; ``unsigned=true``: officials who have not signed the current
    integrity pact text."""
    user = api_user(request)
    text = PactText.current()
    qs = (queries.pending_signatures(user) if filters.unsigned
          else Appointment.objects.restrict(user, VIEW).select_related("organisation"))
    rows, count = page(qs.order_by("-appointed_on", "-id"), filters.limit, filters.offset)
    signed = set(text.signatures.values_list("appointment_id", flat=True)) if text else set()
    return {"items": [{"id": a.pk, "official_name": a.official_name, "position": a.position,
                       "organisation": a.organisation.code, "decree_number": a.decree_number,
                       "decree_date": a.decree_date, "appointed_on": a.appointed_on,
                       "signed_current": a.pk in signed} for a in rows],
            "count": count, "pact_version": text.version if text else None}


@router.post("/appointments/{int:appointment_id}/sign",
             response={201: SignatureOut, **ERRORS})
def sign_pact(request: HttpRequest, appointment_id: int, payload: SignPactIn) -> Any:
    """The appointed official (only that account) signs the current pact text."""
    user = api_user(request)
    ap = _visible(Appointment, user, appointment_id)
    try:
        sig = actions.do_sign_pact(actor=user, channel=CHANNEL, appointment=ap,
                                   shown_sha256=payload.sha256)
    except DomainError as err:
        if err.code == "not_the_official":
            raise DomainError("forbidden", message=err.message) from err
        raise
    return Status(201, {"appointment_id": ap.pk, "version": sig.text.version,
                        "signed_at": sig.signed_at, "text_sha256": sig.text_sha256,
                        "signature_sha256": sig.signature_sha256,
                        "verified": actions.verify_signature(sig)})


@router.get("/dashboard", response={200: dict[str, Any], **ERRORS})
def dashboard(request: HttpRequest) -> Any:
    """Agreements by status and delivery vs plan; action items open/overdue/done; by
    province. All within the caller's scope."""
    return queries.dashboard(api_user(request))


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
def notifications(request: HttpRequest) -> Any:
    """The caller's own notifications, newest first (at most 200)."""
    user = api_user(request)
    return [{"id": n.pk, "kind": n.kind, "title": n.title, "body": n.body, "url": n.url,
             "created_at": n.created_at, "read": n.read_at is not None}
            for n in Notification.objects.filter(user=user)[:200]]
