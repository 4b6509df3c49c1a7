"""Training plan pages (``/pelatihan/rencana/``): ask the optimiser for a plan on registry data
(a background task), follow it, read the result, download its JSON, accept it. Plans are read
through ``TrainingPlan.objects.restrict(user, "view")``; writes go through the training actions;
asking and accepting need management of the plan's organiser (``permissions.can_manage``)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdmkesos.competency.webutil import forbid_unless
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.scoping import VIEW

from . import actions
from .forms import PlanForm
from .models import PlanStatus, Programme, Trainer, TrainingPlan, Venue
from .permissions import can_manage, may_manage_anything
from .planner import region_name
from .tasks import progress_of

MAX_MESSAGES = 30


def _plans(request: HttpRequest) -> Any:
    return TrainingPlan.objects.restrict(request.user, VIEW).select_related(
        "organisation", "region", "created_by")


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    forbid_unless(may_manage_anything(request.user))
    return render(request, "training/plans.html", {
        "plans": _plans(request)[:200], "tab": "plans"})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    forbid_unless(may_manage_anything(request.user))
    today = dt.date.today()
    initial = {"start": dt.date(today.year + 1, 1, 1), "end": dt.date(today.year + 1, 12, 31),
               "name": _("Rencana pelatihan {year}").format(year=today.year + 1)}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = actions.do_create_plan(
                actor=request.user, channel=Channel.WEB, name=data["name"],
                organisation=data["organisation"], region=data.get("region"),
                parameters=form.parameters((get_language() or "id")[:8]))
        except DomainError as error:
            form.apply_domain_error(error)
        else:
            messages.success(request, _("Rencana dihitung di latar belakang."))
            return redirect("training:plan", pk=plan.pk)
    return render(request, "training/plan_form.html", {"form": form, "tab": "plans"},
                  status=400 if form.errors else 200)


def _names(plan: TrainingPlan) -> dict[str, dict[str, str]]:
    data = plan.result or {}
    batches = data.get("batches") or []
    venue_ids = {int(b["venue"]) for b in batches if str(b.get("venue", "")).isdigit()}
    trainer_ids = {int(t) for b in batches for t in b.get("trainers", []) if str(t).isdigit()}
    return {
        "programmes": dict(Programme.objects.values_list("code", "name")),
        "venues": {str(k): v for k, v in Venue.objects.filter(pk__in=venue_ids)
                   .values_list("pk", "name")},
        "trainers": {str(k): v for k, v in Trainer.objects.filter(pk__in=trainer_ids)
                     .values_list("pk", "name")},
    }


def _context(request: HttpRequest, plan: TrainingPlan) -> dict[str, Any]:
    data = plan.result or {}
    names = _names(plan) if data else {"programmes": {}, "venues": {}, "trainers": {}}
    batches = [{
        **b, "programme_name": names["programmes"].get(b["programme"], b["programme"]),
        "venue_name": names["venues"].get(str(b.get("venue")), b.get("venue")),
        "venue_region_name": region_name(b.get("venue_region", "")),
        "trainer_names": [names["trainers"].get(str(t), t) for t in b.get("trainers", [])],
        "count": len(b.get("participants", []))} for b in data.get("batches") or []]
    per_programme = Counter(b["programme"] for b in batches)
    progress = progress_of(plan.pk) if not plan.finished else None
    elapsed = int(time.time() - progress["started"]) if progress and progress.get(
        "started") else None
    uncovered = data.get("uncovered") or {}
    return {
        "plan": plan, "data": data, "batches": batches, "per_programme": sorted(
            per_programme.items()), "progress": progress, "elapsed": elapsed,
        "uncovered": uncovered,
        "reasons": [(code, count, (uncovered.get("reasons") or {}).get(code, code))
                    for code, count in (uncovered.get("by_reason") or {}).items()],
        "gap_percent": None if data.get("gap") is None else 100 * float(data["gap"]),
        "region_name": region_name(plan.region_id or ""),
        "can_accept": plan.status == PlanStatus.DRAFT and bool(batches) and can_manage(
            request.user, plan.organisation),
        "params": plan.parameters, "tab": "plans",
    }


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request), pk=pk)
    return render(request, "training/plan.html", _context(request, plan))


@login_required
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request), pk=pk)
    if plan.finished and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "training/_plan_progress.html", _context(request, plan))


@login_required
def plan_json(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request), pk=pk)
    if not plan.result:
        return HttpResponse(status=404)
    response = HttpResponse(json.dumps(plan.result, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rencana-pelatihan-{plan.pk}.json"'
    return response


@login_required
@require_POST
def plan_accept(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request), pk=pk)
    forbid_unless(can_manage(request.user, plan.organisation))
    try:
        created = actions.do_accept_plan(actor=request.user, channel=Channel.WEB, plan=plan)
    except ValidationFailed as error:
        shown = error.errors[:MAX_MESSAGES]
        for problem in shown:
            messages.error(request, problem.message)
        if len(error.errors) > len(shown):
            messages.error(request, _("… dan {n} bentrok lainnya.").format(
                n=len(error.errors) - len(shown)))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Rencana diterima: {n} angkatan dan usulan pesertanya "
                                    "dibuat.").format(n=len(created)))
    return redirect("training:plan", pk=plan.pk)

