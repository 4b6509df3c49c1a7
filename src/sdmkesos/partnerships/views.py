"""Pages of the partnerships app (/kemitraan/). Reads go through ``restrict(user, action)``;
writes through ``partnerships.actions`` with channel "web". An object outside the user's scope is
a 404; a write by a read-only role is a 403."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import User
from sdmkesos.core.scoping import ADD, CHANGE, VIEW, can, region_q, scope_for

from . import actions, exporting, forms, queries
from .models import (
    ActionItem,
    Agreement,
    AgreementDocument,
    AgreementParty,
    Appointment,
    DeliveryLink,
    Letter,
    LetterTemplate,
    Meeting,
    MeetingSession,
    Notification,
    PactSignature,
    PactText,
    ResearchActivity,
    Resolution,
)

WEB = Channel.WEB
PAGE = 100


def _require(user: Any, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def _get(model: Any, user: Any, pk: int, action: str = VIEW) -> Any:
    if action != VIEW:
        _require(user, action)
    return get_object_or_404(model.objects.restrict(user, action), pk=pk)


def _can_change(model: Any, user: Any, pk: int) -> bool:
    return can(user, CHANGE) and model.objects.restrict(user, CHANGE).filter(pk=pk).exists()


def _form_page(request: HttpRequest, form: Any, title: str, back: str,
               multipart: bool = False, intro: str = "") -> HttpResponse:
    return render(request, "partnerships/form.html", {
        "form": form, "title": title, "back": back, "multipart": multipart, "intro": intro})


def _run_form(request: HttpRequest, form: Any, run: Callable[[dict[str, Any]], Any],
              success: str, next_url: Callable[[Any], str] | str) -> HttpResponse | None:
    """Validate ``form`` and call ``run``: a redirect on success, None to show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = run(form.cleaned_data)
    except DomainError as err:
        form.apply_domain_error(err)
        return None
    messages.success(request, success)
    return redirect(next_url(result) if callable(next_url) else next_url)


