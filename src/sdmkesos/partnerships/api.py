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
from .models import (
    ActionItem,
    Agreement,
    Appointment,
    DeliveryLink,
    Letter,
    LetterTemplate,
    Meeting,
    MeetingSession,
    Notification,
    PactText,
    Resolution,
)

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
    party_id: int | None = Field(None, description="the agreement party whose funding paid")


class DeliveryLinkIn(Schema):
    target: str = Field(..., description="batch (training batch), scheme (scholarship intake), "
                                         "placement (field practice) or event (assessment "
                                         "event of the certification app)")
    record_id: int = Field(..., description="id of the record in its own app")
    party_id: int | None = Field(None, description="the agreement party whose funding paid")
    budget: Decimal | None = Field(None, ge=0, description="budget realised; empty: computed "
                                                           "from the record")
    note: str = Field("", max_length=255)


class LinkedOut(Schema):
    id: int
    kind: str
    title: str
    target_id: int
    year: int | None
    party: str | None
    people: int
    budget: Decimal
    budget_given: bool


class PartyYearOut(Schema):
    party: str | None
    year: int | None
    funded: Decimal
    realised: Decimal
    people: dict[str, int]
    people_total: int


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
    linked: int = 0
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
    linked: list[LinkedOut]
    by_party_year: list[PartyYearOut]
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


class ActionDetail(ActionOut):
    description: str
    completed_on: dt.date | None
    followups: list[FollowUpOut]
    letters: list[int]


class ActionPage(Schema):
    items: list[ActionOut]
    count: int


class ActionQuery(PageQuery):
    status: str | None = Field(None, description="open, in_progress, done, cancelled, overdue")
    region: str | None = Field(None, max_length=13)
    owner: str | None = Field(None, description="owner organisation code")


class ActionPatch(Schema):
    title: str | None = Field(None, max_length=300)
    description: str | None = None
    responsible: str | None = Field(None, max_length=200)
    owners: list[str] | None = Field(None, description="owner organisation codes")
    status: str | None = None
    evidence: str | None = None
    evidence_url: str | None = None
    due_date: dt.date | None = None
    completed_on: dt.date | None = None
    note: str = Field("", description="a follow-up note (kept with author and time)")


class ActionIn(Schema):
    title: str = Field(..., max_length=300)
    description: str = ""
    responsible: str = Field("", max_length=200)
    responsible_user: str | None = Field(None, description="user name of the responsible "
                                                           "account")
    due_date: dt.date | None = None
    owners: list[str] = Field(..., description="owner organisation codes (at least one)")


class FollowUpIn(Schema):
    note: str = Field(..., min_length=1)


class FollowUpOut(Schema):
    at: dt.datetime
    author: str | None
    text: str
    status_from: str
    status_to: str


class MeetingIn(Schema):
    kind: str = "rakor"
    title: str = Field(..., max_length=300)
    organiser: str = Field(..., description="organisation code")
    start_date: dt.date
    end_date: dt.date
    venue: str = Field("", max_length=200)
    venue_region: str | None = None
    previous_id: int | None = Field(None, description="default: the organiser's latest "
                                                      "earlier meeting")
    summary: str = ""
    regions: list[str] = Field([], description="regions the meeting covers (region codes)")


class MeetingPatch(Schema):
    kind: str | None = None
    title: str | None = Field(None, max_length=300)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    venue: str | None = Field(None, max_length=200)
    venue_region: str | None = None
    summary: str | None = None
    regions: list[str] | None = None


class SessionIn(Schema):
    kind: str = "panel"
    title: str = Field(..., max_length=300)
    date: dt.date | None = None
    facilitator: str = Field("", max_length=200)
    findings: str = ""


class SessionPatch(Schema):
    findings: str


class SessionOut(Schema):
    id: int
    kind: str
    title: str
    date: dt.date | None
    facilitator: str
    findings: str


class ResolutionIn(Schema):
    text: str = Field(..., min_length=1)
    session_id: int | None = None


class ResolutionOut(Schema):
    id: int
    meeting_id: int
    number: int
    text: str
    session_id: int | None


