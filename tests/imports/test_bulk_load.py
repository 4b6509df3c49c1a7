"""Bulk-load mode (PostgreSQL): a large first load detaches the people tables' secondary
indexes and foreign keys and rebuilds them in the same transaction; afterwards (or after a
rolled-back import) the schema is exactly as before and the data as the row path writes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from sdmkesos.core.identifiers import encode_nik
from sdmkesos.imports import bulk
from sdmkesos.imports.engine import run_person_import
from sdmkesos.people.models import EmploymentRecord, Person
from tests.imports.test_frames import write_csv

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="bulk-load mode exists on PostgreSQL only")

TABLES = ("people_person", "people_employmentrecord", "people_educationrecord",
          "core_auditevent")


def schema() -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                       "ORDER BY 1, 2", [list(TABLES)])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                       "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) "
                       "ORDER BY 1, 2", [list(TABLES)])
        constraints = cursor.fetchall()
        # per-column statistics targets of the indexes (the trigram index's: migration 0004)
        cursor.execute("SELECT i.indexrelid::regclass::text, a.attnum, a.attstattarget "
                       "FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indexrelid "
                       "WHERE i.indrelid::regclass::text = ANY(%s) AND a.attstattarget > 0 "
                       "ORDER BY 1, 2", [list(TABLES)])
        targets = cursor.fetchall()
        assert ("person_name_trgm", 1, 3000) in targets
        return indexes + constraints + targets


def rows(count: int, bad_last: bool = False) -> list[list[str]]:
    born = dt.date(1990, 8, 17)
    out = [[str(i), encode_nik("35", "07", "01", born, "P", i), f"Orang {i}", "", "P", "Malang",
            "17-08-1990", "", "S1", "Kesejahteraan Sosial", "Pendamping", "DINSOS-35.07", "",
            "TKSK", "Non-ASN"] for i in range(1, count + 1)]
    if bad_last:
        out[-1][6] = "31-02-1990"
    return out


@pytest.fixture
def small_bulk(monkeypatch):
    monkeypatch.setattr(bulk, "BULK_MIN_ROWS", 2)
    monkeypatch.setattr(bulk, "ENGAGE_MIN_INSERT", 2)
    engaged = []
    original = bulk.BulkLoad.engage

    def spy(self, model, count):
        original(self, model, count)
        engaged.append(list(self.detached))

    monkeypatch.setattr(bulk.BulkLoad, "engage", spy)
    return engaged


def not_valid() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname FROM pg_constraint "
                       "WHERE contype = 'f' AND NOT convalidated ORDER BY 1, 2")
        return cursor.fetchall()


@pytest.mark.parametrize("frames", [False, True])
def test_bulk_load_rebuilds_indexes_and_keys(tmp_path, users, small_bulk, frames,
                                             immediate_tasks,
                                             django_capture_on_commit_callbacks):
    before = schema()
    Person.objects.all().delete()
    # The foreign keys come back NOT VALID; the commit queues their validation (run here).
    with django_capture_on_commit_callbacks(execute=True):
        result = run_person_import(write_csv(tmp_path / "s.csv", rows(6)),
                                   actor=users["nasional"], frames=frames,
                                   check_duplicates=False)
    assert result.created == 6 and result.committed
    assert any("people_person" in tables for tables in small_bulk)
    assert not_valid() == [] and schema() == before
    assert EmploymentRecord.objects.filter(person__name="Orang 4").count() == 1


def test_keys_restored_not_valid_are_enforced_for_new_rows(tmp_path, users, small_bulk,
                                                          django_capture_on_commit_callbacks):
    from django.db import IntegrityError, transaction

    Person.objects.all().delete()
    with django_capture_on_commit_callbacks():  # (validation not run)
        run_person_import(write_csv(tmp_path / "s.csv", rows(6)), actor=users["nasional"],
                          frames=True, check_duplicates=False)
    assert not_valid()
    person = Person.objects.get(name="Orang 2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(organisation_id=987654321)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # `sdmkesos setup` (or the queued task) validates whatever is left.
    pending = not_valid()
    assert ("people_person", "people_person_region_code_cdacac9c_fk_core_region_code") \
        in pending and ("core_auditevent", "core_auditevent_actor_id_3bd0c673_fk_core_user_id") \
        in pending
    assert bulk.validate_foreign_keys() == pending and not_valid() == []


def test_validation_reports_a_row_that_breaks_a_key(tmp_path, users, small_bulk,
                                                    django_capture_on_commit_callbacks):
    """Should a loaded row not hold (it cannot come from an import), validation raises and
    the key stays NOT VALID."""
    from django.db import DatabaseError, transaction

    Person.objects.all().delete()
    with django_capture_on_commit_callbacks():
        run_person_import(write_csv(tmp_path / "s.csv", rows(6)), actor=users["nasional"],
                          frames=True, check_duplicates=False)
    key = ("people_person", "people_person_organisation_id_276b0765_fk_core_organisation_id")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE people_person DISABLE TRIGGER ALL")
        cursor.execute("UPDATE people_person SET organisation_id = 987654321 "
                       "WHERE name = 'Orang 3'")
        cursor.execute("ALTER TABLE people_person ENABLE TRIGGER ALL")
    with pytest.raises(DatabaseError), transaction.atomic():
        bulk.validate_foreign_keys([key])
    assert key in not_valid()


def test_failed_bulk_load_leaves_everything_as_it_was(tmp_path, users, small_bulk,
                                                      monkeypatch):
    monkeypatch.setattr("sdmkesos.imports.frames.FRAME_CHUNK_ROWS", 3)  # written, then a bad row
    before = schema()
    count = Person.objects.count()
    result = run_person_import(write_csv(tmp_path / "s.csv", rows(6, bad_last=True)),
                               actor=users["nasional"], frames=True, check_duplicates=False)
    assert not result.committed and result.rejected == 1
    assert any("people_person" in tables for tables in small_bulk)
    assert schema() == before and Person.objects.count() == count


def test_a_failed_copy_on_the_worker_thread_fails_the_import(tmp_path, users, small_bulk,
                                                             monkeypatch):
    """COPYs run on a worker thread (bulk.CopyPipe): the server's error reaches the caller,
    and the import changes nothing."""
    import psycopg

    monkeypatch.setattr("sdmkesos.imports.frames.FRAME_CHUNK_ROWS", 3)
    original = bulk._copy_csv

    def broken(raw, statement, frame):
        if "core_auditevent" in statement:
            statement = statement.replace('"note"', '"no_such_column"')
        original(raw, statement, frame)

    monkeypatch.setattr(bulk, "_copy_csv", broken)
    before = schema()
    count = Person.objects.count()
    with pytest.raises(psycopg.errors.UndefinedColumn):
        run_person_import(write_csv(tmp_path / "s.csv", rows(6)), actor=users["nasional"],
                          frames=True, check_duplicates=False)
    assert schema() == before and Person.objects.count() == count


def test_loading_into_an_empty_table_still_finds_repeats_across_chunks(
        tmp_path, users, small_bulk, monkeypatch, immediate_tasks,
        django_capture_on_commit_callbacks):
    """Into an empty table the NIK's unique constraint is rebuilt at the end and no lookups
    run: a NIK repeated in a later chunk is still a row error, and the rest goes in."""
    monkeypatch.setattr("sdmkesos.imports.frames.FRAME_CHUNK_ROWS", 3)
    Person.objects.all().delete()
    before = schema()
    sheet = rows(6)
    sheet[4][1] = sheet[0][1]  # row 5 (second chunk) repeats row 1's NIK (first chunk)
    with django_capture_on_commit_callbacks(execute=True):
        result = run_person_import(write_csv(tmp_path / "s.csv", sheet),
                                   actor=users["nasional"], frames=True,
                                   check_duplicates=False, keep_valid=True)
    assert result.committed and result.created == 5 and result.rejected == 1
    assert [e.code for e in result.errors] == ["nik_duplicate_in_file"]
    assert any("people_person" in tables for tables in small_bulk)
    assert schema() == before and Person.objects.count() == 5


def test_rows_written_by_the_orm_during_a_bulk_load_get_their_own_ids(
        tmp_path, users, small_bulk, monkeypatch, immediate_tasks,
        django_capture_on_commit_callbacks):
    """In bulk-load mode the importer counts ids itself; an existing person whose row changed
    goes the row way, whose ORM inserts (employment record, audit event) draw from the
    sequence: the block counted locally must lie beyond them."""
    monkeypatch.setattr("sdmkesos.imports.frames.FRAME_CHUNK_ROWS", 3)
    Person.objects.all().delete()
    sheet = rows(8)
    with django_capture_on_commit_callbacks(execute=True):
        first = run_person_import(write_csv(tmp_path / "a.csv", sheet[:2]),
                                  actor=users["nasional"], frames=True, check_duplicates=False)
    assert first.created == 2
    sheet[1][10] = "Koordinator"  # an existing person, changed: the row way, after new ones
    with django_capture_on_commit_callbacks(execute=True):
        result = run_person_import(write_csv(tmp_path / "b.csv", sheet[2:] + sheet[:2]),
                                   actor=users["nasional"], frames=True,
                                   check_duplicates=False)
    assert result.committed and (result.created, result.updated) == (6, 1)
    assert any("people_person" in tables for tables in small_bulk)
    assert Person.objects.count() == 8
    changed = Person.objects.get(name="Orang 2")
    assert changed.position == "Koordinator"
    assert EmploymentRecord.objects.filter(person=changed).count() == 2
