"""CSV/XLSX exports of the partnership lists (scoped by the caller's queryset). Cells that a
spreadsheet would run as formulas are neutralised (``imports.exporting.neutralise``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from sdmkesos.imports.exporting import neutralise


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def to_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Data")
        ws.append(list(headers))
        for row in rows:
            ws.append([_cell(v) for v in row])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def response(name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
             fmt: str) -> HttpResponse:
    fmt = "xlsx" if fmt == "xlsx" else "csv"
    content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    if fmt == "xlsx" else "text/csv; charset=utf-8")
    resp = HttpResponse(to_bytes(headers, rows, fmt), content_type=content_type)
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


AGREEMENT_HEADERS = ["Jenis", "Nomor", "Judul", "Pihak", "Wilayah", "Ruang lingkup",
                     "Tanggal tanda tangan", "Mulai", "Berakhir", "Status"]


def agreement_rows(qs: Any) -> Iterable[list[Any]]:
    for a in qs.prefetch_related("parties"):
        parties = list(a.parties.all())
        yield [a.get_kind_display(), a.number, a.title, "; ".join(p.name for p in parties),
               " ".join(sorted({p.region_id for p in parties if p.region_id})),
               ", ".join(a.scopes or []), a.signing_date, a.start_date, a.end_date,
               a.get_status_display()]


ACTION_HEADERS = ["Rapat", "Kesepakatan", "Rencana aksi", "Pemilik", "Wilayah pemilik",
                  "Penanggung jawab", "Tenggat", "Status", "Lewat tenggat", "Bukti"]


def action_rows(qs: Any) -> Iterable[list[Any]]:
    for item in qs.select_related("resolution__meeting").prefetch_related(
            "owners__organisation"):
        owners = list(item.owners.all())
        yield [item.resolution.meeting.title, item.resolution.number, item.title,
               "; ".join(o.organisation.name for o in owners),
               " ".join(sorted({o.region_id for o in owners if o.region_id})),
               item.responsible, item.due_date, item.get_status_display(),
               "ya" if item.is_overdue() else "", item.evidence or item.evidence_url]


APPOINTMENT_HEADERS = ["Nama pejabat", "Jabatan", "Unit kerja", "Nomor SK", "Tanggal SK",
                       "Tanggal pelantikan", "Pakta versi terkini ditandatangani"]


def appointment_rows(qs: Any, signed_ids: set[int]) -> Iterable[list[Any]]:
    for ap in qs.select_related("organisation"):
        yield [ap.official_name, ap.position, ap.organisation.name, ap.decree_number,
               ap.decree_date, ap.appointed_on, "ya" if ap.pk in signed_ids else "belum"]
