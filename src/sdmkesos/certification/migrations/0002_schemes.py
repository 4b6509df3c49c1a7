from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from sdmkesos.certification.schemes import load_schemes

    load_schemes(apps.get_model("certification", "Scheme"),
                 apps.get_model("certification", "CompetencyUnit"))


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial"), ("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
