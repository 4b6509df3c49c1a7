"""Training pages: batches (angkatan) with sessions, trainers, participants and their way from
nomination to completion; programmes, trainers, venues, scholarships, field practice; a person's
training history. Reads through ``restrict``/``visible_nominations``; writes through actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdmkesos.competency.webutil import forbid_unless
from sdmkesos.core import audit
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.scoping import CHANGE, VIEW, can
from sdmkesos.people.models import Person

from . import actions
from .forms import (
    ATTENDANCE_CHOICES,
    AssignTrainerForm,
    AvailabilityForm,
    BatchForm,
    CompleteForm,
    FeedbackForm,
    PersonLookupForm,
    PlacementForm,
    ProgrammeForm,
    SchemeForm,
    ScholarStatusForm,
    ScoresForm,
    SessionForm,
    TrainerForm,
    VenueForm,
)
from .models import (
    Attendance,
    Batch,
    BatchSession,
    BatchStatus,
    FieldPlacement,
    Nomination,
    NominationStatus,
    Programme,
    Scholar,
    ScholarshipScheme,
    Trainer,
    Venue,
)
from .permissions import can_manage, may_manage_anything
from .queries import visible_nominations

CHANNEL = Channel.WEB
NS = NominationStatus
SEATED = (NS.ENROLLED, NS.COMPLETED, NS.NOT_COMPLETED)


def _url(name: str, *args: Any) -> str:
    return reverse(f"training:{name}", args=list(args))


def _saved(request: HttpRequest, text: str, url: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(url)


# --- batches --------------------------------------------------------------------------------


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    qs = Batch.objects.select_related("programme", "organisation", "venue_region").annotate(
        seated=Count("nominations", filter=Q(nominations__status__in=SEATED)))
    programme = request.GET.get("program", "")
    status = request.GET.get("status", "")
    if programme:
        qs = qs.filter(programme__code=programme)
    if status in BatchStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("mendatang"):
        qs = qs.filter(end_date__gte=dt.date.today())
    return render(request, "training/batches.html", {
        "batches": qs.order_by("start_date", "id")[:300],
        "programmes": Programme.objects.filter(is_active=True), "statuses": BatchStatus.choices,
        "programme": programme, "status": status,
        "can_create": may_manage_anything(request.user)})


def _batch_context(request: HttpRequest, batch: Batch, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    manager = can_manage(user, batch.organisation)
    nominations = list(visible_nominations(user, batch).order_by("status", "person__name"))
    writer = can(user, CHANGE)
    return {
        "batch": batch, "manager": manager,
        "sessions": batch.sessions.all(),
        "trainers": batch.trainer_links.select_related("trainer"),
        "nominations": nominations,
        "seated": batch.nominations.filter(status__in=SEATED).count(),
        "waiting": batch.nominations.filter(status=NS.WAITLISTED).count(),
        "competencies": batch.programme.competencies.select_related("competency"),
        "can_nominate": writer and batch.status in (BatchStatus.PLANNED, BatchStatus.OPEN),
        "nominate_form": forms.get("nominate_form") or PersonLookupForm(user=user),
        "session_form": forms.get("session_form") or SessionForm(),
        "trainer_form": forms.get("trainer_form") or AssignTrainerForm(),
        "history": audit.history(batch)[:50] if manager else [],
    }


def _batch(pk: int) -> Batch:
    return get_object_or_404(Batch.objects.select_related("programme", "organisation", "venue"),
                             pk=pk)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "training/batch.html", _batch_context(request, _batch(pk)))


@login_required
@require_http_methods(["GET", "POST"])
def batch_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user: Any = request.user
    batch = _batch(pk) if pk else None
    forbid_unless(can_manage(user, batch.organisation) if batch else may_manage_anything(user))
    initial: dict[str, Any] = {"status": BatchStatus.PLANNED, "allow_waitlist": True}
    if batch:
        initial = {k: getattr(batch, k) for k in ("name", "venue", "start_date", "end_date",
                                                  "capacity", "allow_waitlist",
                                                  "funding_source", "status")}
    elif request.GET.get("program"):
        initial["programme"] = Programme.objects.filter(code=request.GET["program"]).first()
    form = BatchForm(request.POST or None, initial=initial, user=user, editing=bool(batch))
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_batch(actor=user, channel=CHANNEL, batch=batch,
                                          data=form.data_for_action())
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            return _saved(request, _("Angkatan disimpan."), _url("batch", saved.pk))
    return render(request, "training/form.html", {
        "form": form, "title": _("Ubah angkatan") if batch else _("Buka angkatan baru"),
        "back": (_url("batch", batch.pk) if batch
                 else _url("batches"))})


def _batch_post(request: HttpRequest, pk: int, form_name: str, form: Any,
                run: Any) -> HttpResponse:
    """Run ``run(form)`` for a valid form; errors re-render the batch page with the form."""
    batch = _batch(pk)
    if form.is_valid():
        try:
            run(batch, form.cleaned_data)
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            messages.success(request, _("Tersimpan."))
            return redirect("training:batch", pk=batch.pk)
    return render(request, "training/batch.html",
                  _batch_context(request, batch, **{form_name: form}), status=400)


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    forbid_unless(can(user, CHANGE))

    def run(batch: Batch, data: dict[str, Any]) -> None:
        actions.do_nominate(actor=user, channel=CHANNEL, batch=batch, person=data["person"],
                            note=data["note"])

    return _batch_post(request, pk, "nominate_form", PersonLookupForm(request.POST, user=user),
                       run)


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(batch: Batch, data: dict[str, Any]) -> None:
        actions.do_add_session(actor=request.user, channel=CHANNEL, batch=batch, **data)

    return _batch_post(request, pk, "session_form", SessionForm(request.POST), run)


@login_required
@require_POST
def trainer_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(batch: Batch, data: dict[str, Any]) -> None:
        actions.do_assign_trainer(actor=request.user, channel=CHANNEL, batch=batch,
                                  trainer=data["trainer"], role=data["role"])

    return _batch_post(request, pk, "trainer_form", AssignTrainerForm(request.POST), run)


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    n = get_object_or_404(Nomination.objects.select_related("batch__organisation", "person"),
                          pk=pk)
    if not visible_nominations(request.user, n.batch).filter(pk=n.pk).exists():
        raise Http404
    return n


STEPS = {"setujui", "tolak", "daftarkan", "mundur"}


@login_required
@require_POST
def nomination_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Approve, reject, enrol or withdraw one nomination (buttons on the batch page)."""
    if step not in STEPS:
        raise Http404
    n = _nomination(request, pk)
    user: Any = request.user
    note = request.POST.get("note", "")[:255]
    try:
        if step in ("setujui", "tolak"):
            actions.do_decide_nomination(actor=user, channel=CHANNEL, nomination=n,
                                         approve=step == "setujui", note=note)
        elif step == "daftarkan":
            done = actions.do_enrol(actor=user, channel=CHANNEL, nomination=n)
            if done.status == NS.WAITLISTED:
                messages.info(request, _("Angkatan penuh: {name} masuk daftar tunggu no. {n}.")
                              .format(name=n.person.name, n=done.waitlist_position))
        else:
            actions.do_withdraw(actor=user, channel=CHANNEL, nomination=n, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status {name} diperbarui.").format(name=n.person.name))
    return redirect("training:batch", pk=n.batch_id)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Pre/post-test scores and the outcome of one participant (organiser)."""
    n = _nomination(request, pk)
    forbid_unless(can_manage(request.user, n.batch.organisation))
    scores = ScoresForm(request.POST if "scores" in request.POST else None,
                        initial={"pre_test": n.pre_test, "post_test": n.post_test},
                        prefix="s")
    outcome = CompleteForm(request.POST if "outcome" in request.POST else None,
                           initial={"completed_on": n.batch.end_date}, prefix="c")
    user: Any = request.user
    if request.method == "POST":
        form: Any = scores if "scores" in request.POST else outcome
        if form.is_valid():
            try:
                if form is scores:
                    actions.do_record_scores(actor=user, channel=CHANNEL, nomination=n,
                                             **form.cleaned_data)
                else:
                    actions.do_complete(actor=user, channel=CHANNEL, nomination=n,
                                        **form.cleaned_data)
            except DomainError as exc:
                form.apply_domain_error(exc)
            else:
                return _saved(request, _("Tersimpan."), _url("batch", n.batch_id))
    attendance = Attendance.objects.filter(nomination=n).select_related("session")
    return render(request, "training/result.html", {"nomination": n, "scores": scores,
                                                    "outcome": outcome,
                                                    "attendance": attendance})


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """One session's attendance sheet: a status per enrolled participant."""
    session = get_object_or_404(BatchSession.objects.select_related("batch__organisation",
                                                                    "batch__programme"), pk=pk)
    batch = session.batch
    forbid_unless(can_manage(request.user, batch.organisation))
    participants = list(batch.nominations.filter(status__in=SEATED).select_related("person")
                        .order_by("person__name"))
    current = dict(Attendance.objects.filter(session=session).values_list("nomination_id",
                                                                          "status"))
    error = ""
    if request.method == "POST":
        statuses = {n.pk: request.POST.get(f"n{n.pk}", "") for n in participants}
        statuses = {k: v for k, v in statuses.items() if v}
        try:
            actions.do_record_attendance(actor=request.user, channel=CHANNEL, session=session,
                                         statuses=statuses)
        except DomainError as exc:
            error = exc.message
        else:
            return _saved(request, _("Presensi disimpan."), _url("batch", batch.pk))
    rows = [(n, current.get(n.pk, "hadir")) for n in participants]
    return render(request, "training/attendance.html", {
        "session": session, "batch": batch, "rows": rows, "choices": ATTENDANCE_CHOICES,
        "error": error}, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    n = _nomination(request, pk)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_submit_feedback(actor=request.user, channel=CHANNEL, nomination=n,
                                       **form.cleaned_data)
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            return _saved(request, _("Terima kasih atas umpan balik Anda."),
                          _url("person", n.person_id))
    return render(request, "training/form.html", {
        "form": form, "title": _("Umpan balik: {batch}").format(batch=n.batch),
        "back": _url("person", n.person_id)})


# --- catalogue ------------------------------------------------------------------------------


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    qs = Programme.objects.select_related("organisation").prefetch_related(
        "competencies__competency").annotate(n_batches=Count("batches"))
    return render(request, "training/programmes.html", {
        "programmes": qs, "can_create": may_manage_anything(request.user)})


@login_required
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    p = get_object_or_404(Programme.objects.select_related("organisation", "min_education"),
                          code=code)
    return render(request, "training/programme.html", {
        "programme": p, "competencies": p.competencies.select_related("competency"),
        "categories": p.eligible_categories.all(), "prerequisites": p.prerequisites.all(),
        "batches": p.batches.order_by("-start_date")[:50],
        "manager": can_manage(request.user, p.organisation)})


@login_required
@require_http_methods(["GET", "POST"])
def programme_form(request: HttpRequest, code: str | None = None) -> HttpResponse:
    user: Any = request.user
    p = get_object_or_404(Programme, code=code) if code else None
    forbid_unless(can_manage(user, p.organisation) if p else may_manage_anything(user))
    initial: dict[str, Any] = {}
    levels: dict[str, int] = {}
    if p:
        initial = {k: getattr(p, k) for k in ("code", "name", "type", "mode", "jp", "days",
                                              "organisation", "cost_per_participant",
                                              "description", "min_education", "asn_only",
                                              "min_attendance",
                                              "is_active")}
        initial["eligible_categories"] = list(p.eligible_categories.all())
        initial["prerequisites"] = list(p.prerequisites.all())
        levels = {pc.competency.code: pc.resulting_level
                  for pc in p.competencies.select_related("competency")}
    form = ProgrammeForm(request.POST or None, initial=initial, user=user, levels=levels)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_programme(
                actor=user, channel=CHANNEL, programme=p, data=form.data_for_action(),
                competencies=form.competencies(),
                categories=form.cleaned_data["eligible_categories"],
                prerequisites=form.cleaned_data["prerequisites"])
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            return _saved(request, _("Program disimpan."), _url("programme", saved.code))
    return render(request, "training/programme_form.html", {"form": form, "programme": p})


@login_required
@require_http_methods(["GET", "POST"])
def trainer_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = TrainerForm(request.POST or None, user=user)
    if request.method == "POST":
        forbid_unless(may_manage_anything(user))
        if form.is_valid():
            try:
                t = actions.do_save_trainer(actor=user, channel=CHANNEL, data=form.cleaned_data)
            except DomainError as exc:
                form.apply_domain_error(exc)
            else:
                return _saved(request, _("Pengajar disimpan."), _url("trainer", t.pk))
    trainers = Trainer.objects.select_related("organisation").annotate(
        n_batches=Count("batch_links"))
    return render(request, "training/trainers.html", {
        "trainers": trainers, "form": form, "can_create": may_manage_anything(user)},
        status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def trainer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    t = get_object_or_404(Trainer.objects.select_related("organisation", "home_region"), pk=pk)
    user: Any = request.user
    manager = can_manage(user, t.organisation)
    form = AvailabilityForm(request.POST or None)
    if request.method == "POST":
        forbid_unless(manager)
        if form.is_valid():
            try:
                actions.do_add_availability(actor=user, channel=CHANNEL, trainer=t,
                                            **form.cleaned_data)
            except DomainError as exc:
                form.apply_domain_error(exc)
            else:
                return _saved(request, _("Ketersediaan dicatat."),
                              _url("trainer", t.pk))
    batches = Batch.objects.filter(trainer_links__trainer=t).select_related(
        "programme").order_by("-start_date")
    return render(request, "training/trainer.html", {
        "trainer": t, "manager": manager, "form": form, "batches": batches,
        "windows": t.availability.all()}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def venue_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = VenueForm(request.POST or None, user=user)
    if request.method == "POST":
        forbid_unless(may_manage_anything(user))
        if form.is_valid():
            try:
                actions.do_save_venue(actor=user, channel=CHANNEL, data=form.cleaned_data)
            except DomainError as exc:
                form.apply_domain_error(exc)
            else:
                return _saved(request, _("Tempat disimpan."), _url("venues"))
    return render(request, "training/venues.html", {
        "venues": Venue.objects.select_related("organisation", "venue_region"), "form": form,
        "can_create": may_manage_anything(user)}, status=400 if form.errors else 200)


# --- scholarships and field practice --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scheme_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = SchemeForm(request.POST or None, user=user)
    if request.method == "POST":
        forbid_unless(may_manage_anything(user))
        if form.is_valid():
            try:
                s = actions.do_save_scheme(actor=user, channel=CHANNEL, data=form.cleaned_data)
            except DomainError as exc:
                form.apply_domain_error(exc)
            else:
                return _saved(request, _("Skema beasiswa disimpan."),
                              _url("scheme", s.pk))
    schemes = ScholarshipScheme.objects.select_related("institution").annotate(
        n=Count("scholars"))
    return render(request, "training/schemes.html", {
        "schemes": schemes, "form": form, "can_create": may_manage_anything(user)},
        status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(ScholarshipScheme.objects.select_related("institution",
                                                                        "organisation"), pk=pk)
    user: Any = request.user
    manager = can_manage(user, scheme.organisation)
    form = PersonLookupForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_scholar(actor=user, channel=CHANNEL, scheme=scheme,
                                   person=form.cleaned_data["person"],
                                   note=form.cleaned_data["note"])
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            return _saved(request, _("Pendaftar dicatat."), _url("scheme", scheme.pk))
    scholars = Scholar.objects.filter(scheme=scheme).select_related("person")
    if not manager:
        scholars = scholars & Scholar.objects.restrict(user, VIEW)
    return render(request, "training/scheme.html", {
        "scheme": scheme, "scholars": scholars, "manager": manager, "form": form,
        "status_form": ScholarStatusForm(),
        "can_propose": Person.objects.restrict(user, "change").exists()},
        status=400 if form.errors else 200)


@login_required
@require_POST
def scholar_status(request: HttpRequest, pk: int) -> HttpResponse:
    scholar = get_object_or_404(Scholar.objects.select_related("scheme__organisation"), pk=pk)
    forbid_unless(can_manage(request.user, scholar.scheme.organisation))
    form = ScholarStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_scholar_status(actor=request.user, channel=CHANNEL, scholar=scholar,
                                          **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status diperbarui."))
    return redirect("training:scheme", pk=scholar.scheme_id)


@login_required
@require_http_methods(["GET", "POST"])
def placement_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PlacementForm(request.POST or None, user=user)
    if request.method == "POST":
        forbid_unless(may_manage_anything(user))
        if form.is_valid():
            try:
                actions.do_save_placement(actor=user, channel=CHANNEL, data=form.cleaned_data)
            except DomainError as exc:
                form.apply_domain_error(exc)
            else:
                return _saved(request, _("Praktik lapangan disimpan."), _url("placements"))
    placements = FieldPlacement.objects.restrict(user, VIEW).select_related(
        "institution", "host", "region")
    return render(request, "training/placements.html", {
        "placements": placements[:500], "form": form,
        "can_create": may_manage_anything(user)}, status=400 if form.errors else 200)


# --- a person's training --------------------------------------------------------------------


@login_required
def my_history(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user_id=int(request.user.pk or 0)).first()
    if person is None:
        raise Http404
    return redirect("training:person", pk=person.pk)


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.restrict(request.user, VIEW), pk=pk)
    user: Any = request.user
    nominations = Nomination.objects.filter(person=person).select_related(
        "batch__programme", "batch__organisation").order_by("-batch__start_date")
    scholarships = Scholar.objects.filter(person=person).select_related("scheme__institution")
    own = person.user_id is not None and person.user_id == user.pk
    return render(request, "training/person.html", {
        "person": person, "nominations": nominations, "scholarships": scholarships,
        "own": own, "feedback_given": set(nominations.filter(feedback__isnull=False)
                                          .values_list("id", flat=True))})
