"""Staff pages of certification (login required; everything through ``restrict``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import Organisation, User
from sdmkesos.core.scoping import CHANGE, VIEW, can
from sdmkesos.people.models import Person

from . import actions, conf, evidence, forms, pdf, reports
from .choices import ApplicationStatus
from .models import (
    Application,
    AssessmentEvent,
    Assessor,
    Certificate,
    CompletionCredential,
    Evidence,
    Scheme,
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    certs = (Certificate.objects.restrict(user, VIEW).select_related("person", "scheme"))
    q = request.GET.get("q", "").strip()
    if q:
        certs = certs.filter(person__name__icontains=q) | certs.filter(number__icontains=q)
    apps = Application.objects.restrict(user, VIEW).select_related("person", "scheme")[:20]
    return render(request, "certification/index.html", {
        "certificates": Paginator(certs, 50).get_page(request.GET.get("page")),
        "applications": apps, "q": q, "today": timezone.localdate()})


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.restrict(request.user, VIEW)
                             .select_related("person", "scheme", "key"), pk=pk)
    return render(request, "certification/certificate.html", {
        "cert": cert, "state": cert.state_on(timezone.localdate()),
        "verify_url": conf.verify_url(cert.public_id),
        "can_change": can(request.user, CHANGE), "history": audit.history(cert)[:50]})


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.restrict(request.user, VIEW)
                             .select_related("person", "scheme"), pk=pk)
    response = HttpResponse(pdf.render(cert), content_type="application/pdf")
    safe = cert.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{safe}.pdf"'
    return response


@login_required
def certificate_json(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.restrict(request.user, VIEW), pk=pk)
    import json

    response = HttpResponse(json.dumps(cert.credential, indent=2, ensure_ascii=False),
                            content_type="application/vc+ld+json")
    response["Content-Disposition"] = f'attachment; filename="{cert.public_id}.json"'
    return response


ACTIONS = {"suspend": actions.do_suspend, "reinstate": actions.do_reinstate,
           "revoke": actions.do_revoke}


@login_required
@require_POST
def certificate_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.restrict(request.user, VIEW), pk=pk)
    try:
        if verb == "renew":
            new = actions.do_renew_certificate(actor=request.user, channel=Channel.WEB,
                                               certificate=cert)
            messages.success(request, _("Sertifikat diperpanjang: %(n)s") % {"n": new.number})
            return redirect("certification:certificate", pk=new.pk)
        fn = ACTIONS.get(verb)
        if fn is None:
            raise DomainError("not_found")
        fn(actor=request.user, channel=Channel.WEB, certificate=cert,
           reason=request.POST.get("reason", ""))
        messages.success(request, _("Status sertifikat diperbarui."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("certification:certificate", pk=cert.pk)


def _person_by_nik(nik: str) -> Person | None:
    return Person.objects.filter(nik=nik.strip()).first() if nik.strip() else None


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    people = Person.objects.restrict(request.user, VIEW)
    nik = request.GET.get("nik", "").strip()
    person = get_object_or_404(people, nik=nik) if nik else get_object_or_404(
        people, pk=request.GET.get("person") or 0)
    form = forms.ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        supervisor = _person_by_nik(data["supervisor_nik"])
        if data["supervisor_nik"] and supervisor is None:
            form.add_error("supervisor_nik", _("NIK tidak terdaftar."))
        else:
            try:
                app = actions.do_submit_application(
                    actor=request.user, channel=Channel.WEB, person=person,
                    scheme=data["scheme"], route=data["route"], supervisor=supervisor,
                    practice_hours=data["practice_hours"],
                    trainings=[t.strip() for t in data["trainings"].split(",") if t.strip()],
                    is_member=data["is_member"], funding=data["funding"], fee=data["fee"])
                messages.success(request, _("Permohonan tersimpan: %(s)s.")
                                 % {"s": app.get_status_display()})
                return redirect("certification:application", pk=app.pk)
            except DomainError as exc:
                form.add_domain_error(exc)
    return render(request, "certification/form.html", {
        "form": form, "title": _("Permohonan sertifikasi: %(n)s") % {"n": person.name},
        "multipart": False})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application.objects.restrict(request.user, VIEW)
                            .select_related("person", "scheme", "event"), pk=pk)
    evidence_form = forms.EvidenceForm(prefix="ev")
    verdict_form = forms.VerdictForm(prefix="vd")
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "evidence":
                evidence_form = forms.EvidenceForm(request.POST, request.FILES, prefix="ev")
                if evidence_form.is_valid():
                    upload = evidence_form.cleaned_data["file"]
                    if upload.size > evidence.MAX_BYTES:
                        raise DomainError("evidence_too_large", field="file",
                                          message=_("Berkas melebihi 10 MB."))
                    actions.do_add_evidence(actor=request.user, channel=Channel.WEB,
                                            application=app,
                                            kind=evidence_form.cleaned_data["kind"],
                                            name=upload.name, content=upload.read())
                    messages.success(request, _("Bukti tersimpan."))
                    return redirect("certification:application", pk=app.pk)
            elif step in ("recommend", "decide"):
                verdict_form = forms.VerdictForm(request.POST, prefix="vd")
                if verdict_form.is_valid():
                    verdict = verdict_form.cleaned_data["verdict"]
                    if step == "recommend":
                        actions.do_recommend(actor=request.user, channel=Channel.WEB,
                                             application=app, verdict=verdict)
                        messages.success(request, _("Rekomendasi tersimpan."))
                    else:
                        _app, cert = actions.do_decide(
                            actor=request.user, channel=Channel.WEB, application=app,
                            verdict=verdict, note=verdict_form.cleaned_data["note"])
                        if cert is not None:
                            messages.success(request, _("Kompeten: sertifikat %(n)s terbit.")
                                             % {"n": cert.number})
                            return redirect("certification:certificate", pk=cert.pk)
                        messages.success(request, _("Keputusan tersimpan."))
                    return redirect("certification:application", pk=app.pk)
            elif step == "reassess":
                new = actions.do_reassess(actor=request.user, channel=Channel.WEB,
                                          application=app)
                return redirect("certification:application", pk=new.pk)
        except DomainError as exc:
            target = evidence_form if step == "evidence" else verdict_form
            target.add_domain_error(exc)
            if not target.errors:
                messages.error(request, exc.message)
    return render(request, "certification/application.html", {
        "app": app, "outcomes": actions.unit_outcomes(app),
        "evidence": app.evidence.all(), "history": audit.history(app)[:50],
        "evidence_form": evidence_form, "verdict_form": verdict_form,
        "can_change": can(request.user, CHANGE)})


@login_required
def assessor_new(request: HttpRequest) -> HttpResponse:
    form = forms.AssessorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.restrict(request.user, VIEW).filter(
            nik=data["nik"].strip()).first()
        account = (User.objects.filter(username=data["username"].strip()).first()
                   if data["username"].strip() else None)
        if person is None:
            form.add_error("nik", _("NIK tidak ditemukan dalam lingkup Anda."))
        elif data["username"].strip() and account is None:
            form.add_error("username", _("Akun tidak ditemukan."))
        else:
            try:
                actions.do_create_assessor(
                    actor=request.user, channel=Channel.WEB, person=person,
                    registration_number=data["registration_number"], schemes=data["schemes"],
                    active_from=data["active_from"], active_until=data["active_until"],
                    qualifications=data["qualifications"], user=account)
                messages.success(request, _("Asesor tersimpan."))
                return redirect("certification:report")
            except DomainError as exc:
                form.add_domain_error(exc)
    return render(request, "certification/form.html", {
        "form": form, "title": _("Asesor baru"), "multipart": False})


@login_required
def registration_new(request: HttpRequest) -> HttpResponse:
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.restrict(request.user, VIEW).filter(
            nik=data["nik"].strip()).first()
        if person is None:
            form.add_error("nik", _("NIK tidak ditemukan dalam lingkup Anda."))
        else:
            try:
                reg = actions.do_record_registration(
                    actor=request.user, channel=Channel.WEB, person=person, kind=data["kind"],
                    number=data["number"], issued_by=data["issued_by"],
                    valid_from=data["valid_from"], valid_until=data["valid_until"])
                messages.success(request, _("%(k)s %(n)s tercatat.")
                                 % {"k": reg.get_kind_display(), "n": reg.number})
                return redirect("certification:index")
            except DomainError as exc:
                form.add_domain_error(exc)
    return render(request, "certification/form.html", {
        "form": form, "title": _("Catat STR / SIPPS"), "multipart": False})


@login_required
def events(request: HttpRequest) -> HttpResponse:
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = Organisation.objects.filter(code=data["organisation"].strip()).first()
        if org is None:
            form.add_error("organisation", _("Kode organisasi tidak dikenal."))
        else:
            try:
                event = actions.do_create_event(
                    actor=request.user, channel=Channel.WEB, scheme=data["scheme"],
                    title=data["title"], date=data["date"], place=data["place"],
                    organisation=org)
                return redirect("certification:event", pk=event.pk)
            except DomainError as exc:
                form.add_domain_error(exc)
    rows = AssessmentEvent.objects.restrict(request.user, VIEW).select_related("scheme")[:200]
    return render(request, "certification/events.html", {
        "events": rows, "form": form, "can_add": can(request.user, CHANGE)})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(AssessmentEvent.objects.restrict(request.user, VIEW)
                              .select_related("scheme"), pk=pk)
    assessors = Assessor.objects.filter(schemes=event.scheme, active_from__lte=event.date,
                                        active_until__gte=event.date).select_related("person")
    eligible = Application.objects.restrict(request.user, VIEW).filter(
        scheme=event.scheme, status=ApplicationStatus.ELIGIBLE).select_related("person")
    team = list(event.assignments.select_related("assessor__person"))
    assign = forms.AssignForm(prefix="as")
    assign.fields["assessor"].widget.choices = [(a.pk, str(a)) for a in assessors]
    candidate = forms.CandidateForm(prefix="ca")
    candidate.fields["application"].widget.choices = [(a.pk, str(a)) for a in eligible]
    result = forms.ResultForm(prefix="re")
    result.fields["unit"].widget.choices = [(u.code, str(u)) for u in event.scheme.units.all()]
    result.fields["assessor"].widget.choices = [(t.assessor_id, str(t.assessor)) for t in team]
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "assign":
                assign.data, assign.is_bound = request.POST, True
                if assign.is_valid():
                    actions.do_assign_assessor(
                        actor=request.user, channel=Channel.WEB, event=event,
                        assessor=get_object_or_404(Assessor, pk=assign.cleaned_data["assessor"]),
                        is_lead=assign.cleaned_data["is_lead"])
                    return redirect("certification:event", pk=event.pk)
            elif step == "candidate":
                candidate.data, candidate.is_bound = request.POST, True
                if candidate.is_valid():
                    actions.do_add_candidate(
                        actor=request.user, channel=Channel.WEB, event=event,
                        application=get_object_or_404(
                            Application.objects.restrict(request.user, VIEW),
                            pk=candidate.cleaned_data["application"]))
                    return redirect("certification:event", pk=event.pk)
            elif step == "result":
                result.data, result.is_bound = request.POST, True
                if result.is_valid():
                    data = result.cleaned_data
                    app = get_object_or_404(event.applications.all(), pk=data["application"])
                    actions.do_record_result(
                        actor=request.user, channel=Channel.WEB, application=app,
                        unit=get_object_or_404(event.scheme.units.all(), code=data["unit"]),
                        method=data["method"], verdict=data["verdict"],
                        assessor=get_object_or_404(Assessor, pk=data["assessor"]))
                    messages.success(request, _("Hasil tersimpan."))
                    return redirect("certification:event", pk=event.pk)
        except DomainError as exc:
            form = {"assign": assign, "candidate": candidate}.get(step or "", result)
            form.add_domain_error(exc)
    candidates = [(a, actions.unit_outcomes(a)) for a in
                  event.applications.select_related("person")]
    return render(request, "certification/event.html", {
        "event": event, "team": team, "candidates": candidates, "assign": assign,
        "candidate_form": candidate, "result_form": result,
        "can_change": can(request.user, CHANGE)})


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Evidence, pk=pk, application__in=Application.objects.restrict(
        request.user, VIEW))
    return FileResponse(item.file.open("rb"), as_attachment=True,
                        filename=item.original_name, content_type=item.content_type)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(request, "certification/report.html", {
        "share": reports.certified_share(user),
        "expiring": reports.expiring(user)[:200],
        "workload": reports.assessor_workload(user)})


# -- training completion credentials --------------------------------------------------------

def _completion(request: HttpRequest, pk: int) -> CompletionCredential:
    """A completion credential the user may see: in their person scope or a manager of its
    batch; otherwise 404."""
    cred = get_object_or_404(CompletionCredential.objects.select_related(
        "person", "nomination__batch__programme", "nomination__batch__organisation"), pk=pk)
    visible = CompletionCredential.objects.restrict(request.user, VIEW).filter(pk=pk).exists()
    if not (visible or actions.may_issue_completion(request.user, cred.nomination.batch)):
        raise Http404
    return cred


@login_required
def completion_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cred = _completion(request, pk)
    response = HttpResponse(pdf.render_completion(cred), content_type="application/pdf")
    safe = cred.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="sertifikat-pelatihan-{safe}.pdf"'
    return response


@login_required
def completion_json(request: HttpRequest, pk: int) -> HttpResponse:
    import json

    cred = _completion(request, pk)
    response = HttpResponse(json.dumps(cred.credential, indent=2, ensure_ascii=False),
                            content_type="application/vc+ld+json")
    response["Content-Disposition"] = f'attachment; filename="{cred.public_id}.json"'
    return response


@login_required
@require_POST
def issue_completions(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """The training batch page's button: credentials for every completed participant who has
    none yet (managers of the batch only)."""
    from sdmkesos.training.models import Batch

    batch = get_object_or_404(Batch.objects.select_related("organisation"), pk=batch_pk)
    if not actions.may_issue_completion(request.user, batch):
        raise PermissionDenied
    try:
        issued = actions.do_issue_completion_credentials(actor=request.user,
                                                         channel=Channel.WEB, batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if issued:
            messages.success(request, _("%(n)s sertifikat pelatihan diterbitkan.")
                             % {"n": len(issued)})
        else:
            messages.info(request, _("Tidak ada peserta lulus yang belum memiliki sertifikat "
                                     "pelatihan."))
    return redirect("training:batch", pk=batch.pk)


# -- schemes --------------------------------------------------------------------------------

def _is_scheme_admin(user: Any) -> bool:
    from sdmkesos.core.choices import Role

    return bool(user.is_authenticated and user.is_active
                and (user.is_superuser or user.role == Role.NATIONAL_ADMIN))


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    """Every scheme with its units, eligibility and validity (reference data: all staff)."""
    rows = Scheme.objects.restrict(request.user, VIEW).prefetch_related("units")
    return render(request, "certification/schemes.html", {
        "schemes": rows, "can_edit": _is_scheme_admin(request.user)})


@login_required
def scheme_edit(request: HttpRequest, code: str) -> HttpResponse:
    if not _is_scheme_admin(request.user):
        raise PermissionDenied
    scheme = get_object_or_404(Scheme.objects.all(), code=code)
    form = forms.SchemeForm(request.POST or None, initial=forms.SchemeForm.initial_for(scheme))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_scheme(actor=request.user, channel=Channel.WEB, scheme=scheme,
                                     **form.for_action())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Skema %(c)s disimpan.") % {"c": scheme.code})
            return redirect("certification:schemes")
    return render(request, "certification/form.html", {
        "form": form, "title": _("Ubah skema %(c)s") % {"c": scheme.code}, "multipart": False},
        status=400 if request.method == "POST" else 200)
