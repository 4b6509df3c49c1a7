"""The audit log's region_code loses its two indexes: no query filters by it yet, and every
write (a bulk load: every rebuild) paid for them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='region_code',
            field=models.CharField(blank=True, max_length=13),
        ),
    ]
