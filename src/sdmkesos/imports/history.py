"""Education and employment history imports: declared columns, row validation, and a writer that
goes through the people actions (one audited action per added record). A row that matches a
record the person already has is ``unchanged``, so re-importing a file changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from sdmkesos.core.errors import DomainError
from sdmkesos.core.scoping import CHANGE

from .parsing import CellError, is_blank, normalise_label, parse_date, parse_identifier, text
from .persons import Resolver
from .spec import Column, RowError, WriteOutcome

NIK_COLUMN = Column("nik", "NIK", ("No. KTP", "No KTP", "Nomor KTP", "Nomor Induk Kependudukan"),
                    required=True)

EDUCATION_COLUMNS = (
    NIK_COLUMN,
    Column("level", "Jenjang", ("Pendidikan", "Jenjang Pendidikan", "Tingkat Pendidikan",
                                "Pendidikan Terakhir"), required=True),
    Column("field", "Jurusan", ("Program Studi", "Prodi", "Bidang Studi")),
    Column("institution", "Institusi Pendidikan", ("Perguruan Tinggi", "Nama Sekolah",
                                                   "Universitas", "Institusi")),
    Column("graduation_year", "Tahun Lulus", ("Thn Lulus", "Tahun Ijazah", "Lulus Tahun")),
)

EMPLOYMENT_COLUMNS = (
    NIK_COLUMN,
    Column("organisation", "Unit Kerja", ("Instansi", "Satuan Kerja", "Satker", "Unit",
                                          "Kode Unit Kerja"), required=True),
    Column("position", "Jabatan", ("Nama Jabatan", "Jabatan Fungsional")),
    Column("category", "Jenis SDM", ("Kategori", "Kategori SDM", "Jenis Tenaga")),
    Column("employment_status", "Status Kepegawaian", ("Status", "Status Pegawai")),
    Column("start_date", "TMT Mulai", ("Mulai", "Tanggal Mulai", "TMT", "Tgl Mulai")),
    Column("end_date", "Selesai", ("Tanggal Selesai", "Tgl Selesai", "Sampai")),
)


@dataclass
class HistoryState:
    resolver: Resolver
    actor: Any
    people: dict[str, Any] = field(default_factory=dict)  # NIK -> Person (in scope) or None


def start(actor: Any) -> HistoryState:
    return HistoryState(Resolver.load(actor), actor)


def _lang() -> str:
    return (get_language() or "id")[:2]


def person_in_scope(state: Any, nik: str) -> Any:
    """The person with this NIK whom ``state.actor`` may change (memoised in ``state.people``),
    or None."""
    from sdmkesos.people.models import Person

    if nik not in state.people:
        state.people[nik] = Person.objects.restrict(state.actor, CHANGE).filter(nik=nik).first()
    return state.people[nik]


def validate_person_rows(rows: list[tuple[int, dict[str, Any]]], state: Any,
              columns: tuple[Column, ...], parse: Any,
              ) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Rows about a registered person (a NIK column): required cells, the person in the
    importer's scope as ``data["person"]``, then ``parse(cells, data, state, fail)`` for the
    rest. ``state`` has ``actor`` and ``people`` (a NIK memo). Shared by every such kind."""
    lang = _lang()
    labels = {c.key: c.label for c in columns}
    valid: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    for row_no, cells in rows:
        row_errors: list[RowError] = []

        def fail(key: str, err: CellError, row_no: int = row_no, cells: dict[str, Any] = cells,
                 row_errors: list[RowError] = row_errors) -> None:
            row_errors.append(RowError(row_no, labels.get(key, key), text(cells.get(key)),
                                       err.code, err.message(lang)))

        data: dict[str, Any] = {}
        for column in columns:
            if column.required and is_blank(cells.get(column.key)):
                fail(column.key, CellError("required", "Wajib diisi", "Required"))
        if not is_blank(cells.get("nik")):
            try:
                nik = parse_identifier(cells["nik"], 16, "NIK")
            except CellError as err:
                fail("nik", err)
            else:
                person = person_in_scope(state, nik)
                if person is None:
                    fail("nik", CellError(
                        "person_not_found",
                        "Tidak ada pekerja dengan NIK ini di wilayah Anda; impor datanya dulu",
                        "No worker with this NIK in your scope; import the person first"))
                data["person"] = person
        if not row_errors:
            parse(cells, data, state, fail)
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append((row_no, data))
    return valid, errors