class ParticipantIn(Schema):
    name: str = ""
    position: str = ""
    organisation: str | None = Field(None, description="organisation code")
    organisation_name: str = ""
    region: str | None = None
    count: int = Field(1, ge=1)


class ParticipantsIn(Schema):
    rows: list[ParticipantIn] = Field(..., min_length=1)


class LetterIn(Schema):
    template: str = Field(..., description="template code or id")
    sender: str = Field(..., description="sender organisation code")
    recipients: list[str] = Field([], description="recipient organisation codes")
    recipient_names: list[str] = Field([], description="recipients without an organisation "
                                                       "in the tree (names)")
    signatory_name: str = Field(..., max_length=150)
    signatory_position: str = Field("", max_length=200)
    date: dt.date | None = None
    action_id: int | None = Field(None, description="log the letter against this action item")


class LetterOut(Schema):
    id: int
    number: str
    date: dt.date
    subject: str
    body: str
    sender: str
    action_id: int | None
    recipients: list[str]
    signatory_name: str
    signatory_position: str
    pdf_url: str


class LetterPage(Schema):
    items: list[LetterOut]
    count: int


class TemplateOut(Schema):
    id: int
    code: str
    name: str
    subject: str
    number_pattern: str


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
    sessions: list[SessionOut]
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
    linked = queries.linked_deliveries(a.links.all())
    return {**agreement_out(a), "summary": a.summary,
            "linked": linked, "by_party_year": queries.delivery_by_party_year(a, linked),
            "funding": [{"source": f.source, "year": f.year, "amount": f.amount,
                         "party": f.party.name if f.party else None, "note": f.note}
                        for f in a.funding.select_related("party")],
            "delivery": queries.delivery_summary(a, linked),
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
    data = payload.model_dump(exclude={"party_id"})
    data["party"] = _party(a, payload.party_id)
    d = actions.do_add_delivery(actor=user, channel=CHANNEL, agreement=a, data=data)
    row = next(r for r in queries.delivery_summary(a) if r["kind"] == d.kind)
    return Status(201, row)


def _party(a: Agreement, party_id: int | None) -> Any:
    if party_id is None:
        return None
    party = a.parties.filter(pk=party_id).first()
    if party is None:
        raise ValidationFailed([DomainError("invalid_value", field="party_id")])
    return party


@router.post("/agreements/{int:agreement_id}/links", response={201: LinkedOut, **ERRORS})
def link_delivery(request: HttpRequest, agreement_id: int, payload: DeliveryLinkIn) -> Any:
    """Link a record of the training or certification app (a batch, a scholarship intake, a
    field placement or an assessment event the caller may see) to the agreement it implements.
    People and budget are then computed from that record. A record implements one agreement."""
    user = api_user(request)
    a = _visible(Agreement, user, agreement_id)
    _require(user, CHANGE)
    model = actions.link_target_model(payload.target)
    record = model.objects.filter(pk=payload.record_id).first()
    link = actions.do_link_delivery(actor=user, channel=CHANNEL, agreement=a,
                                    target=payload.target, record=record,
                                    party=_party(a, payload.party_id), budget=payload.budget,
                                    note=payload.note)
    return Status(201, queries.linked_deliveries(DeliveryLink.objects.filter(pk=link.pk))[0])


@router.delete("/agreements/{int:agreement_id}/links/{int:link_id}",
               response={204: None, **ERRORS})
def unlink_delivery(request: HttpRequest, agreement_id: int, link_id: int) -> Any:
    user = api_user(request)
    a = _visible(Agreement, user, agreement_id)
    link = DeliveryLink.objects.filter(pk=link_id, agreement=a).first()
    if link is None:
        raise DomainError("not_found")
    _require(user, CHANGE)
    actions.do_unlink_delivery(actor=user, channel=CHANNEL, link=link)
    return Status(204, None)


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
            "sessions": [session_out(x) for x in m.sessions.all()],
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


@router.get("/actions/{int:action_id}", response={200: ActionDetail, **ERRORS})
def get_action(request: HttpRequest, action_id: int) -> Any:
    """An action item with its follow-up notes and the letters (ids) sent for it."""
    user = api_user(request)
    item = _visible(ActionItem, user, action_id)
    return action_detail_out(_actions_qs(user).get(pk=item.pk), user)


@router.patch("/actions/{int:action_id}", response={200: ActionOut, **ERRORS})
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch) -> Any:
    """Owners and the organiser update title, description, person responsible, owners,
    status, evidence and due date; ``note`` adds a follow-up note. Done needs evidence."""
    user = api_user(request)
    item = _visible(ActionItem, user, action_id)
    _require(user, CHANGE)
    data = payload.model_dump(exclude_unset=True, exclude={"note", "owners"})
    owners = ([_required_org(code, "owners") for code in payload.owners]
              if payload.owners is not None else None)
    actions.do_update_action(actor=user, channel=CHANNEL, item=item, data=data,
                             owners=owners, note=payload.note)
    return action_out(_actions_qs(user).get(pk=item.pk))


