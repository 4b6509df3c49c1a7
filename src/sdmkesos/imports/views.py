"""Import and export pages: upload a sheet, confirm the detected column mapping, follow the
background job's progress, download the annotated report; download templates; export the
registry. Writes go through imports.actions; reads are scoped (jobs: one's own, or all for a
national administrator; exports: ``Person.objects.restrict``)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sdmkesos.core.choices import Channel, Role
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.people.filters import PersonFilter

from . import actions
from .exporting import export_persons
from .kinds import KINDS, get_kind
from .models import ImportJob, SavedMapping
from .spec import detect_mapping
from .tasks import progress_of

PREVIEW_ROWS = 5


def _jobs_for(user: Any) -> Any:
    qs = ImportJob.objects.select_related("created_by")
    if user.is_superuser or user.role == Role.NATIONAL_ADMIN:
        return qs
    return qs.filter(created_by=user)


def _job(request: HttpRequest, job_id: Any) -> ImportJob:
    return get_object_or_404(_jobs_for(request.user), pk=job_id)


def _require_importer(request: HttpRequest) -> None:
    if not actions.may_import(request.user):
        raise PermissionDenied


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    jobs = _jobs_for(request.user)[:100]
    return render(request, "imports/jobs.html", {"jobs": jobs, "kinds": KINDS})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    errors: list[DomainError] = []
    kind = request.POST.get("kind") or request.GET.get("kind") or "persons"
    mode = request.POST.get("mode") or ImportJob.Mode.ALL_OR_NOTHING
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        saved = request.POST.get("saved_mapping")
        overrides: dict[str, str] = {}
        if saved:
            found = SavedMapping.objects.filter(pk=saved, kind=kind).first()
            overrides = dict(found.mapping) if found else {}
        if uploaded is None:
            errors.append(DomainError("required", field="file"))
        else:
            try:
                job = actions.do_upload_import(actor=request.user, channel=Channel.WEB,
                                               kind=kind, uploaded=uploaded, mode=mode,
                                               overrides=overrides)
            except ValidationFailed as err:
                errors = list(err.errors)
            else:
                return redirect("imports:mapping", job_id=job.pk)
    return render(request, "imports/upload.html", {
        "kinds": KINDS, "kind": kind, "mode": mode, "modes": ImportJob.Mode.choices,
        "errors": errors, "saved_mappings": SavedMapping.objects.all()},
        status=400 if errors else 200)


def _mapping_rows(job: ImportJob, overrides: dict[str, str]) -> dict[str, Any]:
    spec = get_kind(job.kind)
    head = actions.head_rows(job.file)
    mapping = detect_mapping(head, spec.columns, overrides or None)
    header_row = mapping.header_row if mapping else 0
    header_cells = head[header_row - 1] if header_row else []
    mapped = mapping.columns if mapping else {}
    rows = []
    for index, cell in enumerate(header_cells):
        if cell is None or str(cell).strip() == "":
            continue
        rows.append({"index": index, "header": str(cell).strip(),
                     "key": mapped.get(index, ""),
                     "samples": [r[index] if index < len(r) else "" for r in
                                 head[header_row:header_row + PREVIEW_ROWS]]})
    used = set(mapped.values())
    missing = [c for c in spec.columns if c.required and c.key not in used]
    return {"spec": spec, "header_row": header_row, "rows": rows, "missing": missing}


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _job(request, job_id)
    _require_importer(request)
    if job.status != ImportJob.Status.MAPPING:
        return redirect("imports:job", job_id=job.pk)
    errors: list[DomainError] = []
    overrides = dict(job.overrides)
    if request.method == "POST":
        context = _mapping_rows(job, overrides)
        chosen = {row["header"]: request.POST.get(f"col-{row['index']}", "")
                  for row in context["rows"]}
        try:
            actions.do_confirm_import(actor=request.user, channel=Channel.WEB, job=job,
                                      overrides=chosen, mode=request.POST.get("mode"),
                                      save_as=request.POST.get("save_as", ""))
        except (ValidationFailed, DomainError) as err:
            errors = list(err.errors) if isinstance(err, ValidationFailed) else [err]
            overrides = chosen
        else:
            return redirect("imports:job", job_id=job.pk)
    context = _mapping_rows(job, overrides)
    return render(request, "imports/mapping.html", {
        **context, "job": job, "errors": errors, "modes": ImportJob.Mode.choices},
        status=400 if errors else 200)


def _progress_context(job: ImportJob) -> dict[str, Any]:
    done, total = job.rows_done, job.rows_total
    live = progress_of(job.pk)
    if live and not job.finished:
        done, total = live[0], live[1]
    percent = job.percent
    if live and total and not job.finished:
        percent = min(99, int(100 * done / total))
    return {"job": job, "done": done, "total": total, "percent": percent}


@login_required
def job_detail(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _job(request, job_id)
    return render(request, "imports/job.html", _progress_context(job))


@login_required
def job_progress(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _job(request, job_id)
    return render(request, "imports/_progress.html", _progress_context(job))


@login_required
def job_report(request: HttpRequest, job_id: Any) -> HttpResponseBase:
    job = _job(request, job_id)
    if not job.report or not Path(job.report).exists():
        raise Http404
    return FileResponse(Path(job.report).open("rb"), as_attachment=True,
                        filename=f"laporan-{Path(job.original_name).stem}.xlsx")


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    """An .xlsx template: the header row, an example row, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if kind not in KINDS:
        raise Http404
    spec = get_kind(kind)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(spec.label)[:31]
    headers = spec.template_headers()
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    example = [v for c, v in zip(spec.columns, spec.example, strict=False)
               if c.key not in spec.skip_template]
    ws.append(example)
    for column_cells in ws.iter_cols(min_row=1, max_row=200):
        for cell in column_cells:
            cell.number_format = "@"  # text: NIK/NIP keep all 16/18 digits
    notes = wb.create_sheet(_("Petunjuk"))
    notes.append([_("Kolom"), _("Wajib"), _("Nama lain yang dikenali")])
    for c in spec.columns:
        if c.key in spec.skip_template:
            continue
        notes.append([c.label, _("ya") if c.required else "", ", ".join(c.aliases)])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="templat-{kind}.xlsx"'
    return response


@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    """The registry (as filtered on the list page) as CSV or XLSX, scoped to the user."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    flt = PersonFilter.from_mapping(request.GET)
    tmp = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)  # noqa: SIM115
    tmp.close()
    count = export_persons(request.user, tmp.name, fmt, flt)
    response = FileResponse(Path(tmp.name).open("rb"), as_attachment=True,  # noqa: SIM115
                            filename=f"pekerja.{fmt}")
    response["X-Row-Count"] = str(count)
    Path(tmp.name).unlink(missing_ok=True)  # the open handle keeps the data until sent
    return response


@login_required
def mappings(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    if request.method == "POST":
        messages.info(request, _("Pemetaan disimpan saat mengonfirmasi impor."))
    return render(request, "imports/mappings.html",
                  {"mappings": SavedMapping.objects.select_related("created_by")})
