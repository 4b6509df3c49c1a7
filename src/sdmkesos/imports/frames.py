"""The vectorised path of the sheet engine, for large CSV files: the data rows are read into a
polars frame and checked column by column; the rows that pass every check in their plain form
are written in bulk, and every other row (an unusual spelling, an error, a blank or total row)
goes through the row-by-row validator, which is the reference. The two paths give the same
result for a row (tests/imports/test_frames.py checks this on generated rows), so the fast path
only changes how long an import takes.

What counts as plain is deliberately narrow: cells without control characters or unusual
spaces, identifiers written as bare digits, and code-list, region, unit, date and sex cells
whose distinct values the row validator itself resolves once each."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from .parsing import CellError, is_blank
from .readers import decode_text, sniff_delimiter

# Characters that Python's str.split() and the row validator treat specially (control
# characters, unusual spaces, zero-width marks): a cell holding one goes the row-by-row way.
_UNUSUAL = r"[\x00-\x1f\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]"
FRAME_CHUNK_ROWS = 200_000
FRAME_MIN_CHUNK = 10_000


def read_csv_frame(path: Path, header_row: int, width: int) -> pl.DataFrame:
    """The records of a CSV file after its header row (``header_row``: the header's 1-based
    record number) as a frame of
    ``width`` string columns ``c0``, ``c1``, ...; blank records kept as all-null rows so that
    row numbers match the sheet's."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    except UnicodeDecodeError:
        data = decode_text(raw).encode("utf-8")
    delimiter = sniff_delimiter(data[:20000].decode("utf-8", errors="replace"))
    return pl.read_csv(
        io.BytesIO(data), has_header=False, separator=delimiter, infer_schema=False,
        schema={f"c{i}": pl.String for i in range(width)}, skip_rows=header_row,
        truncate_ragged_lines=True, quote_char='"')


def plain_text(column: pl.Expr) -> pl.Expr:
    """``parsing.text`` for a plain cell (see :func:`is_plain`): spaces folded and trimmed."""
    return column.str.replace_all(" {2,}", " ").str.strip_chars(" ")


def is_plain(column: pl.Expr) -> pl.Expr:
    """A cell the vectorised checks may read: null, or without unusual characters and without
    the leading apostrophe that marks formula neutralisation."""
    return column.is_null() | (
        ~column.str.contains(_UNUSUAL) & ~column.str.strip_chars(" ").str.starts_with("'"))


def is_filled(column: pl.Expr) -> pl.Expr:
    """Not blank (for a plain cell: something besides spaces)."""
    return column.is_not_null() & (column.str.strip_chars(" ") != "")


def resolve_distinct(frame: pl.DataFrame, column: str, resolve: Callable[[str], Any],
                     dtype: Any) -> tuple[pl.Series, pl.Series]:
    """Resolve each distinct non-blank value of ``column`` once with the row validator's own
    ``resolve`` (which raises CellError); returns (resolved value or null, ok) per row. Blank
    cells give (null, True)."""
    values = frame.get_column(column)
    distinct = values.drop_nulls().unique().to_list()
    keys: list[str] = []
    resolved: list[Any] = []
    for value in distinct:
        if is_blank(value):
            continue
        try:
            out = resolve(value)
        except CellError:
            continue
        keys.append(value)
        resolved.append(out)
    table = pl.DataFrame({column: pl.Series(keys, dtype=pl.String),
                          "_value": pl.Series(resolved, dtype=dtype)})
    joined = frame.select(pl.col(column)).join(table, on=column, how="left",
                                                maintain_order="left")
    blank = ~frame.select(is_filled(pl.col(column))).to_series()
    value_series = joined.get_column("_value")
    ok = blank | value_series.is_not_null()
    return value_series, ok


def chunks(frame: pl.DataFrame, size: int | None = None) -> Iterator[tuple[int, pl.DataFrame]]:
    """(offset, chunk) over ``frame``: at most FRAME_CHUNK_ROWS rows a chunk (memory), and
    at least about eight chunks for files of more than FRAME_MIN_CHUNK rows, so that the
    database loads one chunk while the next is read and checked (bulk.CopyPipe)."""
    size = size or min(FRAME_CHUNK_ROWS, max(FRAME_MIN_CHUNK, -(-frame.height // 8)))
    for offset in range(0, frame.height, size):
        yield offset, frame.slice(offset, size)

