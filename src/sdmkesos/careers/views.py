"""Career and SKP pages. Reads go through ``restrict`` (persons) or ``actions.visible_skps``
(SKP: the person, the supervisors, HR in scope); writes through ``careers.actions``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.scoping import CHANGE, VIEW, can, region_q
from sdmkesos.people.models import Person

from . import actions, queries
from .forms import (
    CreditForm,
    EvaluationForm,
    LevelForm,
    PositionFlagsForm,
    PositionForm,
    RealisationForm,
    ResultForm,
    RetirementFilterForm,
    SkpCreateForm,
)
from .models import (
    CareerPosition,
    FollowUp,
    JfLevel,
    JfPosition,
    RatingLevel,
    Skp,
    SkpIndicator,
    SkpRealisation,
    SkpResult,
    SkpStatus,
)
from .reference import current_rules

WEB = Channel.WEB


def _person(user: Any, pk: int, action: str = VIEW) -> Person:
    if action != VIEW and not can(user, action):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
    return get_object_or_404(Person.objects.restrict(user, action).select_related(
        "organisation", "employment_status"), pk=pk)


def rating_labels() -> dict[str, str]:
    return {r.code: r.label_id for r in RatingLevel.objects.all()}


# --- index and rules -----------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rules = current_rules()
    levels = list(JfLevel.objects.select_related("rank_low", "rank_high", "next_level"))
    return render(request, "careers/index.html", {
        "levels": levels, "positions": JfPosition.objects.all(),
        "ratings": RatingLevel.objects.all(), "rules": rules,
        "is_rules_admin": actions.is_rules_admin(user), "is_hr": actions.is_hr(user),
        "own_person": Person.objects.filter(user=user).first(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def level_edit(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    if not actions.is_rules_admin(user):
        raise PermissionDenied(_("Hanya administrator nasional yang dapat mengubah aturan."))
    level = get_object_or_404(JfLevel, code=code)
    initial = {k: getattr(level, k) for k in actions.LEVEL_FIELDS}
    form = LevelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = actions.do_update_level(actor=user, channel=WEB, level=level,
                                              data=form.cleaned_data)
        except DomainError as err:
            form.apply_domain_error(err)
        else:
            messages.success(request, _("Aturan jenjang disimpan.") if changes
                             else _("Tidak ada perubahan."))
            return redirect("careers:index")
    return render(request, "careers/form.html", {
        "form": form, "title": _("Ubah aturan jenjang %(level)s") % {"level": level.label_id},
        "back": "careers:index"})


# --- a person's career ---------------------------------------------------------------------------


@login_required
def person_career(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = _person(user, pk)
    summary = queries.career_summary(person)
    can_change = can(user, CHANGE) and Person.objects.restrict(user, CHANGE).filter(
        pk=person.pk).exists()
    skps = list(actions.visible_skps(user).filter(person=person).order_by("-year"))
    # Ratings (credit entries carry them) only for the person, supervisors and HR.
    sees_ratings = bool(skps) or actions.is_hr(user) or person.user_id == user.pk
    return render(request, "careers/person.html", {
        "person": person, "s": summary, "can_change": can_change, "skps": skps,
        "can_open_skp": can_change or (person.user_id is not None
                                       and person.user_id == user.pk),
        "sees_ratings": sees_ratings, "rating_labels": rating_labels(),
        "follow_ups": FollowUp.objects.filter(person=person) if sees_ratings else [],
        "position_form": PositionForm() if can_change else None,
        "credit_form": CreditForm() if can_change else None,
    })


@login_required
def my_career(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=request.user.pk).first()
    if person is None:
        return render(request, "people/me_missing.html", status=404)
    return redirect("careers:person", pk=person.pk)


@login_required
@require_POST
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = _person(user, pk, CHANGE)
    form = PositionForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_position(actor=user, channel=WEB, person=person, data=form.to_data())
        except DomainError as err:
            form.apply_domain_error(err)
        else:
            messages.success(request, _("Riwayat jabatan ditambahkan."))
            return redirect("careers:person", pk=person.pk)
    return render(request, "careers/form.html", {
        "form": form, "title": _("Tambah riwayat jabatan: %(name)s") % {"name": person.name},
        "action": request.path, "back_person": person}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request: HttpRequest, pk: int, position_pk: int) -> HttpResponse:
    user: Any = request.user
    person = _person(user, pk, CHANGE)
    position = get_object_or_404(CareerPosition.objects.filter(person=person), pk=position_pk)
    initial = {k: getattr(position, k) for k in ("competency_test_passed",
                                                 "competency_test_date", "vacancy_available",
                                                 "end_date")}
    form = PositionFlagsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_position(actor=user, channel=WEB, position=position,
                                       data=form.cleaned_data)
        except DomainError as err:
            form.apply_domain_error(err)
        else:
            messages.success(request, _("Riwayat jabatan diperbarui."))
            return redirect("careers:person", pk=person.pk)
    return render(request, "careers/form.html", {
        "form": form, "title": _("Uji kompetensi dan formasi: %(pos)s") % {"pos": position},
        "back_person": person})


@login_required
@require_POST
def credit_add(request: HttpRequest, pk: int, position_pk: int) -> HttpResponse:
    user: Any = request.user
    person = _person(user, pk, CHANGE)
    position = get_object_or_404(CareerPosition.objects.filter(person=person).select_related(
        "level"), pk=position_pk)
    form = CreditForm(request.POST)
    if form.is_valid():
        try:
            entry = actions.do_add_credit(actor=user, channel=WEB, position=position,
                                          **form.cleaned_data)
        except DomainError as err:
            form.apply_domain_error(err)
        else:
            messages.success(request, _("Angka kredit %(ak)s dicatat.") % {
                "ak": entry.credit_points})
            return redirect("careers:person", pk=person.pk)
    return render(request, "careers/form.html", {
        "form": form, "title": _("Catat angka kredit: %(name)s") % {"name": person.name},
        "action": request.path, "back_person": person}, status=400)


# --- lists ---------------------------------------------------------------------------------------


def _filtered_persons(user: Any, form: RetirementFilterForm) -> Any:
    qs = Person.objects.restrict(user, VIEW)
    if form.is_valid():
        region = (form.cleaned_data.get("region") or "").strip()
        if region:
            qs = qs.filter(region_q(Person.scope, (region,)))
        node = form.cleaned_data.get("organisation")
        if node is not None:
            qs = qs.filter(organisation__path__startswith=node.path)
    return qs


@login_required
def eligibility(request: HttpRequest) -> HttpResponse:
    """Promotion eligibility of JF holders in scope: HR roles only (it reveals ratings)."""
    user: Any = request.user
    if not actions.is_hr(user):
        raise PermissionDenied(_("Daftar ini hanya untuk pengelola SDM."))
    form = RetirementFilterForm(request.GET or None, user=user)
    only = request.GET.get("eligible") == "1"
    rows = queries.eligibility_list(_filtered_persons(user, form), only_eligible=only)
    return render(request, "careers/eligibility.html", {
        "rows": rows, "form": form, "only": only, "rating_labels": rating_labels()})


@login_required
def retirement(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = RetirementFilterForm(request.GET or {"years": "1"}, user=user)
    years = form.cleaned_data["years"] if form.is_valid() else 1
    today = dt.date.today()
    retirees = queries.retirements(_filtered_persons(user, form), years=years, today=today)
    return render(request, "careers/retirement.html", {
        "form": form, "years": years, "retirees": retirees,
        "groups": queries.group_by_organisation(retirees),
        "regions": queries.group_by_region(retirees),
        "per_year": list(zip(range(1, years + 1),
                             queries.retirement_counts_by_year(retirees, today, years),
                             strict=True)),
    })


# --- SKP -----------------------------------------------------------------------------------------


@login_required
def skp_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = actions.visible_skps(user).select_related("person", "supervisor").order_by(
        "-year", "person__name")
    own = qs.filter(person__user=user)
    supervised = qs.filter(Q(supervisor__user=user) | Q(second_supervisor__user=user))
    others = qs.exclude(person__user=user).exclude(supervisor__user=user)[:200] \
        if actions.is_hr(user) else []
    return render(request, "careers/skp_list.html", {
        "own": own, "supervised": supervised, "others": others,
        "rating_labels": rating_labels()})


@login_required
@require_http_methods(["GET", "POST"])
def skp_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = _person(user, pk)
    form = SkpCreateForm(request.POST or None, colleagues=_colleagues(user, person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sup = _person_ref(user, data.get("supervisor_id") or data.get("supervisor"),
                              "supervisor_id" if data.get("supervisor_id") else "supervisor")
            second = _person_ref(user, data.get("second_supervisor"), "second_supervisor")
            skp = actions.do_create_skp(actor=user, channel=WEB, person=person,
                                        year=data["year"], supervisor=sup,
                                        second_supervisor=second)
        except DomainError as err:
            if err.code in ("forbidden", "out_of_scope"):
                raise PermissionDenied(err.message) from err
            form.apply_domain_error(err)
        else:
            messages.success(request, _("SKP dibuat."))
            return redirect("careers:skp", pk=skp.pk)
    return render(request, "careers/form.html", {
        "form": form, "title": _("SKP baru: %(name)s") % {"name": person.name},
        "back_person": person})


def _colleagues(user: Any, person: Person) -> list[tuple[int, str]]:
    """People of the person's organisation and its parent (where supervisors usually sit), as
    far as the user may see them (a worker sees only themself: they type the supervisor's id)."""
    org = person.organisation
    if org is None:
        return []
    orgs = [org.pk] + ([org.parent_id] if org.parent_id else [])
    return [(p.pk, f"{p.name} · {p.position or '-'}") for p in Person.objects.restrict(
        user, VIEW).filter(organisation_id__in=orgs).exclude(pk=person.pk).order_by("name")[:300]]


def _person_ref(user: Any, pk: int | None, field: str) -> Person | None:
    """A supervisor named by id: any registered person (a supervisor may sit in another
    office), but the id must exist."""
    if not pk:
        return None
    found = Person.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError("not_found", field=field)
    return found


def _skp(user: Any, pk: int) -> Skp:
    return get_object_or_404(actions.visible_skps(user).select_related(
        "person", "supervisor", "second_supervisor", "evaluated_by"), pk=pk)


def _skp_forms(skp: Skp, data: Any = None, which: str = "", files: Any = None
               ) -> dict[str, Any]:
    parents: list[tuple[int, str]] = []
    if skp.supervisor_id:
        parents = [(r.pk, r.text) for r in SkpResult.objects.filter(
            skp__person_id=skp.supervisor_id, skp__year=skp.year)]
    indicators = [(i.pk, f"{i.result.text} — {i.text}") for i in SkpIndicator.objects.filter(
        result__skp=skp).select_related("result")]
    return {
        "result_form": ResultForm(data if which == "result" else None, parents=parents),
        "realisation_form": RealisationForm(data if which == "realisation" else None,
                                            files if which == "realisation" else None,
                                            indicators=indicators),
        "evaluation_form": EvaluationForm(data if which == "evaluate" else None),
    }


def _skp_page(request: HttpRequest, skp: Skp, forms: dict[str, Any], status: int = 200
              ) -> HttpResponse:
    user: Any = request.user
    roles = actions._role_on(user, skp)
    results = list(skp.results.prefetch_related("indicators__realisations").select_related(
        "parent"))
    return render(request, "careers/skp.html", {
        "skp": skp, "results": results, "roles": roles, **forms,
        "behaviours": skp.behaviours.all(), "follow_ups": skp.follow_ups.all(),
        "is_draft": skp.status == SkpStatus.DRAFT,
        "can_plan": bool(roles & {"self", "supervisor", "hr"}),
        "can_evaluate": "supervisor" in roles or user.is_superuser,
        "can_acknowledge": "self" in roles and skp.status == SkpStatus.EVALUATED,
        "rating_labels": rating_labels(),
        "history": audit.history(skp)[:100],
    }, status=status)


@login_required
def skp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _skp(request.user, pk)
    return _skp_page(request, skp, _skp_forms(skp))


@login_required
@require_POST
def skp_action(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    user: Any = request.user
    skp = _skp(user, pk)
    forms = _skp_forms(skp, request.POST, which, request.FILES)
    try:
        if which == "result":
            form = forms["result_form"]
            if not form.is_valid():
                return _skp_page(request, skp, forms, 400)
            parent = SkpResult.objects.filter(pk=form.cleaned_data["parent"]).first() \
                if form.cleaned_data["parent"] else None
            actions.do_add_result(actor=user, channel=WEB, skp=skp,
                                  text=form.cleaned_data["text"],
                                  indicators=form.indicator_pairs(), parent=parent)
        elif which == "realisation":
            form = forms["realisation_form"]
            if not form.is_valid():
                return _skp_page(request, skp, forms, 400)
            indicator = get_object_or_404(SkpIndicator.objects.filter(result__skp=skp),
                                          pk=form.cleaned_data["indicator"])
            actions.do_add_realisation(actor=user, channel=WEB, indicator=indicator,
                                       period=form.cleaned_data["period"],
                                       realisation=form.cleaned_data["realisation"],
                                       evidence=form.cleaned_data["evidence"],
                                       **form.file_args())
        elif which == "evaluate":
            form = forms["evaluation_form"]
            if not form.is_valid():
                return _skp_page(request, skp, forms, 400)
            actions.do_evaluate(actor=user, channel=WEB, skp=skp,
                                results_rating=form.cleaned_data["results_rating"],
                                behaviour_rating=form.cleaned_data["behaviour_rating"],
                                behaviours=form.behaviours(), note=form.cleaned_data["note"])
        elif which == "acknowledge":
            form = None
            actions.do_acknowledge(actor=user, channel=WEB, skp=skp)
        else:
            raise PermissionDenied
    except DomainError as err:
        if err.code == "forbidden":
            raise PermissionDenied(err.message) from err
        if form is not None:
            form.apply_domain_error(err)
        else:
            messages.error(request, err.message)
        return _skp_page(request, skp, forms, 400)
    messages.success(request, _("Tersimpan."))
    return redirect("careers:skp", pk=skp.pk)


@login_required
def skp_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A realisation's evidence file, only for those who may see the SKP (the person, the
    supervisors named on it, HR roles in scope); as an attachment, never inline."""
    row = get_object_or_404(SkpRealisation.objects.select_related("indicator__result"), pk=pk,
                            indicator__result__skp__in=actions.visible_skps(request.user))
    if not row.evidence_file:
        raise Http404
    response = FileResponse(row.evidence_file.open("rb"), as_attachment=True,
                            filename=row.evidence_name or "bukti",
                            content_type=row.evidence_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def gap_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """HR proposes development for the person's competency gaps, with programmes from the
    training catalogue."""
    user: Any = request.user
    person = _person(user, pk, CHANGE)
    try:
        follow = actions.do_propose_gap_follow_up(actor=user, channel=WEB, person=person)
    except DomainError as err:
        if err.code in ("forbidden", "out_of_scope"):
            raise PermissionDenied(err.message) from err
        messages.error(request, err.message)
    else:
        messages.success(request, _("Tindak lanjut diusulkan: %(training)s") % {
            "training": follow.training or _("belum ada program yang sesuai")})
    return redirect(f"{reverse('careers:person', args=[person.pk])}#development")
