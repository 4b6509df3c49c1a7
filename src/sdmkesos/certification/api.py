"""API endpoints of the certification app, mounted under /api/v1/certification/.

Public (no authentication, rate-limited): ``GET /verify/{public_id}`` and ``POST /verify``
(body: a credential). Everything else needs a token or session and reads through
``restrict``; writes go through ``certification.actions`` with channel ``api``.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from sdmkesos.core.api import ERRORS, PageQuery, api_user, page
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import Organisation, User
from sdmkesos.core.scoping import VIEW
from sdmkesos.people.models import Person

from . import actions, conf, evidence, public_views, ratelimit, reports, verification
from .models import (
    Application,
    AssessmentEvent,
    Assessor,
    Certificate,
    CompletionCredential,
    Scheme,
)

router = Router(tags=["certification"])
CHANNEL = Channel.API


def _throttle(request: HttpRequest) -> None:
    if not ratelimit.allow(request):
        raise HttpError(429, "Terlalu banyak permintaan verifikasi; coba lagi nanti.")


class VerifyOut(Schema):
    verified: bool
    state: str
    certificate: dict[str, Any]
    checks: dict[str, Any]


@router.get("/verify/{public_id}", auth=None, response={200: VerifyOut, **ERRORS, 429: Any})
def verify_by_id(request: HttpRequest, public_id: str) -> Any:
    """Verify a certificate of this service by its public code (as on the QR code)."""
    _throttle(request)
    entry = verification.by_public_id(public_id)
    if entry is None:
        raise DomainError("not_found")
    return {"verified": entry.verified, "state": entry.state, "certificate": entry.info,
            "checks": entry.result["checks"]}


@router.post("/verify", auth=None, response={200: VerifyOut, **ERRORS, 429: Any},
             openapi_extra={"requestBody": {"content": {"application/json": {
                 "schema": {"type": "object"}}}, "required": True}})
def verify_posted(request: HttpRequest) -> Any:
    """Verify a credential given as the JSON body (any eddsa-jcs-2022 credential from a did:key
    issuer, or one of this service). At most 256 KB."""
    _throttle(request)
    if len(request.body) > public_views.MAX_UPLOAD:
        raise DomainError("too_large", field="body", message="Kredensial melebihi 256 KB.")
    try:
        credential = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DomainError("invalid_json", field="body",
                          message=f"Bukan JSON yang valid: {exc}") from None
    out = public_views.outcome(credential)
    return {"verified": out["verified"], "state": out["state"], "certificate": out["info"],
            "checks": out["result"]["checks"]}


# -- schemes --------------------------------------------------------------------------------

def scheme_out(s: Scheme) -> dict[str, Any]:
    return {"code": s.code, "name": s.name, "category": s.category_code,
            "validity_years": s.validity_years, "eligibility": s.eligibility,
            "needs_confirmation": s.needs_confirmation,
            "units": [{"code": u.code, "title": u.title} for u in s.units.all()]}


@router.get("/schemes", response={200: list[dict[str, Any]], **ERRORS})
def list_schemes(request: HttpRequest) -> Any:
    user = api_user(request)
    return [scheme_out(s) for s in Scheme.objects.restrict(user, VIEW)
            .prefetch_related("units")]


# -- applications ---------------------------------------------------------------------------

def application_out(a: Application) -> dict[str, Any]:
    return {"id": a.pk, "person_id": a.person_id, "person": a.person.name,
            "scheme": a.scheme.code, "route": a.route, "status": a.status,
            "eligibility": a.eligibility_result, "event_id": a.event_id,
            "recommendation": a.recommendation or None, "decision": a.decision or None,
            "funding": a.funding, "fee": str(a.fee), "previous_id": a.previous_id,
            "created_at": a.created_at.isoformat()}


class ApplicationIn(Schema):
    person_id: int
    scheme: str
    route: str = "nominated"
    supervisor_id: int | None = None
    practice_hours: int = 0
    trainings: list[str] = []
    is_member: bool = False
    funding: str = "apbn"
    fee: Decimal = Decimal(0)


@router.get("/applications", response={200: dict[str, Any], **ERRORS})
def list_applications(request: HttpRequest, paging: Query[PageQuery],
                      status: str | None = None) -> Any:
    user = api_user(request)
    qs = Application.objects.restrict(user, VIEW).select_related("person", "scheme")
    if status:
        qs = qs.filter(status=status)
    items, total = page(qs, paging.limit, paging.offset)
    return {"count": total, "items": [application_out(a) for a in items]}


@router.post("/applications", response={201: dict[str, Any], **ERRORS})
def create_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    user = api_user(request)
    person = Person.objects.restrict(user, VIEW).filter(pk=payload.person_id).first()
    if person is None:
        raise DomainError("not_found", field="person_id")
    scheme = Scheme.objects.filter(code=payload.scheme).first()
    if scheme is None:
        raise DomainError("unknown_code", field="scheme", value=payload.scheme, name="skema")
    supervisor = None
    if payload.supervisor_id is not None:
        supervisor = Person.objects.filter(pk=payload.supervisor_id).first()
        if supervisor is None:
            raise DomainError("not_found", field="supervisor_id")
    app = actions.do_submit_application(
        actor=user, channel=CHANNEL, person=person, scheme=scheme, route=payload.route,
        supervisor=supervisor, practice_hours=payload.practice_hours,
        trainings=payload.trainings, is_member=payload.is_member, funding=payload.funding,
        fee=payload.fee)
    return Status(201, application_out(app))


@router.get("/applications/{int:app_id}", response={200: dict[str, Any], **ERRORS})
def get_application(request: HttpRequest, app_id: int) -> Any:
    user = api_user(request)
    app = get_object_or_404(Application.objects.restrict(user, VIEW)
                            .select_related("person", "scheme"), pk=app_id)
    return application_out(app)


class VerdictIn(Schema):
    verdict: str
    note: str = ""


@router.post("/applications/{int:app_id}/decision", response={200: dict[str, Any], **ERRORS})
def decide(request: HttpRequest, app_id: int, payload: VerdictIn) -> Any:
    user = api_user(request)
    app = get_object_or_404(Application.objects.restrict(user, VIEW), pk=app_id)
    app, cert = actions.do_decide(actor=user, channel=CHANNEL, application=app,
                                  verdict=payload.verdict, note=payload.note)
    return {**application_out(app), "certificate": certificate_out(cert) if cert else None}


# -- assessors, events, results, recommendation, evidence, registrations -------------------

class AssessorIn(Schema):
    person_id: int
    registration_number: str
    schemes: list[str]
    active_from: dt.date
    active_until: dt.date
    qualifications: str = ""
    user_id: int | None = None


def assessor_out(a: Assessor) -> dict[str, Any]:
    return {"id": a.pk, "person_id": a.person_id, "name": a.person.name,
            "registration_number": a.registration_number,
            "schemes": [s.code for s in a.schemes.all()], "region": a.region_id,
            "active_from": a.active_from.isoformat(), "active_until": a.active_until.isoformat()}


def _schemes(codes: list[str]) -> list[Scheme]:
    found = list(Scheme.objects.filter(code__in=codes))
    missing = set(codes) - {s.code for s in found}
    if missing:
        raise DomainError("unknown_code", field="schemes", value=",".join(sorted(missing)),
                          name="skema")
    return found


@router.get("/assessors", response={200: list[dict[str, Any]], **ERRORS})
def list_assessors(request: HttpRequest) -> Any:
    user = api_user(request)
    return [assessor_out(a) for a in Assessor.objects.restrict(user, VIEW)
            .select_related("person").prefetch_related("schemes")[:1000]]


@router.post("/assessors", response={201: dict[str, Any], **ERRORS})
def create_assessor(request: HttpRequest, payload: AssessorIn) -> Any:
    user = api_user(request)
    person = Person.objects.restrict(user, VIEW).filter(pk=payload.person_id).first()
    if person is None:
        raise DomainError("not_found", field="person_id")
    account = None
    if payload.user_id is not None:
        account = User.objects.filter(pk=payload.user_id).first()
        if account is None:
            raise DomainError("not_found", field="user_id")
    assessor = actions.do_create_assessor(
        actor=user, channel=CHANNEL, person=person,
        registration_number=payload.registration_number, schemes=_schemes(payload.schemes),
        active_from=payload.active_from, active_until=payload.active_until,
        qualifications=payload.qualifications, user=account)
    return Status(201, assessor_out(assessor))


class EventIn(Schema):
    scheme: str
    title: str
    date: dt.date
    place: str
    organisation: str


def event_out(e: AssessmentEvent) -> dict[str, Any]:
    return {"id": e.pk, "scheme": e.scheme.code, "title": e.title, "date": e.date.isoformat(),
            "place": e.place, "region": e.region_id,
            "assessors": [a.assessor_id for a in e.assignments.all()],
            "applications": [a.pk for a in e.applications.all()]}


@router.get("/events", response={200: list[dict[str, Any]], **ERRORS})
def list_events(request: HttpRequest) -> Any:
    user = api_user(request)
    return [event_out(e) for e in AssessmentEvent.objects.restrict(user, VIEW)
            .select_related("scheme").prefetch_related("assignments", "applications")[:500]]


@router.post("/events", response={201: dict[str, Any], **ERRORS})
def create_event(request: HttpRequest, payload: EventIn) -> Any:
    user = api_user(request)
    scheme = _schemes([payload.scheme])[0]
    org = Organisation.objects.filter(code=payload.organisation).first()
    if org is None:
        raise DomainError("unknown_code", field="organisation", value=payload.organisation,
                          name="organisasi")
    event = actions.do_create_event(actor=user, channel=CHANNEL, scheme=scheme,
                                    title=payload.title, date=payload.date,
                                    place=payload.place, organisation=org)
    return Status(201, event_out(event))


class AssignIn(Schema):
    assessor_id: int
    is_lead: bool = False


@router.post("/events/{int:event_id}/assessors", response={200: dict[str, Any], **ERRORS})
def assign_assessor(request: HttpRequest, event_id: int, payload: AssignIn) -> Any:
    user = api_user(request)
    event = get_object_or_404(AssessmentEvent.objects.restrict(user, VIEW), pk=event_id)
    assessor = get_object_or_404(Assessor.objects.all(), pk=payload.assessor_id)
    actions.do_assign_assessor(actor=user, channel=CHANNEL, event=event, assessor=assessor,
                               is_lead=payload.is_lead)
    return event_out(event)


class CandidateIn(Schema):
    application_id: int


@router.post("/events/{int:event_id}/candidates", response={200: dict[str, Any], **ERRORS})
def add_candidate(request: HttpRequest, event_id: int, payload: CandidateIn) -> Any:
    user = api_user(request)
    event = get_object_or_404(AssessmentEvent.objects.restrict(user, VIEW), pk=event_id)
    app = get_object_or_404(Application.objects.restrict(user, VIEW),
                            pk=payload.application_id)
    actions.do_add_candidate(actor=user, channel=CHANNEL, event=event, application=app)
    return event_out(event)


class ResultIn(Schema):
    unit: str
    method: str
    verdict: str
    assessor_id: int
    note: str = ""


@router.post("/applications/{int:app_id}/results", response={200: dict[str, Any], **ERRORS})
def record_result(request: HttpRequest, app_id: int, payload: ResultIn) -> Any:
    user = api_user(request)
    app = get_object_or_404(Application.objects.restrict(user, VIEW), pk=app_id)
    unit = app.scheme.units.filter(code=payload.unit).first()
    if unit is None:
        raise DomainError("unknown_code", field="unit", value=payload.unit, name="unit")
    assessor = get_object_or_404(Assessor.objects.all(), pk=payload.assessor_id)
    actions.do_record_result(actor=user, channel=CHANNEL, application=app, unit=unit,
                             method=payload.method, verdict=payload.verdict,
                             assessor=assessor, note=payload.note)
    return {"application_id": app.pk, "units": actions.unit_outcomes(app)}


@router.post("/applications/{int:app_id}/recommendation",
             response={200: dict[str, Any], **ERRORS})
def recommend(request: HttpRequest, app_id: int, payload: VerdictIn) -> Any:
    user = api_user(request)
    app = get_object_or_404(Application.objects.restrict(user, VIEW), pk=app_id)
    app = actions.do_recommend(actor=user, channel=CHANNEL, application=app,
                               verdict=payload.verdict)
    return application_out(app)


@router.post("/applications/{int:app_id}/evidence", response={201: dict[str, Any], **ERRORS})
def upload_evidence(request: HttpRequest, app_id: int, kind: Form[str],
                    file: UploadedFile = File(...)) -> Any:  # noqa: B008
    user = api_user(request)
    app = get_object_or_404(Application.objects.restrict(user, VIEW), pk=app_id)
    if file.size and file.size > evidence.MAX_BYTES:
        raise DomainError("evidence_too_large", field="file",
                          message="Berkas melebihi 10 MB.")
    item = actions.do_add_evidence(actor=user, channel=CHANNEL, application=app, kind=kind,
                                   name=file.name or "bukti", content=file.read())
    return Status(201, {"id": item.pk, "kind": item.kind, "name": item.original_name,
                        "size": item.size, "sha256": item.sha256})


class RegistrationIn(Schema):
    person_id: int
    kind: str
    number: str
    issued_by: str
    valid_from: dt.date
    valid_until: dt.date


@router.post("/registrations", response={201: dict[str, Any], **ERRORS})
def record_registration(request: HttpRequest, payload: RegistrationIn) -> Any:
    user = api_user(request)
    person = Person.objects.restrict(user, VIEW).filter(pk=payload.person_id).first()
    if person is None:
        raise DomainError("not_found", field="person_id")
    reg = actions.do_record_registration(
        actor=user, channel=CHANNEL, person=person, kind=payload.kind, number=payload.number,
        issued_by=payload.issued_by, valid_from=payload.valid_from,
        valid_until=payload.valid_until)
    return Status(201, {"id": reg.pk, "kind": reg.kind, "number": reg.number,
                        "valid_until": reg.valid_until.isoformat(),
                        "certificate_id": reg.certificate_id})


# -- certificates ---------------------------------------------------------------------------

def certificate_out(c: Certificate) -> dict[str, Any]:
    return {"id": c.pk, "public_id": c.public_id, "number": c.number,
            "person_id": c.person_id, "person": c.person.name, "scheme": c.scheme.code,
            "valid_from": c.valid_from.isoformat(), "valid_until": c.valid_until.isoformat(),
            "status": c.status, "state": c.state_on(dt.date.today()),
            "status_reason": c.status_reason, "renewed_from_id": c.renewed_from_id,
            "key": c.key.kid}


@router.get("/certificates", response={200: dict[str, Any], **ERRORS})
def list_certificates(request: HttpRequest, paging: Query[PageQuery],
                      status: str | None = None) -> Any:
    user = api_user(request)
    qs = Certificate.objects.restrict(user, VIEW).select_related("person", "scheme", "key")
    if status:
        qs = qs.filter(status=status)
    items, total = page(qs, paging.limit, paging.offset)
    return {"count": total, "items": [certificate_out(c) for c in items]}


@router.get("/certificates/{int:cert_id}", response={200: dict[str, Any], **ERRORS})
def get_certificate(request: HttpRequest, cert_id: int) -> Any:
    user = api_user(request)
    cert = get_object_or_404(Certificate.objects.restrict(user, VIEW)
                             .select_related("person", "scheme", "key"), pk=cert_id)
    return {**certificate_out(cert), "credential": cert.credential}


class ReasonIn(Schema):
    reason: str


def _status_change(request: HttpRequest, cert_id: int, reason: str, fn: Any) -> Any:
    user = api_user(request)
    cert = get_object_or_404(Certificate.objects.restrict(user, VIEW), pk=cert_id)
    cert = fn(actor=user, channel=CHANNEL, certificate=cert, reason=reason)
    return certificate_out(cert)


@router.post("/certificates/{int:cert_id}/suspend", response={200: dict[str, Any], **ERRORS})
def suspend(request: HttpRequest, cert_id: int, payload: ReasonIn) -> Any:
    return _status_change(request, cert_id, payload.reason, actions.do_suspend)


@router.post("/certificates/{int:cert_id}/reinstate", response={200: dict[str, Any], **ERRORS})
def reinstate(request: HttpRequest, cert_id: int, payload: ReasonIn) -> Any:
    return _status_change(request, cert_id, payload.reason, actions.do_reinstate)


@router.post("/certificates/{int:cert_id}/revoke", response={200: dict[str, Any], **ERRORS})
def revoke(request: HttpRequest, cert_id: int, payload: ReasonIn) -> Any:
    return _status_change(request, cert_id, payload.reason, actions.do_revoke)


@router.post("/certificates/{int:cert_id}/renew", response={201: dict[str, Any], **ERRORS})
def renew(request: HttpRequest, cert_id: int) -> Any:
    user = api_user(request)
    cert = get_object_or_404(Certificate.objects.restrict(user, VIEW), pk=cert_id)
    new = actions.do_renew_certificate(actor=user, channel=CHANNEL, certificate=cert)
    return Status(201, certificate_out(new))


# -- training completion credentials (Open Badges 3.0) --------------------------------------

def completion_out(c: CompletionCredential) -> dict[str, Any]:
    batch = c.nomination.batch
    return {"id": c.pk, "public_id": c.public_id, "number": c.number,
            "nomination_id": c.nomination_id, "batch_id": batch.pk,
            "programme": batch.programme.code, "person_id": c.person_id,
            "person": c.person.name, "status": c.status, "status_reason": c.status_reason,
            "key": c.key.kid, "verify_url": conf.verify_url(c.public_id)}


def _completions() -> Any:
    return CompletionCredential.objects.select_related(
        "person", "key", "nomination__batch__programme", "nomination__batch__organisation")


def _visible_completion(user: Any, cred_id: int) -> CompletionCredential:
    cred = get_object_or_404(_completions(), pk=cred_id)
    in_scope = CompletionCredential.objects.restrict(user, VIEW).filter(pk=cred_id).exists()
    if not (in_scope or actions.may_issue_completion(user, cred.nomination.batch)):
        raise DomainError("not_found")
    return cred


@router.get("/completion-credentials", response={200: dict[str, Any], **ERRORS})
def list_completions(request: HttpRequest, paging: Query[PageQuery],
                     batch_id: int | None = None) -> Any:
    """Training completion credentials in the user's scope (with ``batch_id``: that batch's,
    all of them for its managers)."""
    from sdmkesos.training.models import Batch

    user = api_user(request)
    qs = _completions()
    if batch_id is not None:
        batch = get_object_or_404(Batch.objects.select_related("organisation"), pk=batch_id)
        qs = qs.filter(nomination__batch=batch)
        if not actions.may_issue_completion(user, batch):
            qs = qs & CompletionCredential.objects.restrict(user, VIEW)
    else:
        qs = qs & CompletionCredential.objects.restrict(user, VIEW)
    items, total = page(qs, paging.limit, paging.offset)
    return {"count": total, "items": [completion_out(c) for c in items]}


@router.get("/completion-credentials/{int:cred_id}", response={200: dict[str, Any], **ERRORS})
def get_completion(request: HttpRequest, cred_id: int) -> Any:
    cred = _visible_completion(api_user(request), cred_id)
    return {**completion_out(cred), "credential": cred.credential}


class CompletionIn(Schema):
    nomination_id: int


@router.post("/completion-credentials", response={201: dict[str, Any], **ERRORS})
def issue_completion(request: HttpRequest, payload: CompletionIn) -> Any:
    """Issue the credential of one completed participant (managers of the batch)."""
    from sdmkesos.training.models import Nomination

    user = api_user(request)
    nomination = get_object_or_404(Nomination.objects.all(), pk=payload.nomination_id)
    cred = actions.do_issue_completion_credential(actor=user, channel=CHANNEL,
                                                  nomination=nomination)
    return Status(201, completion_out(get_object_or_404(_completions(), pk=cred.pk)))


@router.post("/training-batches/{int:batch_id}/completion-credentials",
             response={201: dict[str, Any], **ERRORS})
def issue_batch_completions(request: HttpRequest, batch_id: int) -> Any:
    """Issue credentials for every completed participant of the batch who has none."""
    from sdmkesos.training.models import Batch

    user = api_user(request)
    batch = get_object_or_404(Batch.objects.select_related("organisation"), pk=batch_id)
    issued = actions.do_issue_completion_credentials(actor=user, channel=CHANNEL, batch=batch)
    rows = _completions().filter(pk__in=[c.pk for c in issued])
    return Status(201, {"issued": len(issued), "items": [completion_out(c) for c in rows]})


def _completion_status(request: HttpRequest, cred_id: int, reason: str, fn: Any) -> Any:
    user = api_user(request)
    cred = _visible_completion(user, cred_id)
    fn(actor=user, channel=CHANNEL, credential=cred, reason=reason)
    return completion_out(get_object_or_404(_completions(), pk=cred_id))


@router.post("/completion-credentials/{int:cred_id}/suspend",
             response={200: dict[str, Any], **ERRORS})
def suspend_completion(request: HttpRequest, cred_id: int, payload: ReasonIn) -> Any:
    return _completion_status(request, cred_id, payload.reason, actions.do_suspend_completion)


@router.post("/completion-credentials/{int:cred_id}/reinstate",
             response={200: dict[str, Any], **ERRORS})
def reinstate_completion(request: HttpRequest, cred_id: int, payload: ReasonIn) -> Any:
    return _completion_status(request, cred_id, payload.reason,
                              actions.do_reinstate_completion)


@router.post("/completion-credentials/{int:cred_id}/revoke",
             response={200: dict[str, Any], **ERRORS})
def revoke_completion(request: HttpRequest, cred_id: int, payload: ReasonIn) -> Any:
    return _completion_status(request, cred_id, payload.reason, actions.do_revoke_completion)


# -- reports --------------------------------------------------------------------------------

@router.get("/reports/certified-share", response={200: list[dict[str, Any]], **ERRORS})
def report_share(request: HttpRequest) -> Any:
    return reports.certified_share(api_user(request))


@router.get("/reports/expiring", response={200: list[dict[str, Any]], **ERRORS})
def report_expiring(request: HttpRequest, days: int = 90) -> Any:
    rows = reports.expiring(api_user(request), days=max(1, min(days, 366)))
    return [certificate_out(c) for c in rows.select_related("key")[:1000]]


@router.get("/reports/assessor-workload", response={200: list[dict[str, Any]], **ERRORS})
def report_workload(request: HttpRequest) -> Any:
    return reports.assessor_workload(api_user(request))