def _region_filter(value: str, spec: Any) -> Q | None:
    import re

    if value and re.fullmatch(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?", value):
        return region_q(spec, (value,))
    return None


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in ("csv", "xlsx") else None


# --- dashboard and notifications -------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    import re

    user: Any = request.user
    province = request.GET.get("provinsi", "")
    province = province if re.fullmatch(r"[0-9]{2}", province) else ""
    data = queries.dashboard(user, province=province or None)
    expiring = (Agreement.objects.restrict(user).filter(status="expiring")
                .order_by("end_date")[:10])
    overdue = (ActionItem.objects.restrict(user).filter(queries.overdue_q())
               .select_related("resolution__meeting").order_by("due_date")[:10])
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return render(request, "partnerships/dashboard.html", {
        "data": data, "expiring": expiring, "overdue": overdue, "unread": unread,
        "province": province,
        "status_rows": [(label, data["agreements"]["by_status"][code])
                        for code, label in forms.AgreementStatus.choices
                        if code in data["agreements"]["by_status"]]})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = Notification.objects.filter(user=user)
    if request.method == "POST":
        actions.do_mark_notifications_read(actor=user, channel=WEB)
        return redirect("partnerships:notifications")
    return render(request, "partnerships/notifications.html", {"items": qs[:200]})


# --- agreements ------------------------------------------------------------------------------


def agreement_queryset(user: Any, params: dict[str, Any]) -> QuerySet[Agreement]:
    qs = Agreement.objects.restrict(user, VIEW)
    if params.get("q"):
        q = params["q"]
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q)
                       | Q(parties__name__icontains=q)).distinct()
    for name in ("kind", "status"):
        if params.get(name):
            qs = qs.filter(**{name: params[name]})
    if params.get("scope"):
        wanted = params["scope"]
        qs = qs.filter(pk__in=[a.pk for a in qs.only("pk", "scopes") if wanted in a.scopes])
    region = _region_filter(params.get("region", ""), Agreement.scope)
    if region is not None:
        qs = qs.filter(pk__in=Agreement.objects.filter(region).values("pk"))
    return qs.order_by("-signing_date", "-id")


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.AgreementFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    qs = agreement_queryset(user, params)
    fmt = _fmt(request)
    if fmt:
        return exporting.response("perjanjian", exporting.AGREEMENT_HEADERS,
                                  exporting.agreement_rows(qs), fmt)
    rows = list(qs.prefetch_related("parties")[:PAGE])
    return render(request, "partnerships/agreement_list.html", {
        "form": form, "rows": rows, "count": qs.count(), "can_add": can(user, ADD),
        "query": request.GET.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require(user, ADD)
    form = forms.AgreementCreateForm(request.POST or None, user=user)

    def run(d: dict[str, Any]) -> Agreement:
        data = {k: d[k] for k in ("kind", "number", "title", "parent", "summary", "scopes",
                                  "signing_date", "start_date", "end_date")}
        if d.get("responsible_users"):
            data["responsible_users"] = d["responsible_users"]
        party = {k: d[k] for k in ("organisation", "name", "region", "signatory_name",
                                   "signatory_position", "obligations")}
        return actions.do_create_agreement(actor=user, channel=WEB, data=data,
                                           parties=[party])

    done = _run_form(request, form, run, _("Perjanjian disimpan sebagai draf."),
                     lambda a: reverse("partnerships:agreement_detail", args=[a.pk]))
    return done or _form_page(request, form, _("Perjanjian baru"),
                              reverse("partnerships:agreement_list"),
                              intro=_("Pihak pertama diisi di sini; pihak lain ditambahkan di "
                                      "halaman perjanjian."))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    agreement = _get(Agreement, user, pk, CHANGE)
    initial: dict[str, Any] = {f: getattr(agreement, f) for f in (
        "kind", "number", "title", "parent", "summary", "scopes", "signing_date",
        "start_date", "end_date")}
    initial["responsible_users"] = ", ".join(
        agreement.responsible_users.values_list("username", flat=True))
    form = forms.AgreementForm(request.POST or None, initial=initial, user=user)

    def run(d: dict[str, Any]) -> Any:
        data = dict(d)
        if data.get("responsible_users") is None:
            data.pop("responsible_users", None)
        return actions.do_update_agreement(actor=user, channel=WEB, agreement=agreement,
                                           data=data)

    done = _run_form(request, form, run,
        _("Perubahan disimpan."), reverse("partnerships:agreement_detail", args=[pk]))
    return done or _form_page(request, form, _("Ubah perjanjian"),
                              reverse("partnerships:agreement_detail", args=[pk]))


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    agreement = get_object_or_404(Agreement.objects.restrict(user, VIEW).select_related(
        "parent").prefetch_related("parties__organisation", "responsible_users"), pk=pk)
    funding = list(agreement.funding.select_related("party"))
    by_year: dict[int, Any] = defaultdict(lambda: 0)
    for f in funding:
        by_year[f.year] += f.amount
    children = Agreement.objects.restrict(user, VIEW).filter(parent=agreement)
    linked = queries.linked_deliveries(agreement.links.all())
    return render(request, "partnerships/agreement_detail.html", {
        "a": agreement, "parties": agreement.parties.all(), "funding": funding,
        "funding_by_year": sorted(by_year.items()), "funding_total": sum(by_year.values()),
        "delivery": queries.delivery_summary(agreement, linked),
        "by_party_year": queries.delivery_by_party_year(agreement, linked),
        "linked": linked, "deliveries": agreement.deliveries.select_related("party"),
        "research": agreement.research.all(),
        "documents": agreement.documents.all(), "children": children,
        "history": audit.history(agreement)[:100],
        "can_change": _can_change(Agreement, user, pk),
        "today": dt.date.today(),
        "transition": forms.TransitionForm()})


@login_required
@require_POST
def agreement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    agreement = _get(Agreement, user, pk, CHANGE)
    form = forms.TransitionForm(request.POST)
    back = reverse("partnerships:agreement_detail", args=[pk])
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values()
                                          for e in errs))
        return redirect(back)
    d = form.cleaned_data
    try:
        if d["action"] == "sign":
            actions.do_sign_agreement(actor=user, channel=WEB, agreement=agreement,
                                      signing_date=d["signing_date"] or dt.date.today(),
                                      start_date=d["start_date"], end_date=d["end_date"])
        elif d["action"] == "extend":
            if not d["new_end_date"]:
                raise DomainError("required", field="new_end_date")
            actions.do_extend_agreement(actor=user, channel=WEB, agreement=agreement,
                                        new_end_date=d["new_end_date"])
        else:
            actions.do_terminate_agreement(actor=user, channel=WEB, agreement=agreement,
                                           reason=d["reason"] or "")
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Status perjanjian diperbarui."))
    return redirect(back)


