"""Exports of the registry, scoped like every read. Columns are the import template's, so an
export re-imports unchanged. Cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sdmkesos.core.scoping import mask_nik, sees_full_nik
from sdmkesos.people.filters import PersonFilter
from sdmkesos.people.models import Person

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADERS = ["NIK", "Nama", "NIP", "L/P", "Tempat Lahir", "Tgl Lahir", "No HP", "Email", "Alamat",
           "Pendidikan Terakhir", "Jurusan", "Jabatan", "Unit Kerja", "Kab/Kota", "Jenis SDM",
           "Status Kepegawaian"]


def neutralise(value: Any) -> Any:
    """Prefix text that starts like a formula with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def person_rows(user: Any, flt: PersonFilter | None = None) -> Iterator[list[str]]:
    qs = (flt or PersonFilter()).apply(Person.objects.restrict(user)).select_related(
        "organisation", "category", "employment_status", "education_level", "field_of_study")
    full = sees_full_nik(user)
    for p in qs.order_by("id").iterator(chunk_size=2000):
        yield [
            p.nik if full else mask_nik(p.nik), p.name, p.nip or "", p.sex, p.birth_place,
            p.birth_date.strftime("%d-%m-%Y") if p.birth_date else "", p.phone, p.email,
            p.address, p.education_level.code if p.education_level else "",
            p.field_of_study.code if p.field_of_study else "", p.position,
            p.organisation.code if p.organisation else "", p.region_id or "",
            p.category.code if p.category else "",
            p.employment_status.code if p.employment_status else "",
        ]


def export_persons(user: Any, path: str | Path, fmt: str = "csv",
                   flt: PersonFilter | None = None) -> int:
    path = Path(path)
    count = 0
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            for row in person_rows(user, flt):
                writer.writerow([neutralise(v) for v in row])
                count += 1
        return count
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Pekerja")
    ws.append(HEADERS)
    for row in person_rows(user, flt):
        ws.append([neutralise(v) for v in row])
        count += 1
    wb.save(path)
    return count
