"""Every write of certification: atomic, scope-checked, audited (the people.actions pattern)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from sdmkesos.core import audit
from sdmkesos.core.choices import Role
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.scoping import ADD, CHANGE, can
from sdmkesos.people.models import Person

from . import eligibility, evidence, issuing, keyring
from .choices import ApplicationStatus, CertificateStatus, RegistrationKind, Route, Verdict
from .models import (
    Application,
    AssessmentEvent,
    Assessor,
    AssessorAssignment,
    Certificate,
    CompetencyUnit,
    CompletionCredential,
    Evidence,
    IssuerKey,
    ProfessionalRegistration,
    Scheme,
    UnitResult,
)

RENEWAL_WINDOW_DAYS = 90


def _err(code: str, message: str, field: str | None = None, **params: Any) -> DomainError:
    return DomainError(code, field=field, message=message, **params)


def _today() -> dt.date:
    return timezone.localdate()


def _person_in_scope(actor: Any, person: Person, action: str = CHANGE) -> Person:
    found = Person.objects.restrict(actor, action).filter(pk=person.pk).first()
    if found is None:
        raise DomainError("out_of_scope")
    return found


def _locked(model: type[Model], actor: Any, obj: Model, action: str = CHANGE) -> Any:
    found = (model.objects.restrict(actor, action)  # type: ignore[attr-defined]
             .select_for_update().filter(pk=obj.pk).first())
    if found is None:
        raise DomainError("out_of_scope")
    return found


def _copy_scope(row: Any, person: Person) -> None:
    row.set_region(person.region_id)
    row.organisation_id = person.organisation_id


def _record(actor: Any, channel: str, action: str, obj: Model, changes: dict[str, Any],
            note: str = "") -> None:
    audit.record(actor=actor, channel=channel, action=action, obj=obj, changes=changes,
                 note=note, region_code=getattr(obj, "region_id", None) or "")


# -- assessors ------------------------------------------------------------------------------

def do_create_assessor(*, actor: Any, channel: str, person: Person, registration_number: str,
                       schemes: Iterable[Scheme], active_from: dt.date, active_until: dt.date,
                       qualifications: str = "", user: Any = None) -> Assessor:
    if not can(actor, ADD):
        raise DomainError("forbidden")
    errors = []
    if not registration_number.strip():
        errors.append(DomainError("required", field="registration_number"))
    elif Assessor.objects.filter(registration_number=registration_number.strip()).exists():
        errors.append(_err("assessor_number_taken", "Nomor registrasi asesor sudah terdaftar.",
                           "registration_number"))
    if active_until < active_from:
        errors.append(DomainError("end_before_start", field="active_until"))
    if Assessor.objects.filter(person=person).exists():
        errors.append(_err("already_assessor", "Pekerja ini sudah terdaftar sebagai asesor.",
                           "person"))
    schemes = list(schemes)
    if not schemes:
        errors.append(DomainError("required", field="schemes"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        person = _person_in_scope(actor, person)
        assessor = Assessor(person=person, registration_number=registration_number.strip(),
                            qualifications=qualifications, active_from=active_from,
                            active_until=active_until, user=user)
        _copy_scope(assessor, person)
        assessor.save()
        assessor.schemes.set(schemes)
        _record(actor, channel, "assessor.create", assessor, {
            "registration_number": [None, assessor.registration_number],
            "schemes": [None, [s.code for s in schemes]],
            "active": [None, [active_from.isoformat(), active_until.isoformat()]]})
    return assessor


# -- applications ---------------------------------------------------------------------------

def candidate_facts(person: Person, application: Application) -> eligibility.Candidate:
    levels = {r.level.code for r in person.education.select_related("level")}
    fields = {r.field.code for r in person.education.select_related("field") if r.field}
    if person.education_level_id:
        levels.add(person.education_level.code)  # type: ignore[union-attr]
    if person.field_of_study_id:
        fields.add(person.field_of_study.code)  # type: ignore[union-attr]
    return eligibility.Candidate(
        education_levels=tuple(sorted(levels)), fields=tuple(sorted(fields)),
        practice_hours=application.practice_hours,
        trainings=tuple(str(t) for t in application.trainings or []),
        member=application.is_member)


def do_submit_application(*, actor: Any, channel: str, person: Person, scheme: Scheme,
                          route: str = Route.SELF, nominated_by: Any = None,
                          supervisor: Person | None = None, practice_hours: int = 0,
                          trainings: list[str] | None = None, is_member: bool = False,
                          funding: str = "apbn", fee: Decimal | int = 0,
                          previous: Application | None = None) -> Application:
    """Submit (self: the worker themself; nominated: an office in scope); the eligibility
    rules of the scheme are checked at once and the result stored."""
    is_self = (getattr(actor, "role", None) == Role.WORKER
               and Person.objects.filter(pk=person.pk, user=actor).exists())
    if not is_self and not can(actor, ADD):
        raise DomainError("forbidden")
    if not scheme.is_active:
        raise _err("scheme_inactive", "Skema tidak aktif.", "scheme")
    if supervisor is not None and supervisor.pk == person.pk:
        raise _err("supervisor_self", "Atasan tidak boleh pemohon sendiri.", "supervisor")
    if practice_hours < 0:
        raise _err("invalid_value", "Jam praktik tidak boleh negatif.", "practice_hours")
    with transaction.atomic():
        person = _person_in_scope(actor, person, "view" if is_self else ADD)
        open_app = Application.objects.filter(
            person=person, scheme=scheme, status__in=[
                ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE,
                ApplicationStatus.SCHEDULED, ApplicationStatus.RECOMMENDED]).first()
        if open_app is not None:
            raise _err("application_open", "Sudah ada permohonan aktif untuk skema ini "
                       f"(id {open_app.pk}).", "scheme", application=open_app.pk)
        app = Application(person=person, scheme=scheme,
                          route=Route.SELF if is_self else route,
                          nominated_by=nominated_by, supervisor=supervisor,
                          practice_hours=practice_hours, trainings=list(trainings or []),
                          is_member=is_member, funding=funding, fee=Decimal(fee),
                          previous=previous)
        _copy_scope(app, person)
        unmet = eligibility.check(scheme.eligibility, candidate_facts(person, app))
        app.eligibility_result = [{"code": u.code, "message": u.message} for u in unmet]
        app.status = ApplicationStatus.INELIGIBLE if unmet else ApplicationStatus.ELIGIBLE
        app.save()
        _record(actor, channel, "application.submit", app, {
            "scheme": [None, scheme.code], "route": [None, app.route],
            "status": [None, app.status],
            "unmet": [None, [u.code for u in unmet]]})
    return app


def do_add_evidence(*, actor: Any, channel: str, application: Application, kind: str,
                    name: str, content: bytes) -> Evidence:
    """Store an evidence file privately (MEDIA_ROOT/private, never served by URL)."""
    content_type, problem = evidence.check(name, len(content), content[:16])
    if problem is not None:
        raise DomainError(problem.code, field="file", message=problem.message)
    with transaction.atomic():
        app = _locked(Application, actor, application)
        if app.status in (ApplicationStatus.DECIDED, ApplicationStatus.WITHDRAWN):
            raise _err("application_closed", "Permohonan sudah selesai.", "application")
        safe_name = Path(name).name[-150:]
        ext = safe_name.rsplit(".", 1)[-1].lower()
        item = Evidence(application=app, kind=kind, original_name=safe_name,
                        content_type=content_type, size=len(content),
                        sha256=hashlib.sha256(content).hexdigest())
        item.file.save(f"{app.pk}-{item.sha256[:16]}.{ext}", ContentFile(content), save=False)
        item.save()
        _record(actor, channel, "application.evidence", app, {
            "evidence": [None, {"kind": kind, "name": safe_name, "size": len(content),
                                "sha256": item.sha256}]})
    return item


# -- assessment events ----------------------------------------------------------------------

def conflicts(assessor: Assessor, application: Application) -> list[str]:
    """Why ``assessor`` may not assess ``application`` (empty: no conflict)."""
    reasons = []
    candidate = application.person
    if assessor.person_id == candidate.pk:
        reasons.append("self")
    if (assessor.person.organisation_id is not None
            and assessor.person.organisation_id == candidate.organisation_id):
        reasons.append("same_organisation")
    if application.supervisor_id is not None and application.supervisor_id == assessor.person_id:
        reasons.append("supervisor")
    return reasons


def _conflict_error(assessor: Assessor, application: Application,
                    reasons: list[str]) -> DomainError:
    labels = {"self": "asesor adalah peserta sendiri",
              "same_organisation": "asesor dan peserta dari organisasi yang sama",
              "supervisor": "asesor adalah atasan peserta"}
    return _err("conflict_of_interest",
                f"Konflik kepentingan: {'; '.join(labels[r] for r in reasons)} "
                f"({assessor.person.name} - {application.person.name}).", "assessor",
                reasons=",".join(reasons))


def do_create_event(*, actor: Any, channel: str, scheme: Scheme, title: str, date: dt.date,
                    place: str, organisation: Any) -> AssessmentEvent:
    if not can(actor, ADD):
        raise DomainError("forbidden")
    if not title.strip():
        raise DomainError("required", field="title")
    with transaction.atomic():
        event = AssessmentEvent(scheme=scheme, title=title.strip(), date=date, place=place,
                                organisation=organisation)
        event.set_region(organisation.managing_region_code)
        event.save()
        if not AssessmentEvent.objects.restrict(actor, ADD).filter(pk=event.pk).exists():
            raise DomainError("out_of_scope")
        _record(actor, channel, "event.create", event, {
            "scheme": [None, scheme.code], "date": [None, date.isoformat()],
            "place": [None, place]})
    return event


def do_assign_assessor(*, actor: Any, channel: str, event: AssessmentEvent, assessor: Assessor,
                       is_lead: bool = False) -> AssessorAssignment:
    with transaction.atomic():
        event = _locked(AssessmentEvent, actor, event)
        if not assessor.schemes.filter(pk=event.scheme_id).exists():
            raise _err("assessor_not_qualified",
                       f"Asesor tidak berwenang menguji skema {event.scheme.code}.", "assessor")
        if not assessor.active_on(event.date):
            raise _err("assessor_inactive", "Masa aktif asesor tidak mencakup tanggal uji.",
                       "assessor")
        if event.assignments.filter(assessor=assessor).exists():
            raise _err("already_assigned", "Asesor sudah ada di tim.", "assessor")
        for app in event.applications.select_related("person"):
            reasons = conflicts(assessor, app)
            if reasons:
                raise _conflict_error(assessor, app, reasons)
        assignment = AssessorAssignment.objects.create(event=event, assessor=assessor,
                                                       is_lead=is_lead)
        _record(actor, channel, "event.assign", event, {
            "assessor": [None, assessor.registration_number], "lead": [None, is_lead]})
    return assignment


def do_add_candidate(*, actor: Any, channel: str, event: AssessmentEvent,
                     application: Application) -> Application:
    with transaction.atomic():
        event = _locked(AssessmentEvent, actor, event)
        app = _locked(Application, actor, application)
        if app.status != ApplicationStatus.ELIGIBLE:
            raise _err("not_eligible", "Hanya permohonan yang memenuhi syarat dapat dijadwalkan "
                       f"(status: {app.get_status_display()}).", "application")
        if app.scheme_id != event.scheme_id:
            raise _err("scheme_mismatch", "Skema permohonan berbeda dengan skema kegiatan.",
                       "application")
        for assignment in event.assignments.select_related("assessor__person"):
            reasons = conflicts(assignment.assessor, app)
            if reasons:
                raise _conflict_error(assignment.assessor, app, reasons)
        app.event = event
        app.status = ApplicationStatus.SCHEDULED
        app.save(update_fields=["event", "status"])
        _record(actor, channel, "application.schedule", app, {
            "event": [None, event.pk], "status": [ApplicationStatus.ELIGIBLE, app.status]})
    return app


def do_record_result(*, actor: Any, channel: str, application: Application,
                     unit: CompetencyUnit, method: str, verdict: str, assessor: Assessor,
                     note: str = "") -> UnitResult:
    with transaction.atomic():
        app = _locked(Application, actor, application)
        if app.status != ApplicationStatus.SCHEDULED or app.event_id is None:
            raise _err("not_scheduled", "Peserta belum dijadwalkan pada kegiatan uji.",
                       "application")
        if unit.scheme_id != app.scheme_id:
            raise _err("unit_mismatch", "Unit kompetensi bukan bagian dari skema.", "unit")
        if not AssessorAssignment.objects.filter(event_id=app.event_id,
                                                 assessor=assessor).exists():
            raise _err("assessor_not_in_team", "Asesor bukan anggota tim kegiatan ini.",
                       "assessor")
        reasons = conflicts(assessor, app)
        if reasons:
            raise _conflict_error(assessor, app, reasons)
        if verdict not in Verdict.values:
            raise DomainError("invalid_value", field="verdict", message="Hasil harus K atau BK.")
        result, _created = UnitResult.objects.update_or_create(
            application=app, unit=unit, method=method,
            defaults={"verdict": verdict, "assessor": assessor, "note": note})
        _record(actor, channel, "application.result", app, {
            f"{unit.code}/{method}": [None, verdict]})
    return result


def unit_outcomes(app: Application) -> dict[str, str | None]:
    """Per unit code: K when every method assessed is K, BK when any is BK, None if none."""
    out: dict[str, str | None] = {u.code: None for u in app.scheme.units.all()}
    for r in app.unit_results.select_related("unit"):
        current = out.get(r.unit.code)
        out[r.unit.code] = Verdict.NOT_YET if Verdict.NOT_YET in (current, r.verdict) else (
            Verdict.COMPETENT)
    return out


def do_recommend(*, actor: Any, channel: str, application: Application,
                 verdict: str) -> Application:
    """The assessor's recommendation (maker)."""
    with transaction.atomic():
        app = _locked(Application, actor, application)
        if app.status != ApplicationStatus.SCHEDULED:
            raise _err("not_scheduled", "Peserta belum dijadwalkan atau sudah direkomendasikan.",
                       "application")
        outcomes = unit_outcomes(app)
        missing = [c for c, v in outcomes.items() if v is None]
        if missing:
            raise _err("results_missing", "Hasil belum lengkap untuk unit: "
                       + ", ".join(missing) + ".", "verdict", units=",".join(missing))
        if verdict == Verdict.COMPETENT and Verdict.NOT_YET in outcomes.values():
            raise _err("inconsistent_verdict", "Ada unit Belum Kompeten; rekomendasi tidak "
                       "boleh Kompeten.", "verdict")
        app.recommendation = verdict
        app.recommended_by = actor
        app.recommended_at = timezone.now()
        app.status = ApplicationStatus.RECOMMENDED
        app.save(update_fields=["recommendation", "recommended_by", "recommended_at",
                                "status"])
        _record(actor, channel, "application.recommend", app,
                {"recommendation": [None, verdict]})
    return app


