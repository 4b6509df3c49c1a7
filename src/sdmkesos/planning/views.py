"""Workforce planning pages: WISN per organisation, norms, supply projection scenarios compared
side by side, placement ranking and heads of units. Reads through ``restrict``; writes through
``planning.actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdmkesos.core.choices import Channel, Role
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import Region
from sdmkesos.core.scoping import ADD, CHANGE, DELETE, VIEW, can
from sdmkesos.people.models import Person

from . import actions, queries
from .forms import (
    EntrantSourceForm,
    HeadForm,
    NormForm,
    PlacementForm,
    ScenarioForm,
    WisnForm,
    wisn_initial,
)
from .models import EntrantSource, Scenario, StaffingNorm, WisnInputSet

WEB = Channel.WEB


def _staff_only(user: Any) -> None:
    """Planning is for offices, not for a worker's self-service account."""
    if user.role == Role.WORKER and not user.is_superuser:
        raise PermissionDenied(_("Halaman ini untuk pengelola SDM."))


def _require(user: Any, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _staff_only(user)
    wisn_rows = list(WisnInputSet.objects.restrict(user, VIEW).select_related(
        "organisation", "category")[:200])
    results = [(row, queries.wisn_result(row)) for row in wisn_rows]
    norms = list(StaffingNorm.objects.restrict(user, VIEW).select_related(
        "organisation", "category", "region")[:200])
    return render(request, "planning/index.html", {
        "wisn": results, "norms": [(n, queries.norm_need(n)) for n in norms],
        "scenarios": Scenario.objects.restrict(user, VIEW).select_related("region", "category"),
        "can_add": can(user, ADD), "can_delete": can(user, DELETE)})


@login_required
@require_http_methods(["GET", "POST"])
def wisn_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user: Any = request.user
    _staff_only(user)
    row = get_object_or_404(WisnInputSet.objects.restrict(user, VIEW), pk=pk) if pk else None
    if request.method == "POST":
        _require(user, CHANGE if row else ADD)
        form = WisnForm(request.POST, user=user)
        if form.is_valid():
            try:
                saved = actions.do_save_wisn(
                    actor=user, channel=WEB, organisation=form.cleaned_data["organisation"],
                    category=form.cleaned_data["category"], year=form.cleaned_data["year"],
                    data=form.document,
                    staff_from_registry=form.cleaned_data.get("current_staff") is None)
            except DomainError as err:
                if err.code in ("out_of_scope", "forbidden"):
                    raise PermissionDenied(err.message) from err
                form.apply_domain_error(err)
            else:
                messages.success(request, _("Masukan WISN disimpan."))
                return redirect("planning:wisn", pk=saved.pk)
    elif row is not None:
        initial = wisn_initial(row.data)
        if row.staff_from_registry:
            initial["current_staff"] = None
        form = WisnForm(initial={**initial, "organisation": row.organisation_id,
                                 "category": row.category_id, "year": row.year}, user=user)
    else:
        form = WisnForm(user=user)
    result = queries.wisn_result(row) if row is not None else None
    return render(request, "planning/wisn.html", {
        "row": row, "form": form, "result": result,
        "json": result.to_json() if result else None,
        "can_change": can(user, CHANGE)}, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def norm_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _staff_only(user)
    _require(user, ADD)
    form = NormForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = (data.pop("region") or "").strip()
        data["region"] = Region.objects.filter(code=code).first() if code else None
        if code and data["region"] is None:
            form.add_error("region", _("Kode wilayah %(code)s tidak dikenal.") % {"code": code})
        else:
            try:
                actions.do_save_norm(actor=user, channel=WEB, data=data)
            except DomainError as err:
                form.apply_domain_error(err)
            else:
                messages.success(request, _("Norma kebutuhan disimpan."))
                return redirect("planning:index")
    return render(request, "planning/form.html", {"form": form,
                                                  "title": _("Norma kebutuhan baru")})


@login_required
@require_http_methods(["GET", "POST"])
def scenario_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _staff_only(user)
    _require(user, ADD)
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data["region"].strip()
        data["region"] = Region.objects.filter(code=code).first()
        if data["region"] is None:
            form.add_error("region", _("Kode wilayah %(code)s tidak dikenal.") % {"code": code})
        else:
            try:
                scenario = actions.do_save_scenario(actor=user, channel=WEB, data=data)
            except DomainError as err:
                form.apply_domain_error(err)
            else:
                messages.success(request, _("Skenario disimpan."))
                return redirect(f"{_projection_url()}?s={scenario.pk}")
    return render(request, "planning/form.html", {"form": form,
                                                  "title": _("Skenario proyeksi baru")})


def _projection_url() -> str:
    from django.urls import reverse

    return reverse("planning:projection")


@login_required
def projection(request: HttpRequest) -> HttpResponse:
    """Scenarios ``?s=1&s=2`` compared side by side: a table each and one bar chart."""
    user: Any = request.user
    _staff_only(user)
    visible = Scenario.objects.restrict(user, VIEW).select_related("region", "category")
    ids = [int(v) for v in request.GET.getlist("s") if v.isdigit()][:6]
    chosen = list(visible.filter(pk__in=ids)) if ids else list(visible[:3])
    projections = [queries.scenario_projection(user, s) for s in chosen]
    return render(request, "planning/projection.html", {
        "projections": projections, "scenarios": visible, "chosen": {s.pk for s in chosen},
        "chart": queries.chart(projections) if projections else None})


@login_required
@require_POST
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(user, DELETE)
    model: Any = {"wisn": WisnInputSet, "norma": StaffingNorm, "skenario": Scenario}.get(kind)
    if model is None:
        raise PermissionDenied
    obj = get_object_or_404(model.objects.restrict(user, DELETE), pk=pk)
    actions.do_delete(actor=user, channel=WEB, obj=obj)
    messages.success(request, _("Dihapus."))
    return redirect("planning:index")


@login_required
def placement(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _staff_only(user)
    form = PlacementForm(request.GET or None)
    ranking: list[Any] = []
    vacancy = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        vacancy = queries.vacancy_from(data["fields_of_study"], data["min_level"],
                                       data["category"], data["region"].strip() or None,
                                       standard=data["standard"] or None,
                                       schemes=data["schemes"] or None)
        ranking = queries.placement_candidates(user, vacancy,
                                               region=data["region"].strip() or None)
    return render(request, "planning/placement.html", {
        "form": form, "ranking": ranking, "vacancy": vacancy,
        "schemes": sorted(vacancy.schemes or []) if vacancy else []})


@login_required
@require_http_methods(["GET", "POST"])
def heads(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _staff_only(user)
    form = HeadForm(request.POST or None, user=user)
    if request.method == "POST":
        _require(user, CHANGE)
        if form.is_valid():
            person = Person.objects.restrict(user, VIEW).filter(
                pk=form.cleaned_data["person"]).first()
            if person is None:
                form.add_error("person", _("Pekerja tidak ditemukan dalam lingkup Anda."))
            else:
                try:
                    actions.do_set_head(actor=user, channel=WEB,
                                        organisation=form.cleaned_data["organisation"],
                                        person=person, since=form.cleaned_data["since"])
                except DomainError as err:
                    form.apply_domain_error(err)
                else:
                    messages.success(request, _("Kepala unit dicatat."))
                    return redirect("planning:heads")
    only = request.GET.get("flagged") == "1"
    rows = queries.head_rows(user, region=request.GET.get("region") or None, only_flagged=only)
    return render(request, "planning/heads.html", {
        "rows": rows, "form": form if can(user, CHANGE) else None, "only": only,
        "flagged": sum(1 for r in rows if r.status == "not_kesos")})


@login_required
@require_http_methods(["GET", "POST"])
def entrant_sources(request: HttpRequest) -> HttpResponse:
    """Which scholarship schemes and training programmes qualify for which category (read by
    every office account; kept by the national administrator)."""
    user: Any = request.user
    _staff_only(user)
    editable = actions.may_edit_entrant_sources(user)
    form = EntrantSourceForm(request.POST or None) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_add_entrant_source(
                    actor=user, channel=WEB, category=data["category"], scheme=data["scheme"],
                    programme=data["programme"], note=data["note"])
            except DomainError as err:
                form.apply_domain_error(err)
            else:
                messages.success(request, _("Sumber tenaga masuk dicatat."))
                return redirect("planning:entrant_sources")
    rows = EntrantSource.objects.select_related("category", "scheme__institution", "programme")
    return render(request, "planning/entrant_sources.html", {
        "rows": rows, "form": form, "editable": editable},
        status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def entrant_source_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _staff_only(user)
    if not actions.may_edit_entrant_sources(user):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
    source = get_object_or_404(EntrantSource, pk=pk)
    actions.do_delete_entrant_source(actor=user, channel=WEB, source=source)
    messages.success(request, _("Dihapus."))
    return redirect("planning:entrant_sources")
