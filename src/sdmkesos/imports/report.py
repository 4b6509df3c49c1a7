"""The annotated copy of an imported sheet: every row as sent, with an error column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .engine import ImportResult
from .exporting import neutralise
from .readers import read_rows

RED = PatternFill("solid", fgColor="FFF2CC")


def write_report(result: ImportResult, path: str | Path) -> Path:
    path = Path(path)
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = "Laporan impor"
    by_row: dict[int, list[str]] = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(f"{e.column}: {e.message}" if e.column else e.message)
    header_row = result.mapping.header_row if result.mapping else 0
    raw_rows = [list(r) for r in read_rows(result.path)] if result.path else []
    width = max((len(r) for r in raw_rows), default=0)
    for index, cells in enumerate(raw_rows, start=1):
        values: list[Any] = [neutralise(c) for c in cells] + [None] * (width - len(cells))
        if index == header_row:
            values += ["Keterangan kesalahan", "Status"]
        else:
            problems = by_row.get(index)
            values += ["; ".join(problems) if problems else None,
                       result.statuses.get(index) or ("ditolak" if problems else None)]
        ws.append(values)
        if index == header_row:
            for cell in ws[index]:
                cell.font = Font(bold=True)
        elif index in by_row:
            for cell in ws[index]:
                cell.fill = RED
    flagged: dict[int, list[str]] = {}
    for w in result.warnings:
        flagged.setdefault(w.row, []).append(w.message)
    if flagged:
        notes_col = width + 3
        ws.cell(row=header_row or 1, column=notes_col, value="Kemungkinan duplikat").font = Font(
            bold=True)
        for row, notes in flagged.items():
            ws.cell(row=row, column=notes_col, value="; ".join(notes))
    general = [m for r, m in by_row.items() if r == 0]
    if general:
        ws.append([])
        for messages in general:
            ws.append(["; ".join(messages)])
    ws.column_dimensions["A"].width = 18
    wb.save(path)
    return path
