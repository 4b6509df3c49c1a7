"""Reading office spreadsheets into raw rows: .xlsx, .xls, .ods (calamine) and .csv
(comma or semicolon, UTF-8 or Windows-1252). Cells keep their native types (str, float, date)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


class UnreadableFile(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode_text(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_score = ",", -1
    for delim in (";", ",", "\t", "|"):
        counts = [line.count(delim) for line in lines]
        score = max(counts, default=0)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_rows(path: str | Path) -> Iterator[list[Any]]:
    """Yield every row of the first sheet (or the CSV) as a list of cells."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as err:  # calamine raises several error types
            raise UnreadableFile(f"Berkas {path.name} tidak dapat dibaca: {err}") from err
        yield from rows
        return
    if suffix in {".csv", ".txt"}:
        text = decode_text(path.read_bytes())
        reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text[:20000]))
        yield from reader
        return
    raise UnreadableFile(
        f"Format {suffix or '(tanpa ekstensi)'} tidak didukung; gunakan .xlsx, .xls, .ods atau .csv"
    )


def estimate_rows(path: str | Path) -> int | None:
    """About how many rows the file has (for progress), cheaply; None when unknown."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".txt"}:
            with path.open("rb") as handle:
                return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20),
                                                                 b""))
        if suffix in EXCEL_SUFFIXES:
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            return int(sheet.height)
    except Exception:  # an estimate only; reading reports real problems
        return None
    return None
