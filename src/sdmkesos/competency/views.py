"""Competency pages: the dictionary, job standards, a person's profile (assessments and gaps)
and the gap report with exports. Reads through ``restrict``; writes through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import Organisation, Region
from sdmkesos.core.scoping import CHANGE, VIEW
from sdmkesos.dashboards.queries import workforce_summary
from sdmkesos.people.models import Person

from . import actions, queries
from .forms import AssessmentForm, CompetencyForm, GapFilterForm, LevelForm, StandardForm
from .models import Assessment, Competency, CompetencyGroup, CompetencyLevel, JobStandard
from .webutil import forbid_unless, table_response

CHANNEL = Channel.WEB
BELOW_LIMIT = 500
# The report is computed per request over the scoped people; above this many, the page asks for
# a narrower region (the CLI `sdmkesos gaps` has no limit).
PEOPLE_LIMIT = 50_000


def _too_many(user: Any, filters: dict[str, Any]) -> bool:
    qs = queries.people(user, region=filters.get("region", ""),
                        category=filters.get("category", ""))
    return qs.order_by()[: PEOPLE_LIMIT + 1].count() > PEOPLE_LIMIT


def _tree() -> list[dict[str, Any]]:
    groups = list(CompetencyGroup.objects.prefetch_related("competencies"))
    children: dict[int | None, list[CompetencyGroup]] = {}
    for g in groups:
        children.setdefault(g.parent_id, []).append(g)

    def node(g: CompetencyGroup, depth: int) -> dict[str, Any]:
        return {"group": g, "depth": depth, "competencies": list(g.competencies.all()),
                "children": [node(c, depth + 1) for c in children.get(g.pk, [])]}

    return [node(g, 0) for g in children.get(None, [])]


def _flatten(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(_flatten(n["children"]))
    return out


@login_required
def dictionary(request: HttpRequest) -> HttpResponse:
    return render(request, "competency/dictionary.html", {
        "nodes": _flatten(_tree()), "is_admin": actions.is_admin(request.user)})


@login_required
def competency_detail(request: HttpRequest, code: str) -> HttpResponse:
    comp = get_object_or_404(Competency.objects.select_related("group"), code=code)
    levels = {lv.level: lv for lv in comp.levels.all()}
    return render(request, "competency/detail.html", {
        "competency": comp, "levels": [(n, levels.get(n)) for n in range(1, 6)],
        "is_admin": actions.is_admin(request.user), "history": audit.history(comp)[:50]})


@login_required
@require_http_methods(["GET", "POST"])
def competency_form(request: HttpRequest, code: str | None = None) -> HttpResponse:
    forbid_unless(actions.is_admin(request.user))
    comp = get_object_or_404(Competency, code=code) if code else None
    initial = ({k: getattr(comp, k) for k in ("code", "name", "name_en", "group", "definition",
                                              "validity_months", "is_active")} if comp else {})
    form = CompetencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_competency(actor=request.user, channel=CHANNEL,
                                               competency=comp, data=form.cleaned_data)
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            messages.success(request, _("Kompetensi disimpan."))
            return redirect("competency:detail", code=saved.code)
    return render(request, "competency/form.html", {"form": form, "competency": comp})


@login_required
@require_http_methods(["GET", "POST"])
def level_form(request: HttpRequest, code: str, level: int) -> HttpResponse:
    forbid_unless(actions.is_admin(request.user))
    comp = get_object_or_404(Competency, code=code)
    if not 1 <= level <= 5:
        raise Http404
    current = CompetencyLevel.objects.filter(competency=comp, level=level).first()
    form = LevelForm(request.POST or None, initial={
        "description": current.description if current else "",
        "indicators": "\n".join(current.indicators) if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_level(actor=request.user, channel=CHANNEL, competency=comp,
                                  level=level, description=form.cleaned_data["description"],
                                  indicators=form.indicator_list())
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            messages.success(request, _("Level disimpan."))
            return redirect("competency:detail", code=comp.code)
    return render(request, "competency/level_form.html", {"form": form, "competency": comp,
                                                          "level": level})


# --- standards ------------------------------------------------------------------------------


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    standards = JobStandard.objects.select_related("category").prefetch_related("items")
    return render(request, "competency/standards.html", {
        "standards": standards, "is_admin": actions.is_admin(request.user)})


@login_required
def standard_detail(request: HttpRequest, code: str) -> HttpResponse:
    std = get_object_or_404(JobStandard.objects.select_related("category"), code=code)
    return render(request, "competency/standard_detail.html", {
        "standard": std, "items": std.items.select_related("competency"),
        "is_admin": actions.is_admin(request.user), "history": audit.history(std)[:50]})


@login_required
@require_http_methods(["GET", "POST"])
def standard_form(request: HttpRequest, code: str | None = None) -> HttpResponse:
    forbid_unless(actions.is_admin(request.user))
    std = get_object_or_404(JobStandard, code=code) if code else None
    initial = ({k: getattr(std, k) for k in ("code", "name", "category", "position",
                                             "is_active")} if std else {})
    required = ({i.competency.code: i.required_level for i in
                 std.items.select_related("competency")} if std else {})
    form = StandardForm(request.POST or None, initial=initial, required=required)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("code", "name", "category", "position",
                                                  "is_active")}
        try:
            saved = actions.do_save_standard(actor=request.user, channel=CHANNEL, data=data,
                                             items=form.items(), standard=std)
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            messages.success(request, _("Standar kompetensi disimpan."))
            return redirect("competency:standard", code=saved.code)
    return render(request, "competency/standard_form.html", {"form": form, "standard": std})


# --- a person's profile ---------------------------------------------------------------------


def _profile_context(request: HttpRequest, person: Person,
                     form: AssessmentForm | None = None) -> dict[str, Any]:
    user: Any = request.user
    standard, gaps, current = queries.person_gap_view(person)
    can_change = Person.objects.restrict(user, CHANGE).filter(pk=person.pk).exists()
    own = person.user_id is not None and person.user_id == user.pk
    names = dict(Competency.objects.values_list("code", "name"))
    return {
        "person": person, "standard": standard,
        "gaps": [(g, names.get(g.competency, "")) for g in gaps],
        "current": sorted((code, names.get(code, ""), level) for code, level in current.items()),
        "assessments": Assessment.objects.restrict(user, VIEW).filter(person=person)
        .select_related("competency"),
        "can_assess": can_change or own, "can_void": can_change,
        "form": form or AssessmentForm(self_only=not can_change),
    }


def _visible_person(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(Person.objects.restrict(request.user, VIEW), pk=pk)


def own_person(request: HttpRequest) -> Person:
    """The signed-in worker's own record (404 when the account has none)."""
    person = Person.objects.filter(user_id=int(request.user.pk or 0)).first()
    if person is None:
        raise Http404
    return person


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return redirect("competency:person", pk=own_person(request).pk)