def _parse_education(cells: dict[str, Any], data: dict[str, Any], state: HistoryState,
                     fail: Any) -> None:
    resolver = state.resolver
    try:
        data["level"] = resolver.code(resolver.levels, cells["level"], "education_level")
    except CellError as err:
        fail("level", err)
    if not is_blank(cells.get("field")):
        data["field_text"] = text(cells["field"])
        data["field"] = resolver.fields.get(normalise_label(cells["field"]))
    else:
        data["field"], data["field_text"] = None, ""
    data["institution"] = text(cells.get("institution"))
    year = cells.get("graduation_year")
    data["graduation_year"] = None
    if not is_blank(year):
        raw = text(year)
        if not raw.isdigit() or not 1940 <= int(raw) <= 2100:
            fail("graduation_year", CellError("invalid_year",
                                              f"Tahun '{raw}' tidak valid (contoh: 2015)",
                                              f"Invalid year '{raw}' (e.g. 2015)"))
        else:
            data["graduation_year"] = int(raw)


def _parse_employment(cells: dict[str, Any], data: dict[str, Any], state: HistoryState,
                      fail: Any) -> None:
    resolver = state.resolver
    try:
        data["organisation"] = resolver.organisation(cells["organisation"])
    except CellError as err:
        fail("organisation", err)
    data["position"] = text(cells.get("position"))
    for key, table in (("category", resolver.categories),
                       ("employment_status", resolver.statuses)):
        data[key] = None
        if not is_blank(cells.get(key)):
            try:
                data[key] = resolver.code(table, cells[key], key)
            except CellError as err:
                fail(key, err)
    for key in ("start_date", "end_date"):
        data[key] = None
        if not is_blank(cells.get(key)):
            try:
                data[key] = parse_date(cells[key])
            except CellError as err:
                fail(key, err)
    if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
        fail("end_date", CellError("end_before_start", "Tanggal selesai sebelum tanggal mulai",
                                   "End date before start date"))


def validate_education(rows: list[tuple[int, dict[str, Any]]], actor: Any,
                       state: HistoryState) -> tuple[list[tuple[int, dict[str, Any]]],
                                                     list[RowError]]:
    return validate_person_rows(rows, state, EDUCATION_COLUMNS, _parse_education)


def validate_employment(rows: list[tuple[int, dict[str, Any]]], actor: Any,
                        state: HistoryState) -> tuple[list[tuple[int, dict[str, Any]]],
                                                      list[RowError]]:
    return validate_person_rows(rows, state, EMPLOYMENT_COLUMNS, _parse_employment)


def _write(rows: list[tuple[int, dict[str, Any]]], *, exists: Any, add: Any, actor: Any,
           channel: str, note: str) -> WriteOutcome:
    outcome = WriteOutcome()
    for row_no, data in rows:
        person = data.pop("person")
        if exists(person, data):
            outcome.unchanged += 1
            outcome.statuses[row_no] = "unchanged"
            continue
        try:
            add(actor=actor, channel=channel, person=person, data=data, note=note)
        except DomainError as err:
            outcome.rejected.append((row_no, err.field or "", "", err.code, err.message))
            continue
        outcome.created += 1
        outcome.statuses[row_no] = "created"
    return outcome


def write_education(*, actor: Any, channel: str, rows: list[tuple[int, dict[str, Any]]],
                    note: str = "") -> WriteOutcome:
    from sdmkesos.people.actions import do_add_education

    def exists(person: Any, data: dict[str, Any]) -> bool:
        return bool(person.education.filter(level=data["level"], field=data["field"],
                                            field_text=data["field_text"]).exists())

    return _write(rows, exists=exists, add=do_add_education, actor=actor, channel=channel,
                  note=note)


def write_employment(*, actor: Any, channel: str, rows: list[tuple[int, dict[str, Any]]],
                     note: str = "") -> WriteOutcome:
    from sdmkesos.people.actions import do_add_employment

    def exists(person: Any, data: dict[str, Any]) -> bool:
        return bool(person.employment.filter(
            organisation=data["organisation"], position=data["position"],
            start_date=data["start_date"]).exists())

    return _write(rows, exists=exists, add=do_add_employment, actor=actor, channel=channel,
                  note=note)


EDUCATION_EXAMPLE = ["3507015708900012", "S1", "Kesejahteraan Sosial", "Universitas Brawijaya",
                     "2012"]
EMPLOYMENT_EXAMPLE = ["3507015708900012", "DINSOS-35.07", "Pendamping PKH", "Pendamping PKH",
                      "Non-ASN", "01-02-2016", ""]
