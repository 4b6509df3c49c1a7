import datetime as dt

import pytest
from openpyxl import Workbook

from sdmkesos.partnerships.attendance import import_attendance

pytestmark = pytest.mark.django_db


def _xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_with_title_rows_variants_and_counts(users, make_meeting, make_person, tmp_path):
    meeting, _r, _i = make_meeting("35.07", start=dt.date(2018, 4, 10))
    person = make_person("35.07", name="Siti Peserta")
    path = _xlsx(tmp_path / "hadir.xlsx", [
        ["DAFTAR HADIR RAPAT KOORDINASI"], [],
        ["No", "Nama Lengkap", "NIK", "Unit Kerja", "Kabupaten/Kota", "Jumlah Peserta"],
        [1, "", person.nik, "DINSOS-35.07", "Kab. Malang", None],
        [2, "", None, "Dinas Sosial Kota Batu", "Kota Batu", 4],
        [3, "Tamu", None, "LSM Peduli", None, None],
        ["Jumlah", None, None, None, None, 6]])
    result = import_attendance(path, actor=users["nasional"], meeting=meeting)
    assert result.committed, result.summary()
    assert (result.created, result.people) == (3, 6)
    linked = meeting.participants.get(person=person)
    assert linked.name == "Siti Peserta" and linked.region_id == "35.07"
    assert meeting.participants.get(organisation_name="LSM Peduli").organisation is None


def test_row_errors_and_nothing_saved(users, make_meeting, tmp_path):
    meeting, _r, _i = make_meeting("35.07")
    path = tmp_path / "hadir.csv"
    path.write_text("Nama;Instansi;Kab/Kota;Jumlah\nA;DINSOS-35;Kota Antah;1\n"
                    "B;DINSOS-35;Kota Batu;nol\n;;;\n", encoding="utf-8")
    result = import_attendance(path, actor=users["nasional"], meeting=meeting)
    assert not result.committed and meeting.participants.count() == 0
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "Kab/Kota", "region_unknown"), (3, "Jumlah", "invalid_count")]


def test_unreadable_and_headerless(users, make_meeting, tmp_path):
    meeting, _r, _i = make_meeting("35.07")
    bad = tmp_path / "hadir.pdf"
    bad.write_bytes(b"%PDF")
    assert import_attendance(bad, actor=users["nasional"],
                             meeting=meeting).errors[0].code == "unreadable"
    nohead = tmp_path / "x.csv"
    nohead.write_text("a,b\n1,2\n")
    assert import_attendance(nohead, actor=users["nasional"],
                             meeting=meeting).errors[0].code == "header_not_found"


def test_cli(users, make_meeting, tmp_path, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    meeting, _r, _i = make_meeting("35.07")
    path = tmp_path / "hadir.csv"
    path.write_text("Nama,Instansi,Jumlah\nAndi,DINSOS-35.07,2\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("partnerships_import_attendance", str(meeting.pk), str(path),
                     "--user", "kabbandung")
    call_command("partnerships_import_attendance", str(meeting.pk), str(path),
                 "--user", "nasional")
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["people"] == 2 and out["committed"]
    path.write_text("Nama,Instansi,Jumlah\nAndi,DINSOS-35.07,x\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("partnerships_import_attendance", str(meeting.pk), str(path),
                     "--user", "nasional")
