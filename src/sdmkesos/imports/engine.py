"""The sheet engine: read → find the header and map it → validate rows → write (one transaction).

Modes: dry run (validate only), all-or-nothing (default: any rejected row imports nothing) and
keep-valid (import the valid rows, report the rest). The whole write is one transaction, so an
import killed half-way leaves the database as it was."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import get_language

from . import persons
from .parsing import is_blank, normalise_label, text
from .readers import read_rows
from .spec import Column, Mapping, RowError, detect_mapping

TOTAL_WORDS = {"jumlah", "total", "sub total", "subtotal", "grand total"}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    mapping: Mapping | None = None
    dry_run: bool = False
    committed: bool = False
    raw_rows: list[list[Any]] = field(default_factory=list)
    statuses: dict[int, str] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected,
                "errors": [e.as_dict() for e in self.errors]}

    def summary_json(self) -> str:
        return json.dumps(self.summary(), ensure_ascii=False)


def _is_total_row(cells: list[Any]) -> bool:
    first = next((c for c in cells if not is_blank(c)), None)
    return first is not None and normalise_label(first) in TOTAL_WORDS


def _is_numbering_row(cells: list[Any]) -> bool:
    """The '1 2 3 4 ...' row offices put under the header."""
    values = [text(c) for c in cells if not is_blank(c)]
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]


def extract(raw_rows: list[list[Any]], columns: tuple[Column, ...],
            overrides: dict[str, str] | None = None,
            ) -> tuple[Mapping | None, list[tuple[int, dict[str, Any]]], list[RowError]]:
    mapping = detect_mapping(raw_rows, columns, overrides)
    errors: list[RowError] = []
    if mapping is None:
        lang = (get_language() or "id")[:2]
        message = ("Baris judul kolom tidak ditemukan (misalnya NIK, Nama). Gunakan templat atau "
                   "petakan kolom dengan --map." if lang != "en" else
                   "No header row found (e.g. NIK, Nama). Use the template or map the columns "
                   "with --map.")
        return None, [], [RowError(0, "", "", "header_not_found", message)]
    missing = [c for c in columns if c.required and c.key not in mapping.columns.values()]
    for col in missing:
        errors.append(RowError(mapping.header_row, col.label, "", "column_missing",
                               f"Kolom wajib '{col.label}' tidak ada"))
    rows: list[tuple[int, dict[str, Any]]] = []
    for index in range(mapping.header_row, len(raw_rows)):
        cells = raw_rows[index]
        if all(is_blank(c) for c in cells) or _is_total_row(cells) or _is_numbering_row(cells):
            continue
        values = {key: cells[i] for i, key in mapping.columns.items() if i < len(cells)}
        if all(is_blank(v) for v in values.values()):
            continue
        rows.append((index + 1, values))
    return mapping, rows, errors


def run_person_import(path: str | Path, *, actor: Any, channel: str = "import",
                      dry_run: bool = False, keep_valid: bool = False,
                      overrides: dict[str, str] | None = None,
                      note: str | None = None) -> ImportResult:
    from sdmkesos.people.actions import do_import_persons

    path = Path(path)
    raw_rows = [list(r) for r in read_rows(path)]
    mapping, rows, errors = extract(raw_rows, persons.COLUMNS, overrides)
    result = ImportResult(rows=len(rows), mapping=mapping, dry_run=dry_run, raw_rows=raw_rows)
    if mapping is None or errors:
        result.errors = errors
        return result
    valid, row_errors = persons.validate_rows(rows, actor)
    result.errors = row_errors
    if dry_run or (row_errors and not keep_valid) or not valid:
        return result
    with transaction.atomic():
        outcome = do_import_persons(actor=actor, channel=channel, rows=valid,
                                    note=note or f"file {path.name}")
        result.errors += [RowError(*r) for r in outcome.rejected]
        if outcome.rejected and not keep_valid:
            transaction.set_rollback(True)
            return result
    result.created, result.updated, result.unchanged = (
        outcome.created, outcome.updated, outcome.unchanged)
    result.statuses = outcome.statuses
    result.committed = True
    result.errors.sort(key=lambda e: e.row)
    return result
