"""The default letter template (budget-support request, from the Rakorbang 2018 agreement), so
the letter page works on a fresh installation. Administrators edit or add templates later."""

from django.db import migrations

BODY = """Dengan hormat,

Menindaklanjuti kesepakatan {rapat}, yaitu: "{kesepakatan}", bersama ini kami mohon kiranya \
{penerima} berkenan memberikan dukungan anggaran bagi kelanjutan pendidikan SDM \
pekerjaan sosial/kesejahteraan sosial ke jenjang yang lebih tinggi, sesuai rencana aksi: \
{rencana_aksi}.

Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih."""


def forwards(apps, schema_editor):
    LetterTemplate = apps.get_model("partnerships", "LetterTemplate")
    LetterTemplate.objects.get_or_create(code="DUKUNGAN-ANGGARAN", defaults={
        "name": "Permohonan dukungan anggaran pendidikan SDM kesos",
        "subject": "Permohonan dukungan anggaran pendidikan lanjut SDM peksos/kesos",
        "body": BODY, "number_pattern": "{seq:03d}/{kode}/{bulan}/{tahun}"})


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