@router.post("/actions/{int:action_id}/followups", response={201: ActionDetail, **ERRORS})
def add_followup(request: HttpRequest, action_id: int, payload: FollowUpIn) -> Any:
    """A follow-up note on an action item (owners and the organiser)."""
    user = api_user(request)
    item = _visible(ActionItem, user, action_id)
    _require(user, CHANGE)
    actions.do_update_action(actor=user, channel=CHANNEL, item=item, data={},
                             note=payload.note)
    return Status(201, action_detail_out(_actions_qs(user).get(pk=item.pk), user))


# --- meeting writes --------------------------------------------------------------------------


def session_out(x: MeetingSession) -> dict[str, Any]:
    return {"id": x.pk, "kind": x.kind, "title": x.title, "date": x.date,
            "facilitator": x.facilitator, "findings": x.findings}


def resolution_out(r: Resolution) -> dict[str, Any]:
    return {"id": r.pk, "meeting_id": r.meeting_id, "number": r.number, "text": r.text,
            "session_id": r.session_id}


def action_detail_out(item: ActionItem, user: Any) -> dict[str, Any]:
    return {**action_out(item), "description": item.description,
            "completed_on": item.completed_on,
            "followups": [{"at": f.at, "author": f.author.get_username() if f.author else None,
                           "text": f.text, "status_from": f.status_from,
                           "status_to": f.status_to}
                          for f in item.followups.select_related("author")],
            "letters": list(Letter.objects.restrict(user, VIEW).filter(action=item)
                            .values_list("pk", flat=True))}


def _required_org(code: str, field: str) -> Organisation:
    org = _org(code, field)
    if org is None:
        raise ValidationFailed([DomainError("required", field=field)])
    return org


def _choice(value: str | None, choices: Any, field: str) -> None:
    if value is not None and value not in choices.values:
        raise ValidationFailed([DomainError("invalid_value", field=field, value=value)])


def _meeting_regions(codes: list[str] | None) -> list[str] | None:
    if codes is None:
        return None
    return [r.code for r in (_region(c, "regions") for c in codes) if r is not None]


@router.post("/meetings", response={201: MeetingOut, **ERRORS})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    """Create a coordination meeting; the organiser must be in the caller's scope. ``regions``
    adds covered regions (participants' and owners' regions are added as they come)."""
    from .choices import MeetingKind

    user = api_user(request)
    _require(user, ADD)
    _choice(payload.kind, MeetingKind, "kind")
    data = payload.model_dump(exclude={"organiser", "venue_region", "previous_id", "regions"})
    data["organiser"] = _required_org(payload.organiser, "organiser")
    data["venue_region"] = _region(payload.venue_region, "venue_region")
    if payload.previous_id:
        data["previous"] = _visible(Meeting, user, payload.previous_id)
    m = actions.do_create_meeting(actor=user, channel=CHANNEL, data=data,
                                  regions=_meeting_regions(payload.regions) or [])
    return Status(201, meeting_out(m))


def _changeable_meeting(user: Any, meeting_id: int) -> Meeting:
    m = _visible(Meeting, user, meeting_id)
    _require(user, CHANGE)
    return m