@login_required
def person_profile(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    return render(request, "competency/person.html", _profile_context(request, person))


@login_required
@require_POST
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    user: Any = request.user
    can_change = Person.objects.restrict(user, CHANGE).filter(pk=person.pk).exists()
    forbid_unless(can_change or (person.user_id is not None and person.user_id == user.pk))
    form = AssessmentForm(request.POST, self_only=not can_change)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_assessment(
                actor=user, channel=CHANNEL, person=person, competency=data["competency"],
                level=data["level"], method=data["method"], assessed_on=data["assessed_on"],
                valid_until=data["valid_until"], assessor_name=data["assessor_name"],
                note=data["note"])
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            messages.success(request, _("Penilaian dicatat."))
            if request.headers.get("HX-Request"):
                return render(request, "competency/_profile.html",
                              _profile_context(request, person))
            return redirect("competency:person", pk=person.pk)
    template = ("competency/_profile.html" if request.headers.get("HX-Request")
                else "competency/person.html")
    return render(request, template, _profile_context(request, person, form), status=400)


@login_required
@require_POST
def assessment_void(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    assessment = get_object_or_404(Assessment.objects.restrict(request.user, VIEW),
                                   pk=assessment_pk, person=person)
    forbid_unless(Person.objects.restrict(request.user, CHANGE).filter(pk=person.pk).exists())
    try:
        actions.do_void_assessment(actor=request.user, channel=CHANNEL, assessment=assessment,
                                   reason=request.POST.get("reason", "")[:255])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Penilaian dibatalkan."))
    return redirect("competency:person", pk=person.pk)


# --- gap report -----------------------------------------------------------------------------


def _gap_filters(request: HttpRequest) -> tuple[GapFilterForm, dict[str, str]]:
    form = GapFilterForm(request.GET or None)
    params = form.params() if request.GET else {"by": "region"}
    return form, params


@login_required
def gap_report(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form, params = _gap_filters(request)
    filters: dict[str, Any] = {k: params[k] for k in ("region", "category", "competency")
                               if params.get(k)}
    stats: dict[str, int] = {}
    too_many = _too_many(user, filters)
    summary = [] if too_many else queries.gap_summary(user, by=params["by"], stats=stats,
                                                      **filters)
    below: list[queries.GapRow] = []
    if params.get("competency") and not too_many:
        for row in queries.gap_rows(user, only_below=True, **filters):
            below.append(row)
            if len(below) >= BELOW_LIMIT:
                break
    kesos = workforce_summary(user, params.get("region", ""))
    export = request.GET.copy()
    return render(request, "competency/gaps.html", {
        "form": form, "params": params, "summary": summary, "stats": stats, "below": below,
        "below_limit": BELOW_LIMIT, "kesos": kesos, "too_many": too_many,
        "people_limit": PEOPLE_LIMIT, "export_query": export.urlencode(),
        "region": Region.objects.filter(code=params.get("region", "")).first(),
    })


EXPORT_HEADERS = ["ID Pekerja", "Nama", "Wilayah", "Unit Kerja", "Kategori SDM", "Standar",
                  "Kompetensi", "Level Dipersyaratkan", "Level Saat Ini", "Kesenjangan"]


@login_required
def gap_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every gap row the user may see (filters as on the report page)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    user: Any = request.user
    _form, params = _gap_filters(request)
    filters: dict[str, Any] = {k: params[k] for k in ("region", "category", "competency")
                               if params.get(k)}
    if _too_many(user, filters):
        messages.error(request, _("Terlalu banyak data untuk diekspor dari web; pilih wilayah "
                                  "atau gunakan perintah `sdmkesos gaps -o`."))
        return redirect("competency:gaps")
    orgs: dict[int | None, str] = dict(Organisation.objects.values_list("id", "name"))
    only_below = request.GET.get("semua") != "1"
    rows = ([r.person_id, r.person_name, r.region_code or "", orgs.get(r.organisation_id, ""),
             r.category or "", r.standard, r.competency, r.required, r.current, r.gap]
            for r in queries.gap_rows(user, only_below=only_below, **filters))
    actions.record_export(actor=user, channel=CHANNEL, what="competency.gaps",
                          note=f"{fmt} {params}")
    return table_response("kesenjangan-kompetensi", fmt, EXPORT_HEADERS, rows)

