"""The record types the sheet engine imports. A new type declares its columns, how a chunk of rows
is validated and how valid rows are written; the engine (reading, header detection, chunking,
modes, transaction, progress, report) is shared. Later apps register theirs with
:func:`register`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import history, persons
from .spec import Column


@dataclass(frozen=True)
class FrameKind:
    """A kind's vectorised path (frames.py): ``classify(frame, mapping, first_row, state,
    actor) -> (plain valid rows as a frame, positions of the other rows)``; ``write(actor=,
    channel=, frame=, note=) -> (outcome, sheet rows left to the row path)``; ``forget(frame,
    rows, state)`` before those rows are validated the row way."""

    classify: Callable[..., Any]
    write: Callable[..., Any]
    forget: Callable[..., Any]


@dataclass(frozen=True)
class ImportKind:
    name: str
    label: Any
    columns: tuple[Column, ...]
    start: Callable[[Any], Any]  # actor -> per-file validation state
    validate: Callable[..., Any]  # (rows, actor, state) -> (valid rows, errors)
    write: Callable[..., Any]  # (actor=, channel=, rows=, note=) -> outcome
    example: tuple[Any, ...] = ()
    skip_template: frozenset[str] = frozenset()
    # (valid rows, actor) -> warnings (RowError) for rows that are likely duplicates
    check: Callable[..., Any] | None = None
    # () -> the models a large load writes most (their indexes are rebuilt once, see bulk.py),
    # the main one first (analysed afterwards)
    bulk_tables: Callable[[], list[Any]] | None = None
    frames: FrameKind | None = None

    def template_headers(self) -> list[str]:
        return [c.label for c in self.columns if c.key not in self.skip_template]


def _person_tables() -> list[Any]:
    from sdmkesos.core.models import AuditEvent
    from sdmkesos.people.models import EducationRecord, EmploymentRecord, Person

    return [Person, EmploymentRecord, EducationRecord, AuditEvent]


def _classify_persons(*args: Any) -> Any:
    from .persons_frame import classify

    return classify(*args)


def _write_person_frame(**kwargs: Any) -> Any:
    from sdmkesos.people.actions import do_import_person_frame

    return do_import_person_frame(**kwargs)


def _forget_persons(*args: Any) -> Any:
    from .persons_frame import forget

    return forget(*args)


def _write_persons(**kwargs: Any) -> Any:
    from sdmkesos.people.actions import do_import_persons

    return do_import_persons(**kwargs)


KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    KINDS[kind.name] = kind
    return kind


def _check_persons(rows: list[tuple[int, dict[str, Any]]], actor: Any) -> list[Any]:
    """Flag new rows that look like someone already in the registry (or another row of the
    file) under a different or missing NIK: the de-duplication app's matcher."""
    from sdmkesos.dedup.queries import find_likely_duplicates

    from .spec import RowError

    warnings = []
    en = (get_language() or "id").startswith("en")
    for dup in find_likely_duplicates(rows, actor=actor):
        if dup.person_id is not None:
            who = (f"{dup.person_name} (id {dup.person_id})" if dup.in_scope else
                   ("someone outside your scope" if en else "seseorang di luar wilayah Anda"))
        else:
            who = f"{'row' if en else 'baris'} {dup.other_key}"
        message = (f"Possibly the same person as {who}, probability {dup.probability:.2f}; "
                   "review in the duplicates queue after importing" if en else
                   f"Mungkin orang yang sama dengan {who}, peluang {dup.probability:.2f}; "
                   "periksa di antrean duplikat setelah impor")
        warnings.append(RowError(int(str(dup.key)), "Nama", "", "likely_duplicate", message))
    return warnings


register(ImportKind(
    "persons", _("Pekerja"), persons.COLUMNS, persons.ValidationState.start,
    persons.validate_rows, _write_persons, tuple(persons.example_row()),
    skip_template=frozenset({"place_date"}), check=_check_persons,
    bulk_tables=_person_tables,
    frames=FrameKind(_classify_persons, _write_person_frame, _forget_persons)))
register(ImportKind(
    "education", _("Riwayat pendidikan"), history.EDUCATION_COLUMNS, history.start,
    history.validate_education, history.write_education, tuple(history.EDUCATION_EXAMPLE)))
register(ImportKind(
    "employment", _("Riwayat pekerjaan"), history.EMPLOYMENT_COLUMNS, history.start,
    history.validate_employment, history.write_employment, tuple(history.EMPLOYMENT_EXAMPLE)))



def _register_training_kinds() -> None:
    """Training participants and competency assessments (declared in ``training.sheets``)."""
    from sdmkesos.training import sheets

    register(ImportKind(
        "training_participants", _("Peserta pelatihan"), sheets.PARTICIPANT_COLUMNS,
        sheets.start, sheets.validate_participants, sheets.write_participants,
        tuple(sheets.PARTICIPANT_EXAMPLE)))
    register(ImportKind(
        "competency_assessments", _("Penilaian kompetensi"), sheets.ASSESSMENT_COLUMNS,
        sheets.start, sheets.validate_assessments, sheets.write_assessments,
        tuple(sheets.ASSESSMENT_EXAMPLE)))


_register_training_kinds()


def get_kind(name: str) -> ImportKind:
    return KINDS[name]