def _agreement_child(request: HttpRequest, pk: int, form_cls: Any, title: str,
                     run: Callable[[Any, Agreement, dict[str, Any]], Any],
                     multipart: bool = False, **kwargs: Any) -> HttpResponse:
    user: Any = request.user
    agreement = _get(Agreement, user, pk, CHANGE)
    extra = ({"agreement": agreement}
             if form_cls in (forms.FundingForm, forms.DeliveryForm) else {})
    form = form_cls(request.POST or None, request.FILES or None, **extra, **kwargs)
    back = reverse("partnerships:agreement_detail", args=[pk])
    done = _run_form(request, form, lambda d: run(user, agreement, d), _("Tersimpan."), back)
    return done or _form_page(request, form, f"{title} — {agreement}", back,
                              multipart=multipart)


@login_required
@require_http_methods(["GET", "POST"])
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_child(request, pk, forms.PartyForm, _("Tambah pihak"),
                            lambda u, a, d: actions.do_add_party(actor=u, channel=WEB,
                                                                 agreement=a, data=d))


@login_required
@require_POST
def party_delete(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    user: Any = request.user
    agreement = _get(Agreement, user, pk, CHANGE)
    party = get_object_or_404(AgreementParty, pk=party_pk, agreement=agreement)
    try:
        actions.do_remove_party(actor=user, channel=WEB, party=party)
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("partnerships:agreement_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_child(request, pk, forms.FundingForm, _("Tambah pendanaan"),
                            lambda u, a, d: actions.do_add_funding(actor=u, channel=WEB,
                                                                   agreement=a, data=d))


@login_required
@require_http_methods(["GET", "POST"])
def plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_child(request, pk, forms.PlanForm, _("Tambah rencana capaian"),
                            lambda u, a, d: actions.do_add_plan(actor=u, channel=WEB,
                                                                agreement=a, data=d))


@login_required
@require_http_methods(["GET", "POST"])
def delivery_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_child(request, pk, forms.DeliveryForm, _("Catat realisasi"),
                            lambda u, a, d: actions.do_add_delivery(actor=u, channel=WEB,
                                                                    agreement=a, data=d))


@login_required
@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a training batch, scholarship intake, field placement or assessment event (one the
    user may see) to the agreement it implements."""
    user: Any = request.user

    def run(u: Any, a: Agreement, d: dict[str, Any]) -> Any:
        return actions.do_link_delivery(actor=u, channel=WEB, agreement=a, target=d["target"],
                                        record=d[d["target"]], party=d.get("party"),
                                        budget=d.get("budget"), note=d.get("note") or "")

    return _agreement_child(request, pk, forms.LinkForm, _("Tautkan kegiatan"), run,
                            agreement=_get(Agreement, user, pk, CHANGE), user=user)


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    user: Any = request.user
    agreement = _get(Agreement, user, pk, CHANGE)
    link = get_object_or_404(DeliveryLink, pk=link_pk, agreement=agreement)
    actions.do_unlink_delivery(actor=user, channel=WEB, link=link)
    messages.success(request, _("Tautan kegiatan dihapus."))
    return redirect("partnerships:agreement_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def research_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_child(request, pk, forms.ResearchForm, _("Tambah penelitian"),
                            lambda u, a, d: actions.do_save_research(actor=u, channel=WEB,
                                                                     agreement=a, data=d))


@login_required
@require_http_methods(["GET", "POST"])
def research_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(user, CHANGE)
    research = get_object_or_404(ResearchActivity, pk=pk, agreement__in=Agreement.objects
                                 .restrict(user, CHANGE))
    initial = {f: getattr(research, f) for f in forms.ResearchForm.base_fields}
    form = forms.ResearchForm(request.POST or None, initial=initial)
    back = reverse("partnerships:agreement_detail", args=[research.agreement_id])
    done = _run_form(request, form, lambda d: actions.do_save_research(
        actor=user, channel=WEB, agreement=research.agreement, research=research,
        data=dict(d)), _("Tersimpan."), back)
    return done or _form_page(request, form, _("Temuan dan rekomendasi penelitian"), back)


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    def run(u: Any, a: Agreement, d: dict[str, Any]) -> Any:
        upload = d["file"]
        if upload.size > actions.MAX_DOCUMENT_BYTES:
            raise actions.too_large(upload.size)
        return actions.do_upload_document(actor=u, channel=WEB, agreement=a, name=upload.name,
                                          content=upload.read(), doc_type=d["doc_type"])

    return _agreement_child(request, pk, forms.DocumentForm, _("Unggah dokumen"), run,
                            multipart=True)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Documents are never served publicly: only through this scoped view, as attachments."""
    doc = get_object_or_404(AgreementDocument, pk=pk,
                            agreement__in=Agreement.objects.restrict(request.user, VIEW))
    response = FileResponse(doc.file.open("rb"), as_attachment=True,
                            filename=doc.original_name, content_type=doc.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(user, CHANGE)
    doc = get_object_or_404(AgreementDocument, pk=pk,
                            agreement__in=Agreement.objects.restrict(user, CHANGE))
    agreement_id = doc.agreement_id
    actions.do_delete_document(actor=user, channel=WEB, document=doc)
    messages.success(request, _("Dokumen dihapus."))
    return redirect("partnerships:agreement_detail", pk=agreement_id)


# --- meetings --------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = Meeting.objects.restrict(user, VIEW).select_related("organiser").order_by(
        "-start_date", "-id")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(venue__icontains=q))
    fmt = _fmt(request)
    rows = list(qs[:PAGE])
    people = dict(Meeting.objects.filter(pk__in=[m.pk for m in rows]).values_list("pk")
                  .annotate(n=Sum("participants__count")))
    if fmt:
        return exporting.response(
            "rapat", ["Kegiatan", "Penyelenggara", "Mulai", "Selesai", "Tempat", "Peserta"],
            ([m.title, m.organiser.name, m.start_date, m.end_date, m.venue,
              people.get(m.pk) or 0] for m in qs), fmt)
    return render(request, "partnerships/meeting_list.html", {
        "rows": [(m, people.get(m.pk) or 0) for m in rows], "q": q,
        "can_add": can(user, ADD)})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require(user, ADD)
    form = forms.MeetingForm(request.POST or None)

    def run(d: dict[str, Any]) -> Meeting:
        data = {k: v for k, v in d.items() if k != "regions"}
        return actions.do_create_meeting(actor=user, channel=WEB, data=data,
                                         regions=[r.code for r in d["regions"]])

    done = _run_form(request, form, run, _("Rapat disimpan."),
                     lambda m: reverse("partnerships:meeting_detail", args=[m.pk]))
    return done or _form_page(request, form, _("Rapat koordinasi baru"),
                              reverse("partnerships:meeting_list"))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    meeting = _get(Meeting, user, pk, CHANGE)
    initial: dict[str, Any] = {f: getattr(meeting, f) for f in forms.MeetingForm.base_fields
                               if f != "regions"}
    initial["regions"] = [c.region_id for c in meeting.coverage.all()
                          if c.region_id and len(c.region_id) == 2]
    form = forms.MeetingForm(request.POST or None, initial=initial)

    def run(d: dict[str, Any]) -> Any:
        data = {k: v for k, v in d.items() if k != "regions"}
        return actions.do_update_meeting(actor=user, channel=WEB, meeting=meeting, data=data,
                                         regions=[r.code for r in d["regions"]])

    back = reverse("partnerships:meeting_detail", args=[pk])
    done = _run_form(request, form, run, _("Perubahan disimpan."), back)
    return done or _form_page(request, form, _("Ubah rapat"), back)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    meeting = get_object_or_404(Meeting.objects.restrict(user, VIEW).select_related(
        "organiser", "previous", "venue_region"), pk=pk)
    visible = ActionItem.objects.restrict(user, VIEW)
    resolutions = meeting.resolutions.prefetch_related(Prefetch(
        "actions", queryset=visible.prefetch_related("owners__organisation")))
    participants = list(meeting.participants.select_related("organisation", "region"))
    by_region: dict[str, int] = defaultdict(int)
    for p in participants:
        by_region[p.region.name if p.region else _("(tanpa wilayah)")] += p.count
    provinces = {p.region_id[:2] for p in participants if p.region_id}
    kabkota = {p.region_id[:5] for p in participants if p.region_id and len(p.region_id) >= 5}
    previous = list(queries.previous_actions(meeting, user))
    prev_counts: dict[str, int] = defaultdict(int)
    for item in previous:
        prev_counts[_("Lewat tenggat") if item.is_overdue() else item.get_status_display()] += 1
    return render(request, "partnerships/meeting_detail.html", {
        "m": meeting, "sessions": meeting.sessions.all(), "resolutions": resolutions,
        "participants": participants[:300], "participant_rows": len(participants),
        "people": sum(p.count for p in participants), "by_region": sorted(by_region.items()),
        "provinces": len(provinces), "kabkota": len(kabkota),
        "previous": previous, "prev_counts": dict(prev_counts),
        "can_change": _can_change(Meeting, user, pk), "today": dt.date.today(),
        "history": audit.history(meeting)[:50]})