@router.patch("/meetings/{int:meeting_id}", response={200: MeetingOut, **ERRORS})
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> Any:
    """Change a meeting (the organiser's side only)."""
    from .choices import MeetingKind

    user = api_user(request)
    m = _changeable_meeting(user, meeting_id)
    _choice(payload.kind, MeetingKind, "kind")
    data = payload.model_dump(exclude_unset=True, exclude={"venue_region", "regions"})
    if "venue_region" in payload.model_fields_set:
        data["venue_region"] = _region(payload.venue_region, "venue_region")
    actions.do_update_meeting(actor=user, channel=CHANNEL, meeting=m, data=data,
                              regions=_meeting_regions(payload.regions))
    return meeting_out(Meeting.objects.get(pk=m.pk))


@router.post("/meetings/{int:meeting_id}/sessions", response={201: SessionOut, **ERRORS})
def add_session(request: HttpRequest, meeting_id: int, payload: SessionIn) -> Any:
    """A session (plenary, panel, FGD) with its findings."""
    from .choices import SessionKind

    user = api_user(request)
    m = _changeable_meeting(user, meeting_id)
    _choice(payload.kind, SessionKind, "kind")
    row = actions.do_add_session(actor=user, channel=CHANNEL, meeting=m,
                                 data=payload.model_dump())
    return Status(201, session_out(row))


@router.patch("/sessions/{int:session_id}", response={200: SessionOut, **ERRORS})
def update_session(request: HttpRequest, session_id: int, payload: SessionPatch) -> Any:
    """Record a session's findings."""
    user = api_user(request)
    session = MeetingSession.objects.filter(
        pk=session_id, meeting__in=Meeting.objects.restrict(user, VIEW)).first()
    if session is None:
        raise DomainError("not_found")
    _require(user, CHANGE)
    actions.do_update_session_findings(actor=user, channel=CHANNEL, session=session,
                                       findings=payload.findings)
    session.refresh_from_db()
    return session_out(session)


@router.post("/meetings/{int:meeting_id}/participants", response={201: MeetingOut, **ERRORS})
def add_participants(request: HttpRequest, meeting_id: int, payload: ParticipantsIn) -> Any:
    """Participants: people, or a number of people per organisation and region."""
    user = api_user(request)
    m = _changeable_meeting(user, meeting_id)
    rows = [{**r.model_dump(exclude={"organisation", "region"}),
             "organisation": _org(r.organisation, "rows.organisation"),
             "region": _region(r.region, "rows.region")} for r in payload.rows]
    actions.do_add_participants(actor=user, channel=CHANNEL, meeting=m, rows=rows)
    return Status(201, meeting_out(m))


@router.post("/meetings/{int:meeting_id}/resolutions", response={201: ResolutionOut, **ERRORS})
def add_resolution(request: HttpRequest, meeting_id: int, payload: ResolutionIn) -> Any:
    """A resolution (kesepakatan), numbered in order."""
    user = api_user(request)
    m = _changeable_meeting(user, meeting_id)
    session = None
    if payload.session_id is not None:
        session = m.sessions.filter(pk=payload.session_id).first()
        if session is None:
            raise ValidationFailed([DomainError("invalid_value", field="session_id")])
    row = actions.do_add_resolution(actor=user, channel=CHANNEL, meeting=m, text=payload.text,
                                    session=session)
    return Status(201, resolution_out(row))


@router.post("/resolutions/{int:resolution_id}/actions", response={201: ActionOut, **ERRORS})
def create_action(request: HttpRequest, resolution_id: int, payload: ActionIn) -> Any:
    """An action item of a resolution: owner organisations, person responsible, due date."""
    from sdmkesos.core.models import User

    user = api_user(request)
    res = Resolution.objects.filter(
        pk=resolution_id, meeting__in=Meeting.objects.restrict(user, VIEW)).first()
    if res is None:
        raise DomainError("not_found")
    _require(user, CHANGE)
    data = payload.model_dump(exclude={"owners", "responsible_user"})
    if payload.responsible_user:
        account = User.objects.filter(username=payload.responsible_user, is_active=True).first()
        if account is None:
            raise ValidationFailed([DomainError("invalid_value", field="responsible_user")])
        data["responsible_user"] = account
    owners = [_required_org(code, "owners") for code in payload.owners]
    item = actions.do_create_action(actor=user, channel=CHANNEL, resolution=res, data=data,
                                    owners=owners)
    return Status(201, action_out(_actions_qs(user).get(pk=item.pk)))


