"""Fast inserts for imports: ``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3), ``executemany``
elsewhere, with primary keys allocated up front so that child rows (history, audit) can be written
in the same pass. Runs inside the caller's transaction: nothing is visible until it commits, and a
failure or a kill rolls everything back."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, models, transaction

logger = logging.getLogger(__name__)


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
    sequence (safe with concurrent writers; a table in bulk-load mode, locked by this
    transaction, takes one block); SQLite continues after the highest id ever used (the
    caller's transaction holds SQLite's write lock, so nobody else can take them)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    loader = _ACTIVE.get()
    if loader is not None:
        loader.engage(model, count)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            first = _block(cursor, model, count)
            if first is not None:
                return list(range(first, first + count))
            # An insert's own lock: waits while another import holds the table in bulk-load
            # mode (its block of ids is drawn under that lock).
            cursor.execute(f'LOCK TABLE "{table}" IN ROW EXCLUSIVE MODE')
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


def _block(cursor: Any, model: type[models.Model], count: int) -> int | None:
    """The first of ``count`` consecutive ids for ``model`` when its table is in bulk-load mode
    (PostgreSQL): this transaction holds it ACCESS EXCLUSIVE, so nobody else draws from its
    sequence meanwhile (inserts wait for the lock, and :func:`allocate_ids` locks first). Ids
    come from a block reserved for the rest of the import (``nextval`` then ``setval`` past
    it: a statement per chunk would wait for the ``COPY`` running on the worker thread), so
    rows that the import writes through the ORM meanwhile (an existing person's new
    employment record, an audit event) draw ids beyond it; a new block is reserved when it
    runs out. None when the table is not in bulk-load mode."""
    loader = _ACTIVE.get()
    table = model._meta.db_table
    if loader is None or table not in loader.detached or count <= 0:
        return None
    following, end = loader.blocks.get(table, (0, 0))
    if following + count > end:
        pk = model._meta.pk
        assert pk is not None
        size = max(count, loader.rows + 1)
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, pk.column])
        following = int(cursor.fetchone()[0])
        end = following + size
        if size > 1:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                           [table, pk.column, end - 1])
    loader.blocks[table] = (following + count, end)
    return following


def insert_rows(model: type[models.Model], fields: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``, foreign keys as ids, JSON as text)
    into ``model``'s table. Returns the number of rows written."""
    table = model._meta.db_table
    columns = _columns(model, fields)
    quoted = ", ".join(f'"{c}"' for c in columns)
    written = 0
    loader = _ACTIVE.get()
    if loader is not None and isinstance(rows, Sized):
        loader.engage(model, len(rows))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pk = model._meta.pk
            if pk is not None and pk.name not in fields and isinstance(rows, Sized):
                first = _block(cursor, model, len(rows))
                if first is not None:
                    quoted = f'"{pk.column}", {quoted}'
                    rows = [(first + i, *row) for i, row in enumerate(rows)]
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


# Bulk-load mode (PostgreSQL): a large first load is cheaper with the tables' secondary indexes
# and foreign keys built once at the end than maintained row by row (a trigram GIN index and
# deferred foreign-key checks cost more than the rows themselves). Engaged per table only when
# the load adds at least BULK_MIN_ROWS rows and at least half as many rows as the table holds,
# so everyday imports into a large registry keep the indexes. Everything happens inside the
# caller's transaction: a failure (including a duplicate found when a unique index is rebuilt,
# or a foreign key that no longer holds) rolls the whole import back. While it runs the tables
# are locked (ACCESS EXCLUSIVE), so other users wait for the import to finish.
BULK_MIN_ROWS = 50_000
ENGAGE_MIN_INSERT = 1_000  # new rows in one write that engage bulk mode
ANALYZE_MIN_ROWS = 100_000  # the main table is analysed after a bulk load from this size


def _table_rows(cursor: Any, table: str) -> int:
    cursor.execute("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
                   [table])
    estimate = int(cursor.fetchone()[0])
    if estimate < BULK_MIN_ROWS * 4:  # small or never analysed: count exactly
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        estimate = int(cursor.fetchone()[0])
    return estimate


