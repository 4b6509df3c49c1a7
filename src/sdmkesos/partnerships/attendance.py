"""Attendance sheet import: the columns of a daftar hadir, declared for the shared sheet engine
(``imports.readers.read_rows`` reads the file, ``imports.engine.extract`` finds the header row and
maps its variants); rows are validated here and written by ``actions.do_add_participants``.
The engine is used read-only, as ``imports/persons.py`` does."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from sdmkesos.core.scoping import VIEW
from sdmkesos.imports.engine import extract
from sdmkesos.imports.parsing import CellError, is_blank, text
from sdmkesos.imports.persons import Resolver
from sdmkesos.imports.readers import UnreadableFile, read_rows
from sdmkesos.imports.spec import Column, RowError

from . import actions
from .models import Meeting

COLUMNS = (
    Column("name", "Nama", ("Nama Peserta", "Nama Lengkap", "Nama Lengkap dan Gelar")),
    Column("nik", "NIK", ("No. KTP", "No KTP", "Nomor Induk Kependudukan")),
    Column("position", "Jabatan", ("Jabatan Peserta", "Nama Jabatan")),
    Column("organisation", "Instansi", ("Unit Kerja", "Asal Instansi", "Satuan Kerja",
                                        "Nama Instansi", "Asal", "Lembaga")),
    Column("region", "Kab/Kota", ("Kabupaten/Kota", "Provinsi", "Wilayah", "Asal Daerah",
                                  "Kode Wilayah", "Daerah")),
    Column("count", "Jumlah", ("Jumlah Peserta", "Jml", "Jumlah Orang")),
)


@dataclass
class AttendanceResult:
    rows: int = 0
    created: int = 0
    people: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    def summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "people": self.people,
                "rejected": len({e.row for e in self.errors}), "committed": self.committed,
                "errors": [e.as_dict() for e in self.errors]}


def validate(rows: list[tuple[int, dict[str, Any]]], actor: Any,
             ) -> tuple[list[dict[str, Any]], list[RowError]]:
    from sdmkesos.people.models import Person

    lang = (get_language() or "id")[:2]
    resolver = Resolver.load(actor)
    labels = {c.key: c.label for c in COLUMNS}
    valid: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for row_no, cells in rows:
        row_errors: list[RowError] = []
        data: dict[str, Any] = {"name": text(cells.get("name")),
                                "position": text(cells.get("position")), "source": "import"}
        raw_org = cells.get("organisation")
        if not is_blank(raw_org):
            try:
                data["organisation"] = resolver.organisation(raw_org)
            except CellError:
                data["organisation_name"] = text(raw_org)  # kept as written
        raw_region = cells.get("region")
        if not is_blank(raw_region):
            try:
                data["region"] = resolver.region(raw_region)
            except CellError as err:
                row_errors.append(RowError(row_no, labels["region"], text(raw_region),
                                           err.code, err.message(lang)))
        raw_count = cells.get("count")
        if not is_blank(raw_count):
            try:
                count = int(float(text(raw_count)))
                if count < 1:
                    raise ValueError
                data["count"] = count
            except ValueError:
                row_errors.append(RowError(row_no, labels["count"], text(raw_count),
                                           "invalid_count",
                                           "Jumlah harus bilangan bulat 1 atau lebih"
                                           if lang != "en" else
                                           "Count must be a whole number of 1 or more"))
        nik = text(cells.get("nik")).replace(" ", "")
        if nik:
            person = Person.objects.restrict(actor, VIEW).filter(nik=nik).first()
            if person is not None:
                data["person"] = person
                data["name"] = data["name"] or person.name
        if not (data["name"] or data.get("organisation") or data.get("organisation_name")):
            row_errors.append(RowError(row_no, labels["name"], "", "required",
                                       "Isi nama peserta atau instansi" if lang != "en"
                                       else "Fill in the name or the organisation"))
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append(data)
    return valid, errors


def import_attendance(path: str | Path, *, actor: Any, meeting: Meeting, channel: str = "import",
                      dry_run: bool = False, note: str = "") -> AttendanceResult:
    """All or nothing: any rejected row imports nothing (the report names row, column, value
    and reason)."""
    result = AttendanceResult()
    try:
        raw = [list(r) for r in read_rows(path)]
    except UnreadableFile as err:
        result.errors.append(RowError(0, "", "", "unreadable", err.message))
        return result
    mapping, rows, errors = extract(raw, COLUMNS)
    result.rows = len(rows)
    if mapping is None or errors:
        result.errors = errors
        return result
    valid, row_errors = validate(rows, actor)
    result.errors = row_errors
    if dry_run or row_errors or not valid:
        return result
    built = actions.do_add_participants(actor=actor, channel=channel, meeting=meeting,
                                        rows=valid, note=note or f"file {Path(path).name}")
    result.created = len(built)
    result.people = sum(p.count for p in built)
    result.committed = True
    return result