# --- letters ---------------------------------------------------------------------------------


def letter_out(x: Letter) -> dict[str, Any]:
    from django.urls import reverse

    return {"id": x.pk, "number": x.number, "date": x.date, "subject": x.subject,
            "body": x.body, "sender": x.sender.code, "action_id": x.action_id,
            "recipients": [r.name for r in x.recipients.all()],
            "signatory_name": x.signatory_name, "signatory_position": x.signatory_position,
            "pdf_url": reverse("api:partnerships_letter_pdf", kwargs={"letter_id": x.pk})}


@router.get("/letter-templates", response={200: list[TemplateOut], **ERRORS})
def list_letter_templates(request: HttpRequest) -> Any:
    api_user(request)
    return [{"id": t.pk, "code": t.code, "name": t.name, "subject": t.subject,
             "number_pattern": t.number_pattern} for t in LetterTemplate.objects.all()]


@router.get("/letters", response={200: LetterPage, **ERRORS})
def list_letters(request: HttpRequest, filters: Query[PageQuery],
                 action_id: int | None = None) -> Any:
    """Letters the caller may see (sender's scope, and the owners of the action item)."""
    user = api_user(request)
    qs = Letter.objects.restrict(user, VIEW).select_related("sender").prefetch_related(
        "recipients")
    if action_id is not None:
        qs = qs.filter(action_id=action_id)
    rows, count = page(qs.order_by("-date", "-id"), filters.limit, filters.offset)
    return {"items": [letter_out(x) for x in rows], "count": count}


@router.post("/letters", response={201: LetterOut, **ERRORS})
def create_letter(request: HttpRequest, payload: LetterIn) -> Any:
    """One numbered letter from a template to many organisations (one PDF page each); with
    ``action_id`` it is logged against that action item (owners and organiser only)."""
    user = api_user(request)
    _require(user, ADD)
    item = _visible(ActionItem, user, payload.action_id) if payload.action_id else None
    key = payload.template.strip()
    template = (LetterTemplate.objects.filter(pk=int(key)).first() if key.isdigit()
                else LetterTemplate.objects.filter(code=key).first())
    if template is None:
        raise ValidationFailed([DomainError("unknown_code", field="template", value=key,
                                            name="template")])
    recipients: list[Organisation | str] = [
        _required_org(code, "recipients") for code in payload.recipients]
    recipients += [n.strip() for n in payload.recipient_names if n.strip()]
    letter = actions.do_create_letter(
        actor=user, channel=CHANNEL, template=template,
        sender=_required_org(payload.sender, "sender"), recipients=recipients,
        signatory_name=payload.signatory_name, signatory_position=payload.signatory_position,
        date=payload.date, action=item)
    return Status(201, letter_out(letter))


def _visible_letter(user: Any, letter_id: int) -> Letter:
    letter = (Letter.objects.restrict(user, VIEW).select_related("sender")
              .prefetch_related("recipients").filter(pk=letter_id).first())
    if letter is None:
        raise DomainError("not_found")
    return letter


@router.get("/letters/{int:letter_id}", response={200: LetterOut, **ERRORS})
def get_letter(request: HttpRequest, letter_id: int) -> Any:
    return letter_out(_visible_letter(api_user(request), letter_id))


@router.get("/letters/{int:letter_id}/pdf", url_name="partnerships_letter_pdf",
            response={200: None, **ERRORS})
def letter_pdf(request: HttpRequest, letter_id: int) -> Any:
    """The letter as PDF (one page per recipient)."""
    from django.http import HttpResponse

    from .pdf import letter_pdf as render_pdf

    letter = _visible_letter(api_user(request), letter_id)
    response = HttpResponse(render_pdf(letter), content_type="application/pdf")
    safe = "".join(c if c.isalnum() else "-" for c in letter.number)
    response["Content-Disposition"] = f'attachment; filename="surat-{safe}.pdf"'
    return response


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
