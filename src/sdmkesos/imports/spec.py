"""Declaring an import: its columns (with the header variants offices use) and how rows are
validated and written. New record types declare columns; they do not copy the engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sdmkesos.core.errors import DomainError, ValidationFailed

from .parsing import is_blank, normalise_label, text

HEADER_SCAN_ROWS = 30


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header (Indonesian)
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""

    def labels(self) -> set[str]:
        return {normalise_label(a) for a in (self.label, self.key, *self.aliases)}


@dataclass
class WriteOutcome:
    """What a kind's writer did with a chunk of valid rows (``ImportKind.write``)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    # (row, column, value, code, message)
    statuses: dict[int, str] = field(default_factory=dict)

    def refuse(self, row_no: int, column: str, error: DomainError) -> None:
        """Reject row ``row_no`` for ``error`` (each error of a ValidationFailed)."""
        errors = error.errors if isinstance(error, ValidationFailed) else [error]
        for e in errors:
            self.rejected.append((row_no, column, "", e.code, e.message))


@dataclass
class RowError:
    row: int
    column: str
    value: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "code": self.code,
                "message": self.message}


@dataclass
class Mapping:
    header_row: int  # 1-based sheet row of the header
    columns: dict[int, str]  # cell index -> column key
    headers: dict[int, str] = field(default_factory=dict)  # cell index -> header text as found

    def describe(self) -> list[tuple[str, str]]:
        return [(self.headers.get(i, str(i)), key) for i, key in sorted(self.columns.items())]


@dataclass(frozen=True)
class RecordSpec:
    name: str
    columns: tuple[Column, ...]
    # validate(rows, context) -> (valid items with their row numbers, errors)
    validate: Callable[..., Any]
    write: Callable[..., Any]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def detect_mapping(rows: Sequence[Sequence[Any]], columns: Iterable[Column],
                   overrides: dict[str, str] | None = None) -> Mapping | None:
    """Find the header row among the first rows (title rows may stand above it) and map its
    cells to columns. ``overrides`` maps header text (as written) to a column key, or to "" to
    ignore that header."""
    columns = list(columns)
    lookup: dict[str, str] = {}
    for col in columns:
        for label in col.labels():
            lookup.setdefault(label, col.key)
    folded_overrides = {normalise_label(k): v for k, v in (overrides or {}).items()}
    best: Mapping | None = None
    best_score = 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapped: dict[int, str] = {}
        headers: dict[int, str] = {}
        for i, cell in enumerate(row):
            if is_blank(cell):
                continue
            label = normalise_label(cell)
            key = folded_overrides.get(label, lookup.get(label))
            if key and key not in mapped.values():
                mapped[i] = key
                headers[i] = text(cell)
        if len(mapped) > best_score:
            best, best_score = Mapping(index + 1, mapped, headers), len(mapped)
    if best is None or best_score < 2:
        return None
    return best
