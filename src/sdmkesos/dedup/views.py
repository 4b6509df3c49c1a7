"""Review queue pages (/duplikat/). Reads go through ``restrict``; writes through
dedup.actions with channel "web". Only roles that may change people review pairs; a reviewer
sees the pairs whose two people are both in their scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.scoping import CHANGE, can, display_nik
from sdmkesos.people.models import Person

from . import actions, linkage
from .models import CandidatePair, LinkageRun, MergeRecord, PairStatus, RunStatus

PAGE_SIZE = 25
SIDE_FIELDS = ("name", "nik", "nip", "sex", "birth_place", "birth_date", "region",
               "organisation", "position")


def _require_reviewer(user: Any) -> None:
    if not can(user, CHANGE):
        raise PermissionDenied(_("Hanya operator dan administrator yang meninjau duplikat."))


def _side(user: Any, person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {
        "id": person.pk, "name": person.name, "nik": display_nik(user, person.nik),
        "nip": person.nip or "", "sex": person.get_sex_display(),
        "birth_place": person.birth_place, "birth_date": person.birth_date,
        "region": str(person.region) if person.region_id else _("Nasional"),
        "organisation": str(person.organisation) if person.organisation_id else "",
        "position": person.position,
        "education": person.education.count(), "employment": person.employment.count(),
    }


def _rows(user: Any, pair: CandidatePair) -> list[dict[str, Any]]:
    left, right = _side(user, pair.left), _side(user, pair.right)
    labels = {"name": _("Nama"), "nik": _("NIK"), "nip": _("NIP"), "sex": _("Jenis kelamin"),
              "birth_place": _("Tempat lahir"), "birth_date": _("Tanggal lahir"),
              "region": _("Wilayah pengelola"), "organisation": _("Unit kerja"),
              "position": _("Jabatan"), "education": _("Riwayat pendidikan"),
              "employment": _("Riwayat pekerjaan")}
    rows = []
    for key, label in labels.items():
        a = left.get(key) if left else None
        b = right.get(key) if right else None
        rows.append({"label": label, "left": a, "right": b, "same": a == b,
                     "is_date": key == "birth_date"})
    return rows


def _queue(user: Any, status: str) -> Any:
    return (CandidatePair.objects.restrict(user, CHANGE).filter(status=status)
            .select_related("left", "right", "left__region", "right__region", "reviewer"))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_reviewer(user)
    status = request.GET.get("status", PairStatus.PROPOSED)
    if status not in PairStatus.values:
        status = PairStatus.PROPOSED
    qs = _queue(user, status).order_by("-probability", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    pairs = [{"pair": p, "sides": [_side(user, p.left), _side(user, p.right)]}
             for p in page.object_list]
    runs = LinkageRun.objects.restrict(user).select_related("started_by")[:5]
    return render(request, "dedup/queue.html", {
        "pairs": pairs, "page": page, "status": status, "statuses": PairStatus.choices,
        "runs": runs, "default_threshold": linkage.DEFAULT_THRESHOLD,
    })


def _pair(user: Any, pk: int) -> CandidatePair:
    pair = CandidatePair.objects.restrict(user, CHANGE).select_related(
        "left", "right", "left__region", "right__region", "left__organisation",
        "right__organisation", "reviewer").filter(pk=pk).first()
    if pair is None:
        raise Http404(_("Pasangan tidak ditemukan."))
    return pair


@login_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_reviewer(user)
    pair = _pair(user, pk)
    merge = MergeRecord.objects.filter(pair=pair).first()
    return render(request, "dedup/pair.html", {
        "pair": pair, "rows": _rows(user, pair), "merge": merge,
        "open": pair.status == PairStatus.PROPOSED and pair.left_id and pair.right_id,
    })


@login_required
@require_POST
def pair_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_reviewer(user)
    pair = _pair(user, pk)
    keep = request.POST.get("keep", "left")
    try:
        merge = actions.do_confirm_pair(actor=user, channel=Channel.WEB, pair=pair, keep=keep,
                                        note=request.POST.get("note", "")[:255])
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("dedup:pair", pk=pk)
    messages.success(request, _("Data digabung: %(removed)s masuk ke %(kept)s.") % {
        "removed": merge.removed_name, "kept": merge.kept.name if merge.kept else ""})
    return redirect(_next(request))


@login_required
@require_POST
def pair_reject(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_reviewer(user)
    pair = _pair(user, pk)
    try:
        actions.do_reject_pair(actor=user, channel=Channel.WEB, pair=pair,
                               note=request.POST.get("note", "")[:255])
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("dedup:pair", pk=pk)
    messages.success(request, _("Pasangan ditolak; tidak akan diusulkan lagi."))
    return redirect(_next(request))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/duplikat/") and "//" not in target:
        return target
    return reverse("dedup:queue")


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_reviewer(user)
    try:
        threshold = float(request.POST.get("threshold") or linkage.DEFAULT_THRESHOLD)
    except ValueError:
        threshold = -1.0
    try:
        run = actions.do_start_run(actor=user, channel=Channel.WEB, threshold=threshold)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("dedup:queue")
    return redirect("dedup:run", pk=run.pk)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_reviewer(user)
    run = LinkageRun.objects.restrict(user).select_related("started_by").filter(pk=pk).first()
    if run is None:
        raise Http404(_("Proses tidak ditemukan."))
    context = {"run": run, "finished": run.status in (RunStatus.DONE, RunStatus.FAILED)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "dedup/_run_status.html", context)
    return render(request, "dedup/run.html", context)


@login_required
def merge_list(request: HttpRequest) -> HttpResponse:
    """Confirmed merges whose kept person is in scope; ``?nik=`` finds an alias."""
    user = request.user
    _require_reviewer(user)
    qs = MergeRecord.objects.restrict(user, CHANGE).select_related("kept", "merged_by")
    nik = "".join(ch for ch in request.GET.get("nik", "") if ch.isdigit())[:16]
    if nik:
        qs = qs.filter(removed_nik=nik)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"merge": m, "removed_nik": display_nik(user, m.removed_nik)}
            for m in page.object_list]
    return render(request, "dedup/merges.html", {"rows": rows, "page": page, "nik": nik})