def do_decide(*, actor: Any, channel: str, application: Application, verdict: str,
              note: str = "") -> tuple[Application, Certificate | None]:
    """The decision (checker): never the user who recommended, never an assessor of the
    candidate's team. Kompeten issues the certificate."""
    with transaction.atomic():
        app = _locked(Application, actor, application)
        if app.status != ApplicationStatus.RECOMMENDED:
            raise _err("not_recommended", "Belum ada rekomendasi asesor.", "application")
        if app.recommended_by_id == getattr(actor, "pk", None):
            raise _err("maker_checker", "Pemberi rekomendasi tidak boleh memutuskan "
                       "rekomendasinya sendiri.", "verdict")
        if AssessorAssignment.objects.filter(event_id=app.event_id,
                                             assessor__user=actor).exists():
            raise _err("maker_checker", "Asesor dalam tim uji tidak boleh memutuskan.",
                       "verdict")
        if verdict == Verdict.COMPETENT and app.recommendation != Verdict.COMPETENT:
            raise _err("inconsistent_verdict", "Keputusan Kompeten memerlukan rekomendasi "
                       "Kompeten dari asesor.", "verdict")
        app.decision = verdict
        app.decided_by = actor
        app.decided_at = timezone.now()
        app.status = ApplicationStatus.DECIDED
        app.save(update_fields=["decision", "decided_by", "decided_at", "status"])
        _record(actor, channel, "application.decide", app, {"decision": [None, verdict]}, note)
        cert = None
        if verdict == Verdict.COMPETENT:
            cert = _issue(actor=actor, channel=channel, person=app.person, scheme=app.scheme,
                          application=app, valid_from=_today())
    return app, cert


