"""Reading a sheet's people for linkage without importing them (``sdmkesos dedup --file``).

Uses the import engine read-only: the reader (xlsx/xls/ods/csv), the header detection with the
person columns' variants, and the cell parsers. A cell that does not parse is left out of the
comparison (it does not reject the row: linkage tolerates missing values). The id of each
record is its ``record_id`` column (header variants: "record_id", "ID", "No. Record"), or the
sheet row number when the sheet has none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sdmkesos.imports import persons
from sdmkesos.imports.engine import extract
from sdmkesos.imports.parsing import (
    CellError,
    is_blank,
    parse_date,
    parse_identifier,
    parse_sex,
    split_place_date,
    text,
)
from sdmkesos.imports.readers import read_rows
from sdmkesos.imports.spec import Column

from .normalise import LinkRecord

RECORD_ID = Column("record_id", "record_id", ("ID", "Record ID", "No. Record", "Id Record",
                                             "ID Data"))


class SheetProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _try(parser: Any, value: Any, *args: Any) -> Any:
    if is_blank(value):
        return None
    try:
        return parser(value, *args)
    except CellError:
        return None


def read_sheet(path: str | Path) -> list[LinkRecord]:
    """The sheet's rows as linkage records (ids: ``record_id`` column or row numbers)."""
    raw = [list(r) for r in read_rows(path)]
    mapping, rows, errors = extract(raw, (*persons.COLUMNS, RECORD_ID))
    if mapping is None:
        raise SheetProblem(errors[0].message if errors else "header not found")
    if "name" not in mapping.columns.values():
        raise SheetProblem("Kolom 'Nama' tidak ditemukan di baris judul.")
    out: list[LinkRecord] = []
    seen: set[str] = set()
    for row_no, values in rows:
        record_id = text(values.get("record_id")) or str(row_no)
        if record_id in seen:
            raise SheetProblem(f"record_id '{record_id}' muncul lebih dari sekali "
                               f"(baris {row_no}).")
        seen.add(record_id)
        place = text(values.get("birth_place")) or None
        birth = _try(parse_date, values.get("birth_date"))
        if values.get("place_date") is not None and (place is None or birth is None):
            both = _try(split_place_date, values.get("place_date"))
            if both is not None:
                place = place or both[0]
                birth = birth or both[1]
        region = text(values.get("region")) or text(values.get("organisation")) or None
        out.append(LinkRecord(
            record_id=record_id,
            name=text(values.get("name")),
            birth_date=birth,
            birth_place=place,
            sex=_try(parse_sex, values.get("sex")),
            nik=_try(parse_identifier, values.get("nik"), 16, "NIK"),
            region=region,
        ))
    return out
