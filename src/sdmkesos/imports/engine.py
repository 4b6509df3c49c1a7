"""The sheet engine: read → find the header and map it → validate rows → write (one transaction).

Modes: dry run (validate only), all-or-nothing (default: any rejected row imports nothing) and
keep-valid (import the valid rows, report the rest). The whole write is one transaction, so an
import killed half-way leaves the database as it was."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import get_language

from .bulk import bulk_load
from .parsing import is_blank, normalise_label, text
from .readers import estimate_rows, read_rows
from .spec import HEADER_SCAN_ROWS, Column, Mapping, RowError, detect_mapping

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
    path: Path | None = None
    statuses: dict[int, str] = field(default_factory=dict)
    warnings: list[RowError] = field(default_factory=list)
    duplicate_check: str = "off"  # "done", "skipped" (file too large) or "off"

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected,
                "errors": [e.as_dict() for e in self.errors],
                "likely_duplicates": [w.as_dict() for w in self.warnings],
                "duplicate_check": self.duplicate_check}

    def summary_json(self) -> str:
        return json.dumps(self.summary(), ensure_ascii=False)


def _is_total_row(cells: list[Any]) -> bool:
    first = next((c for c in cells if not is_blank(c)), None)
    if type(first) is not str or first.lstrip()[:1].lower() not in ("j", "t", "s", "g"):
        return False
    return normalise_label(first) in TOTAL_WORDS


def _is_numbering_row(cells: list[Any]) -> bool:
    """The '1 2 3 4 ...' row offices put under the header."""
    first = next((c for c in cells if not is_blank(c)), None)
    if first not in (1, "1", 1.0):
        return False
    values = [text(c) for c in cells if not is_blank(c)]
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]


def extract(raw_rows: list[list[Any]], columns: tuple[Column, ...],
            overrides: dict[str, str] | None = None,
            ) -> tuple[Mapping | None, list[tuple[int, dict[str, Any]]], list[RowError]]:
    """A whole sheet already in memory → (mapping, data rows, header errors); for callers that
    read small sheets themselves (attendance lists, linkage of a sheet)."""
    mapping = detect_mapping(raw_rows, columns, overrides)
    errors = _header_errors(mapping, columns)
    if mapping is None:
        return None, [], errors
    return mapping, list(iter_data_rows(iter(raw_rows), mapping)), errors


def iter_data_rows(rows: Iterator[list[Any]], mapping: Mapping, first_index: int = 0,
                   ) -> Iterator[tuple[int, dict[str, Any]]]:
    """The data rows under the header as (sheet row number, {column key: cell}); blank, total
    and numbering rows skipped. ``rows`` starts at sheet row ``first_index + 1``."""
    items = list(mapping.columns.items())
    for index, cells in enumerate(rows, start=first_index):
        if index < mapping.header_row:
            continue
        row = data_row(index + 1, cells, items)
        if row is not None:
            yield row


def data_row(row_no: int, cells: list[Any], items: list[tuple[int, str]],
             ) -> tuple[int, dict[str, Any]] | None:
    """One sheet row under the header as (row number, {column key: cell}), or None for a
    blank, total or numbering row. ``items`` is ``list(mapping.columns.items())``."""
    if all(is_blank(c) for c in cells) or _is_total_row(cells) or _is_numbering_row(cells):
        return None
    width = len(cells)
    values = {key: cells[i] for i, key in items if i < width}
    if all(is_blank(v) for v in values.values()):
        return None
    return row_no, values


def _header_errors(mapping: Mapping | None, columns: tuple[Column, ...]) -> list[RowError]:
    if mapping is None:
        lang = (get_language() or "id")[:2]
        message = ("Baris judul kolom tidak ditemukan (misalnya NIK, Nama). Gunakan templat atau "
                   "petakan kolom dengan --map." if lang != "en" else
                   "No header row found (e.g. NIK, Nama). Use the template or map the columns "
                   "with --map.")
        return [RowError(0, "", "", "header_not_found", message)]
    return [RowError(mapping.header_row, c.label, "", "column_missing",
                     f"Kolom wajib '{c.label}' tidak ada")
            for c in columns if c.required and c.key not in mapping.columns.values()]


Progress = Callable[[int, int | None], None]
CHUNK_ROWS = 20_000
# New rows are checked for likely duplicates (probabilistic matching) up to this file size;
# beyond it the check is skipped and the summary says so (run `sdmkesos dedup` afterwards).
DUPLICATE_CHECK_ROWS = 20_000
# CSV files longer than this go the vectorised way (frames.py) when their kind has one.
FRAME_MIN_ROWS = DUPLICATE_CHECK_ROWS


def _frame_batches(spec: Any, path: Path, head: list[list[Any]], mapping: Mapping,
                   actor: Any, state: Any) -> Iterator[tuple[Any, list[Any], int, Any]]:
    """(plain valid rows as a frame, the other data rows as the row path takes them, the last
    sheet row) per chunk of a CSV file read with polars."""
    from .frames import chunks, read_csv_frame

    width = max((len(r) for r in head), default=0)
    frame = read_csv_frame(path, mapping.header_row, width)
    items = list(mapping.columns.items())
    for offset, part in chunks(frame):
        first_row = mapping.header_row + offset + 1
        fast, slow = spec.frames.classify(part, mapping, first_row, state, actor)
        yield fast, _rows_at(part, slow, first_row, items), first_row + part.height - 1, part


def _rows_at(part: Any, positions: list[int], first_row: int, items: list[tuple[int, str]],
             ) -> list[tuple[int, dict[str, Any]]]:
    """The data rows at ``positions`` of a frame chunk, as the row path takes them."""
    rows = []
    for pos in positions:
        cells = ["" if c is None else c for c in part.row(pos)]
        row = data_row(first_row + pos, cells, items)
        if row is not None:
            rows.append(row)
    return rows


def run_import(kind: str | Any, path: str | Path, *, actor: Any, channel: str = "import",
               dry_run: bool = False, keep_valid: bool = False,
               overrides: dict[str, str] | None = None, note: str | None = None,
               progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
               check_duplicates: bool = True, frames: bool | None = None) -> ImportResult:
    """Import a sheet of ``kind`` (a name in ``imports.kinds.KINDS`` or an ImportKind).

    The file streams through in chunks of ``chunk_rows`` rows: validate a chunk, write it, go
    on; all inside one transaction, rolled back at the end when anything was rejected in
    all-or-nothing mode (the rest is still validated, so the report lists every problem), or
    when ``dry_run``. ``progress(done, total)`` is called per chunk (``total`` is an estimate,
    or None). ``frames`` chooses the vectorised path for CSV (frames.py; by default for files
    of more than FRAME_MIN_ROWS rows whose kind has one)."""
    from .kinds import get_kind

    spec = get_kind(kind) if isinstance(kind, str) else kind
    path = Path(path)
    total = estimate_rows(path)
    stream = read_rows(path)
    head = [list(r) for r in itertools.islice(stream, HEADER_SCAN_ROWS)]
    mapping = detect_mapping(head, spec.columns, overrides)
    result = ImportResult(mapping=mapping, dry_run=dry_run, path=path)
    header_errors = _header_errors(mapping, spec.columns)
    if mapping is None or header_errors:
        result.errors = header_errors
        return result
    state = spec.start(actor)
    if spec.check is not None and check_duplicates:
        small = total is not None and total <= DUPLICATE_CHECK_ROWS + HEADER_SCAN_ROWS
        result.duplicate_check = "done" if small else "skipped"
    note = note or f"file {path.name}"
    counts = [0, 0, 0]
    writing = not dry_run

    def add(outcome: Any) -> bool:
        """Count a write's outcome; False when it rejected rows in all-or-nothing mode."""
        result.errors.extend(RowError(*r) for r in outcome.rejected)
        counts[0] += outcome.created
        counts[1] += outcome.updated
        counts[2] += outcome.unchanged
        result.statuses.update(outcome.statuses)
        return not (outcome.rejected and not keep_valid)

    if frames is None:
        frames = (spec.frames is not None and path.suffix.lower() in {".csv", ".txt"}
                  and result.duplicate_check != "done"
                  and (total or 0) > FRAME_MIN_ROWS)
    if frames:
        assert spec.frames is not None
        if hasattr(stream, "close"):
            stream.close()  # the row reader holds the decoded file: free it
        batches: Iterator[Any] = _frame_batches(spec, path, head, mapping, actor, state)
    else:
        data_rows = iter_data_rows(itertools.chain(head, stream), mapping)
        batches = ((None, chunk) for chunk in iter(
            lambda: list(itertools.islice(data_rows, chunk_rows)), []))
    bulk_tables = spec.bulk_tables() if writing and spec.bulk_tables is not None else []
    with transaction.atomic(), bulk_load(bulk_tables, total or 0):
        for fast, chunk, *last in batches:
            result.rows += len(chunk) + (fast.height if fast is not None else 0)
            valid, row_errors = spec.validate(chunk, actor, state)
            result.errors += row_errors
            if result.duplicate_check == "done" and valid and spec.check is not None:
                result.warnings += spec.check(valid, actor)
            if row_errors and not keep_valid:
                writing = False
            if writing and fast is not None and fast.height:
                assert spec.frames is not None
                outcome, others = spec.frames.write(actor=actor, channel=channel, frame=fast,
                                                    note=note)
                writing = add(outcome)
                if others:  # existing people and other cases the row path handles
                    spec.frames.forget(fast, others, state)
                    first_row = last[0] - last[1].height + 1
                    again, again_errors = spec.validate(
                        _rows_at(last[1], [r - first_row for r in others], first_row,
                                 list(mapping.columns.items())), actor, state)
                    valid += again
                    result.errors += again_errors
            if writing and valid:
                writing = add(spec.write(actor=actor, channel=channel, rows=valid, note=note))
            if progress is not None:
                progress(last[0] if last else chunk[-1][0], total)
        if not writing:
            transaction.set_rollback(True)
    if writing:
        result.created, result.updated, result.unchanged = counts
        result.committed = True
    else:
        result.statuses = {}
    result.errors.sort(key=lambda e: e.row)
    return result


def run_person_import(path: str | Path, **kwargs: Any) -> ImportResult:
    return run_import("persons", path, **kwargs)