def _detach(cursor: Any, table: str, unique: bool) -> tuple[list[str], list[str]]:
    """Drop ``table``'s foreign keys and its indexes that back no constraint, and with
    ``unique`` its unique constraints that no foreign key references; return the statements
    that recreate them and the names of the foreign keys. The foreign keys come back
    ``NOT VALID`` (see :func:`validate_foreign_keys`)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
    foreign = cursor.fetchall()
    uniques = []
    if unique:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint u "
            "WHERE conrelid = %s::regclass AND contype = 'u' AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = u.conindid)",
            [table])
        uniques = cursor.fetchall()
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)", [table])
    indexes = cursor.fetchall()
    restore = []
    for name, definition in foreign:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition} NOT VALID')
    for name, definition in indexes:
        # Per-column statistics targets set on the index (the trigram index's) go with it.
        cursor.execute("SELECT attnum, attstattarget FROM pg_attribute WHERE attrelid = "
                       "%s::regclass AND attstattarget > 0 ORDER BY attnum", [name])
        targets = [f'ALTER INDEX "{name}" ALTER COLUMN {n} SET STATISTICS {t}'
                   for n, t in cursor.fetchall()]
        cursor.execute(f'DROP INDEX "{name}"')
        restore[:0] = [definition, *targets]  # indexes first: the foreign-key checks use them
    for name, definition in uniques:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        restore.insert(0, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    return restore, [name for name, _ in foreign]


class BulkLoad:
    """The bulk-load decision for one import: engaged by the first large insert into one of
    ``tables`` (so a re-import that creates nobody never rebuilds anything)."""

    def __init__(self, tables: Iterable[type[models.Model]], rows: int) -> None:
        self.tables = [m._meta.db_table for m in tables]
        self.rows = rows
        self.decided = connection.vendor != "postgresql" or rows < BULK_MIN_ROWS
        self.detached: list[str] = []
        self.empty: set[str] = set()  # detached tables that were empty when engaged
        self.restore: list[str] = []
        self.unvalidated: list[tuple[str, str]] = []  # foreign keys restored NOT VALID
        self.blocks: dict[str, tuple[int, int]] = {}  # table -> (next id, end of block)
        self.pipe: CopyPipe | None = None
        if connection.vendor == "postgresql" and self.tables:
            connection.ensure_connection()
            self.pipe = CopyPipe(connection.connection)

    def engage(self, model: type[models.Model], count: int) -> None:
        if self.decided or count < ENGAGE_MIN_INSERT or model._meta.db_table not in self.tables:
            return
        self.decided = True
        with connection.cursor() as cursor:
            # Run the deferred checks of earlier writes now: a table with pending trigger
            # events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in self.tables:
                if self.rows * 2 >= _table_rows(cursor, table):
                    cursor.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
                    cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
                    empty = not cursor.fetchone()[0]
                    # An empty table's unique constraints go too: nothing is there to clash
                    # with, and the import finds repeats within the file itself.
                    restore, foreign = _detach(cursor, table, unique=empty)
                    self.restore += restore
                    self.unvalidated += [(table, name) for name in foreign]
                    self.detached.append(table)
                    if empty:
                        self.empty.add(table)

    def finish(self) -> None:
        if not self.restore or connection.needs_rollback:
            return  # (a rollback undoes the detaching too)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for statement in self.restore:
                cursor.execute(statement)
            # Fresh statistics for the first (main) table once it is large enough for plans
            # to depend on them (name search, dashboards; the trigram index's fine statistics
            # make ANALYZE sample up to 900,000 rows). The others
            # (history, audit) are read by person or object id, which their indexes serve
            # whatever the statistics. Building the indexes has set every table's row count,
            # and autovacuum (where enabled) analyses the rest after the commit.
            main = self.tables[0] if self.tables else None
            if main in self.detached and _table_rows(cursor, main) >= ANALYZE_MIN_ROWS:
                cursor.execute(f'ANALYZE "{main}"')
        if self.unvalidated:
            pending = [list(pair) for pair in self.unvalidated]
            transaction.on_commit(lambda: _queue_validation(pending))


def _queue_validation(constraints: list[list[str]]) -> None:
    from .tasks import validate_foreign_keys_task

    try:
        validate_foreign_keys_task.enqueue(constraints)
    except Exception:  # the import has committed; `sdmkesos setup` validates what is left
        logger.exception("could not queue the validation of %s", constraints)


def validate_foreign_keys(constraints: Iterable[Sequence[str]] | None = None,
                          ) -> list[tuple[str, str]]:
    """Validate the foreign keys that a bulk load restored ``NOT VALID`` (``constraints`` as
    (table, name) pairs; every such key of the current schema when None) and return them.

    Checking a million rows against their referenced tables takes seconds a key; inside the
    import it would keep every table locked that long. Restored ``NOT VALID``, a key is
    enforced at once for every new or changed row; ``VALIDATE CONSTRAINT`` then checks the
    loaded rows after the commit without blocking readers or writers (it takes SHARE UPDATE
    EXCLUSIVE). The import itself only wrote ids it had just looked up in those tables, and
    they stay locked from the moment the keys are detached until the commit. A violation
    raises, and the key stays ``NOT VALID`` (still enforced for new rows) for an operator to
    look at."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE c.contype = 'f' AND NOT c.convalidated AND n.nspname = current_schema()")
        pending = {(table, name) for table, name in cursor.fetchall()}
        wanted = sorted(pending if constraints is None else
                        {(str(t), str(n)) for t, n in constraints} & pending)
        for table, name in wanted:
            cursor.execute(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"')
    return wanted


_ACTIVE: ContextVar[BulkLoad | None] = ContextVar("sdmkesos_bulk_load", default=None)


def loading_into_empty(model: type[models.Model]) -> bool:
    """Whether ``model``'s table was empty when this import's bulk-load mode locked it: every
    row in it now comes from this import (nobody else can write meanwhile), so a lookup of
    rows that existed before the import finds nothing."""
    loader = _ACTIVE.get()
    return loader is not None and model._meta.db_table in loader.empty


@contextmanager
def bulk_load(tables: Iterable[type[models.Model]], rows: int) -> Iterator[BulkLoad]:
    """Within the caller's transaction, a bulk-load context for an import of about ``rows``
    rows: :func:`insert_rows` into one of ``tables`` engages it (see above); the indexes and
    foreign keys are rebuilt on the way out."""
    loader = BulkLoad(tables, rows)
    token = _ACTIVE.set(loader)
    try:
        yield loader
    except BaseException as error:
        if loader.pipe is not None:
            try:
                loader.pipe.close(cancel=True)
            except Exception as cause:
                if _aborted(error):  # the caller failed because a COPY had failed first
                    raise cause from error
        raise
    finally:
        _ACTIVE.reset(token)
    if loader.pipe is not None:
        loader.pipe.close()
    loader.finish()


def _copy_csv(raw: Any, statement: str, frame: Any) -> None:
    """``frame`` as CSV through ``COPY`` on the psycopg connection ``raw``."""
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for offset in range(0, frame.height, 100_000):
            copy.write(frame.slice(offset, 100_000).write_csv(include_header=False,
                                                              null_value=""))


class CopyPipe:
    """The ``COPY`` of frames on a worker thread, so that the server loads one chunk while
    Python reads and checks the next (the two cores both work). The worker uses the same
    psycopg connection, hence the same transaction; psycopg's connection lock keeps the
    worker's ``COPY`` and the caller's statements apart. ``COPY``s run in the order given;
    the caller's other statements may run before a queued ``COPY``, which is safe for
    imports: their lookups concern rows that existed before the import (repeats within the
    file are found from the file itself). At most ``depth`` ``COPY``s wait; :meth:`drain`
    waits for all and raises the first failure."""

    def __init__(self, raw: Any, depth: int = 4) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.raw = raw
        self.depth = depth
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sdmkesos-copy")
        self.pending: list[Any] = []

    def submit(self, statement: str, frame: Any) -> None:
        while len(self.pending) >= self.depth:
            self.pending.pop(0).result()
        self.pending.append(self.pool.submit(_copy_csv, self.raw, statement, frame))

    def drain(self) -> None:
        try:
            while self.pending:
                self.pending.pop(0).result()
        finally:
            for future in self.pending:  # after a failure: let the rest run out
                future.exception()
            self.pending = []

    def close(self, cancel: bool = False) -> None:
        """Wait for the ``COPY``s (with ``cancel``, only the one running: the import failed)
        and stop the thread; raises the first failure."""
        if cancel:
            self.pending = [f for f in self.pending if not f.cancel()]
        try:
            self.drain()
        finally:
            self.pool.shutdown(wait=True)


def _aborted(error: BaseException) -> bool:
    """Whether ``error`` (or the database error under Django's) says that the transaction
    had already failed."""
    import psycopg

    return any(isinstance(e, psycopg.errors.InFailedSqlTransaction)
               for e in (error, error.__cause__))


def insert_frame(model: type[models.Model], frame: Any) -> int:
    """Insert a polars frame whose columns are ``model`` field names (foreign keys as ids,
    dates as dates, date-times as ISO text, JSON as text): CSV ``COPY`` on PostgreSQL,
    ``executemany`` elsewhere."""
    import polars as pl

    if frame.height == 0:
        return 0
    loader = _ACTIVE.get()
    if loader is not None:
        loader.engage(model, frame.height)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        pk = model._meta.pk
        if connection.vendor == "postgresql" and pk is not None and pk.name not in frame.columns:
            first = _block(cursor, model, frame.height)
            if first is not None:
                frame = frame.select(pl.int_range(first, first + frame.height, dtype=pl.Int64)
                                     .alias(pk.name), pl.all())
        fields = list(frame.columns)
        quoted = ", ".join(f'"{c}"' for c in _columns(model, fields))
        if connection.vendor == "postgresql":
            statement = f'COPY "{table}" ({quoted}) FROM STDIN WITH (FORMAT csv)'
            if loader is not None and loader.pipe is not None:
                loader.pipe.submit(statement, frame)
            else:
                _copy_csv(cursor.cursor.connection, statement, frame)
            return frame.height
        ops = connection.ops
        converted = []
        for name in fields:
            field = model._meta.get_field(name)
            column = pl.col(name)
            if isinstance(field, models.DateTimeField):
                stamps = frame.get_column(name).unique().to_list()  # one stamp per import
                column = column.replace_strict(
                    {v: ops.adapt_datetimefield_value(dt.datetime.fromisoformat(v))
                     for v in stamps}, return_dtype=pl.String)
            elif isinstance(field, models.DateField):
                column = column.cast(pl.String)
            converted.append(column)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({placeholders})'
        data = frame.select(converted)
        for offset in range(0, data.height, 5000):
            cursor.executemany(sql, data.slice(offset, 5000).rows())
    return frame.height