def _meeting_child(request: HttpRequest, pk: int, form_cls: Any, title: str,
                   run: Callable[[Any, Meeting, dict[str, Any]], Any],
                   multipart: bool = False) -> HttpResponse:
    user: Any = request.user
    meeting = _get(Meeting, user, pk, CHANGE)
    form = form_cls(request.POST or None, request.FILES or None)
    back = reverse("partnerships:meeting_detail", args=[pk])
    done = _run_form(request, form, lambda d: run(user, meeting, d), _("Tersimpan."), back)
    return done or _form_page(request, form, f"{title} — {meeting}", back, multipart=multipart)


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_child(request, pk, forms.SessionForm, _("Tambah sesi"),
                          lambda u, m, d: actions.do_add_session(actor=u, channel=WEB,
                                                                 meeting=m, data=d))


@login_required
@require_http_methods(["GET", "POST"])
def session_findings(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(user, CHANGE)
    session = get_object_or_404(MeetingSession, pk=pk,
                                meeting__in=Meeting.objects.restrict(user, CHANGE))
    form = forms.SessionForm(request.POST or None, initial={
        f: getattr(session, f) for f in forms.SessionForm.base_fields})
    back = reverse("partnerships:meeting_detail", args=[session.meeting_id])
    done = _run_form(request, form, lambda d: actions.do_update_session_findings(
        actor=user, channel=WEB, session=session, findings=d["findings"]),
        _("Temuan disimpan."), back)
    return done or _form_page(request, form, _("Temuan sesi"), back)


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_child(request, pk, forms.ParticipantForm, _("Tambah peserta"),
                          lambda u, m, d: actions.do_add_participants(
                              actor=u, channel=WEB, meeting=m, rows=[d]))


@login_required
@require_http_methods(["GET", "POST"])
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    from .attendance import COLUMNS, import_attendance

    user: Any = request.user
    meeting = _get(Meeting, user, pk, CHANGE)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()[:6]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"daftar-hadir{suffix}"
            path.write_bytes(upload.read())
            try:
                result = import_attendance(path, actor=user, meeting=meeting, channel="import",
                                           dry_run=form.cleaned_data["dry_run"],
                                           note=f"file {upload.name}"[:255])
            except DomainError as err:
                form.apply_domain_error(err)
        if result is not None and result.committed:
            messages.success(request, _("%(n)s baris peserta (%(p)s orang) diimpor.")
                             % {"n": result.created, "p": result.people})
            return redirect("partnerships:meeting_detail", pk=pk)
    return render(request, "partnerships/import.html", {
        "form": form, "m": meeting, "result": result, "columns": COLUMNS})


@login_required
@require_http_methods(["GET", "POST"])
def resolution_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_child(request, pk, forms.ResolutionForm, _("Tambah kesepakatan"),
                          lambda u, m, d: actions.do_add_resolution(
                              actor=u, channel=WEB, meeting=m, text=d["text"]))


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(user, CHANGE)
    resolution = get_object_or_404(Resolution, pk=pk,
                                   meeting__in=Meeting.objects.restrict(user, CHANGE))
    form = forms.ActionForm(request.POST or None)
    back = reverse("partnerships:meeting_detail", args=[resolution.meeting_id])

    def run(d: dict[str, Any]) -> ActionItem:
        data = {k: d[k] for k in ("title", "description", "responsible", "due_date",
                                  "responsible_user")}
        return actions.do_create_action(actor=user, channel=WEB, resolution=resolution,
                                        data=data, owners=list(d["owners"]))

    done = _run_form(request, form, run, _("Rencana aksi disimpan."), back)
    return done or _form_page(request, form, _("Rencana aksi untuk kesepakatan %(n)s")
                              % {"n": resolution.number}, back)


def action_queryset(user: Any, params: dict[str, Any]) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.restrict(user, VIEW)
    status = params.get("status")
    if status == "overdue":
        qs = qs.filter(queries.overdue_q())
    elif status:
        qs = qs.filter(status=status)
    region = _region_filter(params.get("region", ""), ActionItem.scope)
    if region is not None:
        qs = qs.filter(pk__in=ActionItem.objects.filter(region).values("pk"))
    if params.get("owner"):
        qs = qs.filter(owners__organisation__code=params["owner"]).distinct()
    return qs.select_related("resolution__meeting").order_by("due_date", "id")


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """The follow-up view: action items grouped per owner organisation or per region."""
    user: Any = request.user
    form = forms.ActionFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    qs = action_queryset(user, params)
    fmt = _fmt(request)
    if fmt:
        return exporting.response("rencana-aksi", exporting.ACTION_HEADERS,
                                  exporting.action_rows(qs), fmt)
    items = list(qs.prefetch_related("owners__organisation", "owners__region")[:500])
    group = params.get("group") or "owner"
    groups: dict[str, list[ActionItem]] = defaultdict(list)
    for item in items:
        owners = list(item.owners.all())
        keys = ([o.organisation.name for o in owners] if group == "owner" else
                [(o.region.name if o.region else _("Nasional")) for o in owners])
        for key in sorted(set(keys)) or ["-"]:
            groups[key].append(item)
    summary = [(k, v, sum(1 for i in v if i.is_overdue()),
                sum(1 for i in v if i.status == "done")) for k, v in sorted(groups.items())]
    return render(request, "partnerships/action_list.html", {
        "form": form, "groups": summary, "count": len(items), "today": dt.date.today(),
        "query": request.GET.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    item = get_object_or_404(ActionItem.objects.restrict(user, VIEW).select_related(
        "resolution__meeting"), pk=pk)
    can_change = _can_change(ActionItem, user, pk)
    form = forms.ActionUpdateForm(request.POST or None, initial={
        "status": item.status, "evidence": item.evidence, "evidence_url": item.evidence_url,
        "due_date": item.due_date})
    if request.method == "POST":
        _require(user, CHANGE)
        if not can_change:
            raise PermissionDenied(_("Di luar lingkup wilayah/organisasi Anda."))

        def run(d: dict[str, Any]) -> Any:
            note = d.pop("note", "")
            return actions.do_update_action(actor=user, channel=WEB, item=item, data=d,
                                            note=note)

        done = _run_form(request, form, run, _("Rencana aksi diperbarui."),
                         reverse("partnerships:action_detail", args=[pk]))
        if done:
            return done
    return render(request, "partnerships/action_detail.html", {
        "item": item, "owners": item.owners.select_related("organisation", "region"),
        "followups": item.followups.select_related("author"),
        "letters": Letter.objects.restrict(user, VIEW).filter(action=item),
        "form": form, "can_change": can_change, "overdue": item.is_overdue(),
        "history": audit.history(item)[:50]})


# --- letters ---------------------------------------------------------------------------------


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    qs = Letter.objects.restrict(request.user, VIEW).select_related("sender", "action")
    user: Any = request.user
    return render(request, "partnerships/letter_list.html", {
        "rows": qs.prefetch_related("recipients")[:PAGE], "can_add": can(user, ADD),
        "templates": LetterTemplate.objects.all(),
        "can_edit_templates": scope_for(user).unrestricted and can(user, CHANGE)})


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request: HttpRequest, action_pk: int | None = None) -> HttpResponse:
    user: Any = request.user
    _require(user, ADD)
    item = None
    initial: dict[str, Any] = {"date": dt.date.today()}
    if action_pk is not None:
        item = get_object_or_404(ActionItem.objects.restrict(user, CHANGE), pk=action_pk)
        initial["recipients"] = [o.organisation_id for o in item.owners.all()]
    if user.organisation_id:
        initial["sender"] = user.organisation_id
    form = forms.LetterForm(request.POST or None, initial=initial)
    back = (reverse("partnerships:action_detail", args=[item.pk]) if item
            else reverse("partnerships:letter_list"))

    def run(d: dict[str, Any]) -> Letter:
        return actions.do_create_letter(
            actor=user, channel=WEB, template=d["template"], sender=d["sender"],
            recipients=list(d["recipients"]), signatory_name=d["signatory_name"],
            signatory_position=d["signatory_position"], date=d["date"], action=item)

    done = _run_form(request, form, run, _("Surat dibuat."),
                     lambda letter: reverse("partnerships:letter_list"))
    return done or _form_page(request, form, _("Surat resmi baru"), back)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Letter templates are shared: national administrators create and change them."""
    user: Any = request.user
    if not (scope_for(user).unrestricted and can(user, CHANGE)):
        raise PermissionDenied(_("Hanya administrator nasional yang dapat mengubah templat."))
    template = get_object_or_404(LetterTemplate, pk=pk) if pk is not None else None
    initial = ({f: getattr(template, f) for f in forms.LetterTemplateForm.base_fields}
               if template else None)
    form = forms.LetterTemplateForm(request.POST or None, initial=initial)
    done = _run_form(request, form, lambda d: actions.do_save_letter_template(
        actor=user, channel=WEB, data=dict(d), template=template),
        _("Templat disimpan."), reverse("partnerships:letter_list"))
    return done or _form_page(request, form, _("Templat surat"),
                              reverse("partnerships:letter_list"))


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from .pdf import letter_pdf as render_pdf

    letter = get_object_or_404(Letter.objects.restrict(request.user, VIEW).select_related(
        "sender"), pk=pk)
    response = HttpResponse(render_pdf(letter), content_type="application/pdf")
    safe = "".join(c if c.isalnum() else "-" for c in letter.number)
    response["Content-Disposition"] = f'inline; filename="surat-{safe}.pdf"'
    return response


# --- appointments and integrity pacts -------------------------------------------------------


@login_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    text = PactText.current()
    qs: QuerySet[Appointment] = Appointment.objects.restrict(user, VIEW).select_related(
        "organisation")
    unsigned = request.GET.get("belum") == "1"
    if unsigned:
        qs = queries.pending_signatures(user)
    signed_ids = set(PactSignature.objects.filter(text=text).values_list(
        "appointment_id", flat=True)) if text else set()
    fmt = _fmt(request)
    if fmt:
        return exporting.response("pelantikan", exporting.APPOINTMENT_HEADERS,
                                  exporting.appointment_rows(qs, signed_ids), fmt)
    return render(request, "partnerships/appointment_list.html", {
        "rows": [(a, a.pk in signed_ids) for a in qs[:PAGE * 2]], "text": text,
        "unsigned": unsigned, "pending": queries.pending_signatures(user).count(),
        "can_add": can(user, ADD), "is_national": scope_for(user).unrestricted})


@login_required
@require_http_methods(["GET", "POST"])
def appointment_create(request: HttpRequest) -> HttpResponse:
    from sdmkesos.people.models import Person

    user: Any = request.user
    _require(user, ADD)
    form = forms.AppointmentForm(request.POST or None)

    def run(d: dict[str, Any]) -> Appointment:
        data = {k: v for k, v in d.items() if k not in ("person_id", "username")}
        if d.get("person_id"):
            person = Person.objects.restrict(user, VIEW).filter(pk=d["person_id"]).first()
            if person is None:
                raise DomainError("not_found", field="person_id")
            data["person"] = person
        if d.get("username"):
            account = User.objects.filter(username=d["username"]).first()
            if account is None:
                raise DomainError("not_found", field="username")
            data["user"] = account
        return actions.do_create_appointment(actor=user, channel=WEB, data=data)

    done = _run_form(request, form, run, _("Pelantikan dicatat."),
                     lambda a: reverse("partnerships:appointment_detail", args=[a.pk]))
    return done or _form_page(request, form, _("Catat pelantikan"),
                              reverse("partnerships:appointment_list"))


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    ap = get_object_or_404(Appointment.objects.restrict(user, VIEW).select_related(
        "organisation", "user"), pk=pk)
    text = PactText.current()
    signatures = list(ap.signatures.select_related("text", "user"))
    current = next((s for s in signatures if text and s.text_id == text.pk), None)
    return render(request, "partnerships/appointment_detail.html", {
        "ap": ap, "text": text, "signatures": [(s, actions.verify_signature(s))
                                               for s in signatures],
        "current": current, "is_official": ap.user_id == user.pk,
        "history": audit.history(ap)[:50]})


@login_required
@require_POST
def appointment_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    ap = get_object_or_404(Appointment.objects.restrict(user, VIEW), pk=pk)
    if request.POST.get("agree") != "1":
        messages.error(request, _("Centang pernyataan setuju sebelum menandatangani."))
        return redirect("partnerships:appointment_detail", pk=pk)
    try:
        sig = actions.do_sign_pact(actor=user, channel=WEB, appointment=ap,
                                   shown_sha256=request.POST.get("sha256", ""))
    except DomainError as err:
        if err.code == "not_the_official":
            raise PermissionDenied(err.message) from err
        messages.error(request, err.message)
    else:
        messages.success(request, _("Pakta integritas ditandatangani (%(h)s).")
                         % {"h": sig.signature_sha256[:16]})
    return redirect("partnerships:appointment_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def pact_texts(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    national = scope_for(user).unrestricted
    current = PactText.current()
    form = forms.PactTextForm(request.POST or None, initial={
        "body": current.body if current else "", "title": current.title if current else
        "Pakta Integritas"})
    if request.method == "POST":
        if not national:
            raise PermissionDenied(_("Hanya administrator nasional yang dapat mengubah naskah."))
        done = _run_form(request, form, lambda d: actions.do_publish_pact_text(
            actor=user, channel=WEB, body=d["body"], title=d["title"]),
            _("Versi naskah baru terbit; semua pejabat perlu menandatangani ulang."),
            reverse("partnerships:pact_texts"))
        if done:
            return done
    return render(request, "partnerships/pact_texts.html", {
        "texts": PactText.objects.all(), "form": form, "national": national})


@login_required
def signature_verify(request: HttpRequest, pk: int) -> HttpResponse:
    sig = get_object_or_404(PactSignature.objects.select_related("text", "appointment", "user"),
                            pk=pk, appointment__in=Appointment.objects.restrict(request.user))
    ok = actions.verify_signature(sig)
    return render(request, "partnerships/verify.html", {"sig": sig, "ok": ok})

