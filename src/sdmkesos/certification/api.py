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
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from sdmkesos.core.api import ERRORS, PageQuery, api_user, page
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.scoping import VIEW
from sdmkesos.people.models import Person

from . import actions, public_views, ratelimit, reports
from .models import Application, Certificate, Scheme

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
    cert = Certificate.objects.filter(public_id=public_id).only("credential").first()
    if cert is None:
        raise DomainError("not_found")
    out = public_views.outcome(cert.credential)
    return {"verified": out["verified"], "state": out["state"], "certificate": out["info"],
            "checks": out["result"]["checks"]}


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
    return 201, application_out(app)


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
    return 201, certificate_out(actions.do_renew_certificate(actor=user, channel=CHANNEL,
                                                             certificate=cert))


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