def do_reassess(*, actor: Any, channel: str, application: Application) -> Application:
    """A new application for a Belum Kompeten decision (re-assessment)."""
    if application.decision != Verdict.NOT_YET:
        raise _err("not_belum_kompeten", "Asesmen ulang hanya untuk keputusan Belum Kompeten.",
                   "application")
    return do_submit_application(
        actor=actor, channel=channel, person=application.person, scheme=application.scheme,
        route=application.route, nominated_by=application.nominated_by,
        supervisor=application.supervisor, practice_hours=application.practice_hours,
        trainings=list(application.trainings or []), is_member=application.is_member,
        funding=application.funding, fee=application.fee, previous=application)


# -- certificates ---------------------------------------------------------------------------

def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _next_number(scheme: Scheme, year: int) -> str:
    prefix = f"LSP-KS/{scheme.code}/{year}/"
    last = (Certificate.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def _issue(*, actor: Any, channel: str, person: Person, scheme: Scheme,
           application: Application | None, valid_from: dt.date,
           renewed_from: Certificate | None = None) -> Certificate:
    list_number, index = issuing.allocate_status_slot()
    valid_until = _add_years(valid_from, scheme.validity_years) - dt.timedelta(days=1)
    cert = Certificate(public_id=issuing.new_public_id(), number=_next_number(scheme,
                                                                                valid_from.year),
                       person=person, scheme=scheme, application=application,
                       renewed_from=renewed_from, valid_from=valid_from,
                       valid_until=valid_until, status_list=list_number, status_index=index)
    _copy_scope(cert, person)
    cert.key, cert.credential = issuing.sign(issuing.certificate_document(cert))
    cert.save()
    issuing.ensure_status_lists(list_number)
    _record(actor, channel, "certificate.issue", cert, {
        "number": [None, cert.number], "scheme": [None, scheme.code],
        "valid": [None, [valid_from.isoformat(), valid_until.isoformat()]],
        "key": [None, cert.key.kid]}, note=f"renewal of {renewed_from.number}"
        if renewed_from else "")
    return cert


def do_renew_certificate(*, actor: Any, channel: str, certificate: Certificate) -> Certificate:
    """A new certificate continuing an active (or lapsed) one, from the day after it ends,
    within 90 days before its expiry or any time after."""
    with transaction.atomic():
        old = _locked(Certificate, actor, certificate)
        if old.status != CertificateStatus.ACTIVE:
            raise _err("certificate_not_active", "Sertifikat yang dibekukan atau dicabut tidak "
                       "dapat diperpanjang.", "certificate")
        if old.renewals.exists():
            raise _err("already_renewed", "Sertifikat ini sudah diperpanjang.", "certificate")
        today = _today()
        if (old.valid_until - today).days > RENEWAL_WINDOW_DAYS:
            raise _err("renewal_too_early", f"Perpanjangan dibuka {RENEWAL_WINDOW_DAYS} hari "
                       f"sebelum masa berlaku berakhir ({old.valid_until:%d-%m-%Y}).",
                       "certificate")
        start = max(today, old.valid_until + dt.timedelta(days=1))
        return _issue(actor=actor, channel=channel, person=old.person, scheme=old.scheme,
                      application=old.application, valid_from=start, renewed_from=old)


def _set_status(*, actor: Any, channel: str, certificate: Any, status: str,
                reason: str, allowed_from: tuple[str, ...], action: str) -> Any:
    if not reason.strip():
        raise DomainError("required", field="reason", message="Alasan wajib diisi.")
    with transaction.atomic():
        if isinstance(certificate, CompletionCredential):
            cert = _locked_completion(actor, certificate)
        else:
            cert = _locked(Certificate, actor, certificate)
        if cert.status not in allowed_from:
            raise _err("invalid_transition", f"Sertifikat berstatus {cert.get_status_display()}"
                       "; perubahan ini tidak diizinkan.", "status")
        before = cert.status
        cert.status = status
        cert.status_reason = reason.strip()[:255]
        cert.save(update_fields=["status", "status_reason"])
        issuing.rebuild_status_lists(cert.status_list)
        _record(actor, channel, action, cert, {"status": [before, status]}, reason)
    certificate.refresh_from_db()
    return cert


def do_suspend(*, actor: Any, channel: str, certificate: Certificate, reason: str) -> Certificate:
    return _set_status(actor=actor, channel=channel, certificate=certificate,
                       status=CertificateStatus.SUSPENDED, reason=reason,
                       allowed_from=(CertificateStatus.ACTIVE,), action="certificate.suspend")


def do_reinstate(*, actor: Any, channel: str, certificate: Certificate,
                 reason: str) -> Certificate:
    return _set_status(actor=actor, channel=channel, certificate=certificate,
                       status=CertificateStatus.ACTIVE, reason=reason,
                       allowed_from=(CertificateStatus.SUSPENDED,),
                       action="certificate.reinstate")


def do_revoke(*, actor: Any, channel: str, certificate: Certificate, reason: str) -> Certificate:
    return _set_status(actor=actor, channel=channel, certificate=certificate,
                       status=CertificateStatus.REVOKED, reason=reason,
                       allowed_from=(CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED),
                       action="certificate.revoke")


# -- schemes --------------------------------------------------------------------------------

ELIGIBILITY_KEYS = ("min_education", "fields", "min_practice_hours", "required_training",
                    "membership_required")


def do_update_scheme(*, actor: Any, channel: str, scheme: Scheme, name: str,
                     category_code: str, validity_years: int, eligibility: dict[str, Any],
                     units: list[tuple[str, str]], needs_confirmation: bool,
                     is_active: bool) -> Scheme:
    """Administrators edit a scheme: name, category, validity period, eligibility rules and
    units of competency. Certificates already issued keep what they were signed with; a unit
    that has assessment results cannot be removed (it can be renamed)."""
    _key_admin(actor)
    errors = []
    if not name.strip():
        errors.append(DomainError("required", field="name"))
    if not 1 <= validity_years <= 10:
        errors.append(_err("validity_out_of_range", "Masa berlaku 1 sampai 10 tahun.",
                           "validity_years"))
    if not units:
        errors.append(_err("units_required", "Skema memerlukan paling sedikit satu unit.",
                           "units"))
    unknown = set(eligibility) - set(ELIGIBILITY_KEYS)
    if unknown:
        errors.append(_err("unknown_rule", f"Aturan tidak dikenal: {', '.join(sorted(unknown))}",
                           "eligibility"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        current = Scheme.objects.select_for_update().get(pk=scheme.pk)
        before = {"name": current.name, "category_code": current.category_code,
                  "validity_years": current.validity_years,
                  "eligibility": current.eligibility,
                  "needs_confirmation": current.needs_confirmation,
                  "is_active": current.is_active,
                  "units": [[u.code, u.title] for u in current.units.all()]}
        existing = {u.code: u for u in current.units.all()}
        wanted = {code for code, _title in units}
        removed = [u for code, u in existing.items() if code not in wanted]
        used = [u.code for u in removed
                if UnitResult.objects.filter(unit=u).exists()]
        if used:
            raise _err("unit_in_use", "Unit yang sudah memiliki hasil uji tidak dapat dihapus: "
                       + ", ".join(sorted(used)) + ".", "units")
        for unit in removed:
            unit.delete()
        for order, (code, title) in enumerate(units):
            kept = existing.get(code)
            if kept is None:
                CompetencyUnit.objects.create(scheme=current, code=code, title=title,
                                              sort_order=order)
            elif kept.title != title or kept.sort_order != order:
                kept.title, kept.sort_order = title, order
                kept.save(update_fields=["title", "sort_order"])
        current.name = name.strip()[:150]
        current.category_code = category_code.strip()[:40]
        current.validity_years = validity_years
        current.eligibility = {k: eligibility[k] for k in ELIGIBILITY_KEYS if k in eligibility}
        current.needs_confirmation = needs_confirmation
        current.is_active = is_active
        current.save()
        after = {"name": current.name, "category_code": current.category_code,
                 "validity_years": current.validity_years, "eligibility": current.eligibility,
                 "needs_confirmation": current.needs_confirmation,
                 "is_active": current.is_active, "units": [list(u) for u in units]}
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        audit.record(actor=actor or "system", channel=channel, action="scheme.update",
                     obj=current,
                     changes=changes)
    return current


# -- training completion credentials (Open Badges 3.0) --------------------------------------

def may_issue_completion(actor: Any, batch: Any) -> bool:
    """The managers of a training batch (training.permissions.can_manage) issue its
    completion credentials; ``None`` is the system (CLI, demo)."""
    from sdmkesos.training.permissions import can_manage

    return actor is None or can_manage(actor, batch.organisation)


def _next_completion_number(year: int) -> str:
    prefix = f"PLT/{year}/"
    last = (CompletionCredential.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def do_issue_completion_credential(*, actor: Any, channel: str,
                                   nomination: Any) -> CompletionCredential:
    """An OpenBadgeCredential for a participant whose nomination is COMPLETED (lulus); one per
    nomination."""
    from sdmkesos.training.models import Nomination, NominationStatus

    with transaction.atomic():
        nom = (Nomination.objects.select_for_update()
               .select_related("batch__programme", "batch__organisation", "person")
               .filter(pk=nomination.pk).first())
        if nom is None:
            raise DomainError("not_found")
        if not may_issue_completion(actor, nom.batch):
            raise DomainError("forbidden")
        if nom.status != NominationStatus.COMPLETED:
            raise _err("not_completed", "Peserta belum dinyatakan lulus.", "nomination")
        if CompletionCredential.objects.filter(nomination=nom).exists():
            raise _err("already_issued", "Sertifikat pelatihan peserta ini sudah terbit.",
                       "nomination")
        list_number, index = issuing.allocate_status_slot()
        completed = nom.completed_on or nom.batch.end_date
        cred = CompletionCredential(
            public_id=issuing.new_public_id(), number=_next_completion_number(completed.year),
            nomination=nom, person=nom.person, status_list=list_number, status_index=index)
        _copy_scope(cred, nom.person)
        cred.key, cred.credential = issuing.sign(issuing.completion_document(cred))
        cred.save()
        issuing.ensure_status_lists(list_number)
        _record(actor or "system", channel, "completion.issue", cred, {
            "number": [None, cred.number], "programme": [None, nom.batch.programme.code],
            "batch": [None, nom.batch_id], "key": [None, cred.key.kid]})
    return cred


def do_issue_completion_credentials(*, actor: Any, channel: str,
                                    batch: Any) -> list[CompletionCredential]:
    """Credentials for every completed participant of ``batch`` who has none yet (all or
    nothing)."""
    from sdmkesos.training.models import NominationStatus

    if not may_issue_completion(actor, batch):
        raise DomainError("forbidden")
    with transaction.atomic():
        pending = list(batch.nominations.filter(status=NominationStatus.COMPLETED,
                                                completion_credential__isnull=True)
                       .order_by("person__name", "pk"))
        return [do_issue_completion_credential(actor=actor, channel=channel, nomination=n)
                for n in pending]


def _locked_completion(actor: Any, credential: CompletionCredential) -> CompletionCredential:
    """The credential, locked, if ``actor`` may change it: in their person scope or a manager
    of its batch."""
    found = (CompletionCredential.objects.select_for_update()
             .select_related("nomination__batch__organisation")
             .filter(pk=credential.pk).first())
    if found is None:
        raise DomainError("not_found")
    in_scope = CompletionCredential.objects.restrict(actor, CHANGE).filter(pk=found.pk).exists()
    if not (in_scope or may_issue_completion(actor, found.nomination.batch)):
        raise DomainError("out_of_scope")
    return found


def do_suspend_completion(*, actor: Any, channel: str, credential: CompletionCredential,
                          reason: str) -> CompletionCredential:
    return _set_status(actor=actor, channel=channel, certificate=credential,
                       status=CertificateStatus.SUSPENDED, reason=reason,
                       allowed_from=(CertificateStatus.ACTIVE,), action="completion.suspend")


def do_reinstate_completion(*, actor: Any, channel: str, credential: CompletionCredential,
                            reason: str) -> CompletionCredential:
    return _set_status(actor=actor, channel=channel, certificate=credential,
                       status=CertificateStatus.ACTIVE, reason=reason,
                       allowed_from=(CertificateStatus.SUSPENDED,),
                       action="completion.reinstate")


def do_revoke_completion(*, actor: Any, channel: str, credential: CompletionCredential,
                         reason: str) -> CompletionCredential:
    return _set_status(actor=actor, channel=channel, certificate=credential,
                       status=CertificateStatus.REVOKED, reason=reason,
                       allowed_from=(CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED),
                       action="completion.revoke")


# -- STR / SIPPS ----------------------------------------------------------------------------

def do_record_registration(*, actor: Any, channel: str, person: Person, kind: str, number: str,
                           issued_by: str, valid_from: dt.date,
                           valid_until: dt.date) -> ProfessionalRegistration:
    """STR needs an active competency certificate; SIPPS needs a valid STR."""
    if not can(actor, ADD):
        raise DomainError("forbidden")
    errors = []
    if not number.strip():
        errors.append(DomainError("required", field="number"))
    elif ProfessionalRegistration.objects.filter(kind=kind, number=number.strip()).exists():
        errors.append(_err("registration_taken", "Nomor sudah tercatat.", "number"))
    if valid_until < valid_from:
        errors.append(DomainError("end_before_start", field="valid_until"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        person = _person_in_scope(actor, person)
        today = _today()
        cert = (Certificate.objects.filter(person=person, status=CertificateStatus.ACTIVE,
                                           valid_until__gte=today)
                .order_by("-valid_until").first())
        if kind == RegistrationKind.STR and cert is None:
            raise _err("certificate_required", "STR memerlukan sertifikat kompetensi yang "
                       "masih berlaku.", "kind")
        if kind == RegistrationKind.SIPPS and not ProfessionalRegistration.objects.filter(
                person=person, kind=RegistrationKind.STR, valid_until__gte=today).exists():
            raise _err("str_required", "SIPPS memerlukan STR yang masih berlaku.", "kind")
        reg = ProfessionalRegistration(person=person, kind=kind, number=number.strip(),
                                       issued_by=issued_by, valid_from=valid_from,
                                       valid_until=valid_until,
                                       certificate=cert if kind == RegistrationKind.STR
                                       else None)
        _copy_scope(reg, person)
        reg.save()
        _record(actor, channel, f"registration.{kind}", reg, {
            "number": [None, reg.number],
            "valid": [None, [valid_from.isoformat(), valid_until.isoformat()]]})
    return reg


# -- keys -----------------------------------------------------------------------------------

def _key_admin(actor: Any) -> None:
    if actor is not None and not (getattr(actor, "is_superuser", False)
                                  or getattr(actor, "role", None) == Role.NATIONAL_ADMIN):
        raise DomainError("forbidden")


def do_init_key(*, actor: Any, channel: str) -> tuple[IssuerKey, bool]:
    """The active key, creating the first one when none exists. (key, created)."""
    _key_admin(actor)
    with transaction.atomic():
        current = keyring.active_key()
        if current is not None:
            return current, False
        key = keyring.create_key()
        audit.record(actor=actor or "system", channel=channel, action="key.create", obj=key,
                     changes={"kid": [None, key.kid]})
    return key, True


def do_rotate_key(*, actor: Any, channel: str) -> IssuerKey:
    """A new key signs from now on; the old one stays published until its certificates
    expire. The status lists are re-signed with the new key."""
    _key_admin(actor)
    with transaction.atomic():
        old = keyring.active_key()
        key = keyring.create_key()
        if old is not None:
            keyring.retire(old)
        for number in issuing.all_list_numbers():
            issuing.rebuild_status_lists(number)
        audit.record(actor=actor or "system", channel=channel, action="key.rotate", obj=key,
                     changes={"kid": [old.kid if old else None, key.kid]})
    return key


def do_withdraw_key(*, actor: Any, channel: str, kid: str, reason: str) -> dict[str, Any]:
    """Withdraw a compromised key: it leaves the DID document (everything it signed stops
    verifying), its file is renamed so it never signs again, a new key is made if it was the
    active one, and every active certificate it signed is re-signed with the current key."""
    _key_admin(actor)
    if not reason.strip():
        raise DomainError("required", field="reason", message="Alasan wajib diisi.")
    with transaction.atomic():
        key = IssuerKey.objects.select_for_update().filter(kid=kid).first()
        if key is None:
            raise DomainError("not_found", field="kid")
        if key.withdrawn_at:
            raise _err("already_withdrawn", "Kunci sudah ditarik.", "kid")
        was_active = key.retired_at is None
        key.withdrawn_at = timezone.now()
        key.withdrawal_reason = reason.strip()[:255]
        key.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        issuing.invalidate_snapshot()
        if was_active or keyring.active_key() is None:
            keyring.create_key()
        resigned = 0
        for cert in Certificate.objects.filter(key=key).select_related("scheme", "person"):
            if cert.status == CertificateStatus.REVOKED or cert.valid_until < _today():
                continue
            cert.key, cert.credential = issuing.sign(issuing.certificate_document(cert))
            cert.save(update_fields=["key", "credential"])
            resigned += 1
        for completion in CompletionCredential.objects.filter(key=key).select_related(
                "nomination__batch__programme", "person"):
            if completion.status == CertificateStatus.REVOKED:
                continue
            completion.key, completion.credential = issuing.sign(
                issuing.completion_document(completion))
            completion.save(update_fields=["key", "credential"])
            resigned += 1
        for number in issuing.all_list_numbers():
            issuing.rebuild_status_lists(number)
        audit.record(actor=actor or "system", channel=channel, action="key.withdraw", obj=key,
                     changes={"withdrawn": [None, key.withdrawn_at.isoformat()],
                              "resigned": [None, resigned]}, note=reason)
        path = keyring.key_path(key.kid)
        if path.exists():
            path.rename(path.with_suffix(".withdrawn"))
    return {"kid": kid, "resigned": resigned}
