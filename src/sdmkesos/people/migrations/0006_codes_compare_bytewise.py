"""NIK, NIP and the region-code prefixes compare byte by byte ("C" collation on PostgreSQL,
``core.fields.CodeField``): their indexes build in about half the time after a bulk load, and
the plain btree indexes on NIK and NIP now serve prefix search, so their
``varchar_pattern_ops`` twins go (Django's ``_like`` index on NIK, ``person_nip_prefix`` of
0002). SQLite compares bytes already: nothing changes there."""

from django.db import migrations

import sdmkesos.core.fields


def _nik_like(schema_editor, model):
    return schema_editor._create_index_name(model._meta.db_table, ["nik"], suffix="_like")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("people", "Person")
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_nik_like(schema_editor, model)}"')
        schema_editor.execute("DROP INDEX IF EXISTS person_nip_prefix")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("people", "Person")
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{_nik_like(schema_editor, model)}" '
                              "ON people_person (nik varchar_pattern_ops)")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS person_nip_prefix "
                              "ON people_person (nip varchar_pattern_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_drop_redundant_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='person',
            name='nik',
            field=sdmkesos.core.fields.CodeField(max_length=16, unique=True, verbose_name='NIK'),
        ),
        migrations.AlterField(
            model_name='person',
            name='nip',
            field=sdmkesos.core.fields.CodeField(blank=True, max_length=18, null=True, verbose_name='NIP'),
        ),
        migrations.AlterField(
            model_name='person',
            name='region_kab',
            field=sdmkesos.core.fields.CodeField(blank=True, default='', editable=False, max_length=5),
        ),
        migrations.AlterField(
            model_name='person',
            name='region_prov',
            field=sdmkesos.core.fields.CodeField(blank=True, default='', editable=False, max_length=2),
        ),
        migrations.RunPython(forward, backward),
    ]
