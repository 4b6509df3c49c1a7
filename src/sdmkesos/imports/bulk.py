"""Fast inserts for imports: ``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3), ``executemany``
elsewhere, with primary keys allocated up front so that child rows (history, audit) can be written
in the same pass. Runs inside the caller's transaction: nothing is visible until it commits, and a
failure or a kill rolls everything back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [str(model._meta.get_field(name).column) for name in fields]  # type: ignore[union-attr]


def _adapters(model: type[models.Model], fields: Sequence[str]) -> dict[int, Any]:
    """Per-column conversions the ORM would apply (dates and times as the backend stores them)."""
    ops = connection.ops
    out: dict[int, Any] = {}
    for i, name in enumerate(fields):
        field = model._meta.get_field(name)
        if isinstance(field, models.DateTimeField):
            out[i] = ops.adapt_datetimefield_value
        elif isinstance(field, models.DateField):
            out[i] = ops.adapt_datefield_value
    return out


def _adapt(row: Sequence[Any], adapters: dict[int, Any]) -> list[Any]:
    values = list(row)
    for i, adapt in adapters.items():
        if values[i] is not None:
            values[i] = adapt(values[i])
    return values


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``. PostgreSQL draws them from the table's
    sequence (safe with concurrent writers); SQLite continues after the highest id ever used
    (the caller's transaction holds SQLite's write lock, so nobody else can take them)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [table, pk.column, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT MAX("{pk.column}") FROM "{table}"')
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
    return list(range(highest + 1, highest + 1 + count))


def insert_rows(model: type[models.Model], fields: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``, foreign keys as ids, JSON as text)
    into ``model``'s table. Returns the number of rows written."""
    table = model._meta.db_table
    columns = _columns(model, fields)
    quoted = ", ".join(f'"{c}"' for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        adapters = _adapters(model, fields)
        if adapters:
            rows = (_adapt(row, adapters) for row in rows)
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({placeholders})'
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
