"""Indexes that only cost writes. The foreign-key indexes on organisation, category and region
lead person_org_name, person_cat_prov and person_region_name, which serve the same lookups
(region keeps one pattern index, person_region_prefix, for prefix search below district level);
those on reference codes with a handful of values (employment status, education level, field
of study) select too many rows to help a query and only served the rare deletion of a code, and
nothing searches by domicile;
person_nik_prefix (0002) repeats the pattern-ops index Django makes for the unique NIK. Every
write maintains them, and a bulk load rebuilds them."""

import django.db.models.deletion
from django.db import migrations, models


def drop_nik_prefix(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_nik_prefix")


def restore_nik_prefix(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS person_nik_prefix ON people_person "
                              "(nik varchar_pattern_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_audit_region_unindexed'),
        ('people', '0004_postgres_trigram_statistics'),
    ]

    operations = [
        migrations.RunPython(drop_nik_prefix, restore_nik_prefix),
        migrations.AlterField(
            model_name='educationrecord',
            name='field',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='core.fieldofstudy', verbose_name='bidang studi'),
        ),
        migrations.AlterField(
            model_name='educationrecord',
            name='level',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='core.educationlevel', verbose_name='jenjang'),
        ),
        migrations.AlterField(
            model_name='employmentrecord',
            name='category',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='core.workforcecategory', verbose_name='kategori SDM'),
        ),
        migrations.AlterField(
            model_name='employmentrecord',
            name='employment_status',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='core.employmentstatus', verbose_name='status kepegawaian'),
        ),
        migrations.AlterField(
            model_name='person',
            name='category',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.workforcecategory', verbose_name='kategori SDM'),
        ),
        migrations.AlterField(
            model_name='person',
            name='domicile_region',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='wilayah domisili'),
        ),
        migrations.AlterField(
            model_name='person',
            name='education_level',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.educationlevel', verbose_name='pendidikan terakhir'),
        ),
        migrations.AlterField(
            model_name='person',
            name='employment_status',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.employmentstatus', verbose_name='status kepegawaian'),
        ),
        migrations.AlterField(
            model_name='person',
            name='field_of_study',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.fieldofstudy', verbose_name='jurusan'),
        ),
        migrations.AlterField(
            model_name='person',
            name='organisation',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='core.organisation', verbose_name='unit kerja'),
        ),
        migrations.AlterField(
            model_name='person',
            name='region',
            field=models.ForeignKey(blank=True, db_column='region_code', db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='wilayah pengelola'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['region'], name='person_region_prefix', opclasses=['varchar_pattern_ops']),
        ),
    ]
