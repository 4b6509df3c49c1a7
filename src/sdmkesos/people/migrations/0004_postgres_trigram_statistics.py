"""PostgreSQL: finer statistics on the trigram name index, so the planner estimates how many
people a name fragment matches (default statistics guessed ~100 rows for 24,000 real ones and
chose a slow plan). No-op on SQLite."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX person_name_trgm ALTER COLUMN 1 SET STATISTICS 3000")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX person_name_trgm ALTER COLUMN 1 SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_dashboard_index")]
    operations = [migrations.RunPython(forward, backward)]
