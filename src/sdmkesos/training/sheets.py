"""Sheet imports of the training and competency apps, declared on the shared sheet engine
(``imports.kinds``): ``training_participants`` (nominate people into a batch, by NIK and batch
code) and ``competency_assessments`` (assessed levels, by NIK and competency code). Columns,
row validation, and writers that go through ``training.actions.do_nominate`` and
``competency.actions.do_record_assessment`` (one audited action per row). A row matching what is
already recorded is ``unchanged``, so re-importing a file changes nothing.

A batch code is ``<programme code>-<batch number>`` (``PDPS-3``), shown on the batch page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sdmkesos.core.errors import DomainError
from sdmkesos.imports.history import NIK_COLUMN, validate_person_rows
from sdmkesos.imports.parsing import CellError, is_blank, parse_date, text
from sdmkesos.imports.spec import Column, RowError, WriteOutcome

PARTICIPANT_COLUMNS = (
    NIK_COLUMN,
    Column("batch", "Kode Angkatan", ("Angkatan", "Kode Diklat", "Kode Batch", "Batch",
                                      "Kode Pelatihan"), required=True),
    Column("note", "Catatan", ("Keterangan", "Ket")),
)

ASSESSMENT_COLUMNS = (
    NIK_COLUMN,
    Column("competency", "Kode Kompetensi", ("Kompetensi", "Kode Komp", "Kode"), required=True),
    Column("level", "Level", ("Tingkat", "Level Kompetensi", "Nilai Level"), required=True),
    Column("assessed_on", "Tanggal Penilaian", ("Tanggal", "Tgl Penilaian", "Tanggal Asesmen"),
           required=True),
    Column("method", "Metode", ("Metode Penilaian", "Cara Penilaian", "Jenis Penilaian"),
           required=True),
    Column("assessor", "Penilai", ("Asesor", "Nama Asesor", "Nama Penilai")),
    Column("valid_until", "Berlaku Sampai", ("Masa Berlaku", "Berlaku s.d.", "Kedaluwarsa")),
    Column("note", "Catatan", ("Keterangan", "Ket")),
)

METHODS = {
    "self": "self", "diri": "self", "penilaian diri": "self", "mandiri": "self",
    "supervisor": "supervisor", "atasan": "supervisor", "penilaian atasan": "supervisor",
    "assessor": "assessor", "asesor": "assessor", "asesmen": "assessor",
    "test": "test", "tes": "test", "uji": "test", "uji/tes": "test", "ujian": "test",
}

PARTICIPANT_EXAMPLE = ["3507015708900012", "PDPS-1", ""]
ASSESSMENT_EXAMPLE = ["3507015708900012", "RS.03", "2", "15-03-2026", "Asesor",
                      "Dra. Sri Wahyuni", "", ""]


@dataclass
class SheetState:
    actor: Any
    people: dict[str, Any] = field(default_factory=dict)  # NIK -> Person in scope, or None
    batches: dict[str, Any] = field(default_factory=dict)  # code -> Batch, or None
    competencies: dict[str, Any] = field(default_factory=dict)
    seen: set[tuple[Any, ...]] = field(default_factory=set)  # duplicate rows in the file


def start(actor: Any) -> SheetState:
    return SheetState(actor)


def parse_batch_code(code: str) -> tuple[str, int] | None:
    """``PDPS-3`` → (``PDPS``, 3); programme codes may contain hyphens (``TAGANA-DASAR-2``).
    None when the text has no ``-<number>`` ending or no programme part."""
    programme, _, number = code.strip().rpartition("-")
    programme = programme.strip()
    if not programme or not number.isascii() or not number.isdigit() or int(number) < 1:
        return None
    return programme, int(number)


def batch_by_code(code: str) -> Any:
    """``PDPS-3`` → the batch (programme PDPS, number 3), or None."""
    from .models import Batch

    parsed = parse_batch_code(code)
    if parsed is None:
        return None
    return Batch.objects.select_related("programme").filter(
        programme__code__iexact=parsed[0], number=parsed[1]).first()


def _parse_participant(cells: dict[str, Any], data: dict[str, Any], state: SheetState,
                       fail: Any) -> None:
    code = text(cells["batch"]).upper()
    if code not in state.batches:
        state.batches[code] = batch_by_code(code)
    batch = state.batches[code]
    if batch is None:
        fail("batch", CellError("batch_not_found",
                                f"Angkatan '{code}' tidak ada; tulis kode program-nomor "
                                "angkatan, misalnya PDPS-1",
                                f"No batch '{code}'; write programme code-batch number, "
                                "e.g. PDPS-1"))
        return
    key = ("participant", data["person"].pk, batch.pk)
    if key in state.seen:
        fail("nik", CellError("duplicate_row", "Orang ini sudah ada di baris lain untuk "
                              "angkatan yang sama", "This person is already on another row "
                              "for the same batch"))
        return
    state.seen.add(key)
    data["batch"] = batch
    data["note"] = text(cells.get("note"))[:255]


def _parse_assessment(cells: dict[str, Any], data: dict[str, Any], state: SheetState,
                      fail: Any) -> None:
    from sdmkesos.competency.models import Competency

    code = text(cells["competency"]).upper()
    if code not in state.competencies:
        state.competencies[code] = Competency.objects.filter(code__iexact=code).first()
    data["competency"] = state.competencies[code]
    if data["competency"] is None:
        fail("competency", CellError("competency_not_found",
                                     f"Kompetensi '{code}' tidak ada dalam kamus",
                                     f"Competency '{code}' is not in the dictionary"))
    raw = text(cells["level"])
    if raw.isdigit() and 1 <= int(raw) <= 5:
        data["level"] = int(raw)
    else:
        fail("level", CellError("level_invalid", f"Level '{raw}' harus 1 sampai 5",
                                f"Level '{raw}' must be 1 to 5"))
    method = METHODS.get(text(cells["method"]).lower())
    if method is None:
        fail("method", CellError("method_invalid",
                                 "Metode harus salah satu: penilaian diri, atasan, asesor, tes",
                                 "Method must be one of: self, supervisor, assessor, test"))
    data["method"] = method
    for key in ("assessed_on", "valid_until"):
        data[key] = None
        if not is_blank(cells.get(key)):
            try:
                data[key] = parse_date(cells[key])
            except CellError as err:
                fail(key, err)
    if data["assessed_on"] and data["assessed_on"] > dt.date.today():
        fail("assessed_on", CellError("future_date", "Tanggal penilaian di masa depan",
                                      "Assessment date in the future"))
    if data["assessed_on"] and data["valid_until"] and data["valid_until"] < data["assessed_on"]:
        fail("valid_until", CellError("end_before_start",
                                      "Berlaku sampai sebelum tanggal penilaian",
                                      "Valid until before the assessment date"))
    data["assessor"] = text(cells.get("assessor"))[:150]
    data["note"] = text(cells.get("note"))[:255]


def validate_participants(rows: list[tuple[int, dict[str, Any]]], actor: Any,
                          state: SheetState) -> tuple[list[tuple[int, dict[str, Any]]],
                                                      list[RowError]]:
    return validate_person_rows(rows, state, PARTICIPANT_COLUMNS, _parse_participant)


def validate_assessments(rows: list[tuple[int, dict[str, Any]]], actor: Any,
                         state: SheetState) -> tuple[list[tuple[int, dict[str, Any]]],
                                                     list[RowError]]:
    return validate_person_rows(rows, state, ASSESSMENT_COLUMNS, _parse_assessment)


def write_participants(*, actor: Any, channel: str, rows: list[tuple[int, dict[str, Any]]],
                       note: str = "") -> WriteOutcome:
    from . import actions
    from .models import Nomination

    outcome = WriteOutcome()
    for row_no, data in rows:
        person, batch = data["person"], data["batch"]
        if Nomination.objects.filter(batch=batch, person=person).exists():
            outcome.unchanged += 1
            outcome.statuses[row_no] = "unchanged"
            continue
        try:
            actions.do_nominate(actor=actor, channel=channel, batch=batch, person=person,
                                note=data["note"] or note)
        except DomainError as error:
            outcome.refuse(row_no, "NIK", error)
            continue
        outcome.created += 1
        outcome.statuses[row_no] = "created"
    return outcome


def write_assessments(*, actor: Any, channel: str, rows: list[tuple[int, dict[str, Any]]],
                      note: str = "") -> WriteOutcome:
    from sdmkesos.competency.actions import do_record_assessment
    from sdmkesos.competency.models import Assessment

    outcome = WriteOutcome()
    for row_no, data in rows:
        if Assessment.objects.filter(person=data["person"], competency=data["competency"],
                                     level=data["level"], method=data["method"],
                                     assessed_on=data["assessed_on"], voided=False).exists():
            outcome.unchanged += 1
            outcome.statuses[row_no] = "unchanged"
            continue
        try:
            do_record_assessment(actor=actor, channel=channel, person=data["person"],
                                 competency=data["competency"], level=data["level"],
                                 method=data["method"], assessed_on=data["assessed_on"],
                                 valid_until=data["valid_until"],
                                 assessor_name=data["assessor"], source=note[:120],
                                 note=data["note"])
        except DomainError as error:
            outcome.refuse(row_no, "NIK", error)
            continue
        outcome.created += 1
        outcome.statuses[row_no] = "created"
    return outcome
