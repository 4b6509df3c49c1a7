"""PostgreSQL-only indexes for registry search: trigram on names (icontains), pattern ops on NIK/NIP
(prefix search). SQLite keeps the B-tree indexes of 0001. Needs the pg_trgm extension (a trusted
extension since PostgreSQL 13: the database owner may create it)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_name_trgm ON people_person "
    "USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_nik_prefix ON people_person (nik varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS person_nip_prefix ON people_person (nip varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_name_trgm",
    "DROP INDEX IF EXISTS person_nik_prefix",
    "DROP INDEX IF EXISTS person_nip_prefix",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
