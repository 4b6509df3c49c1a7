"""Importing office sheets as they really are, and exporting them back."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sdmkesos.core.identifiers import encode_nik
from sdmkesos.core.models import AuditEvent
from sdmkesos.imports.engine import run_person_import
from sdmkesos.imports.exporting import export_persons, neutralise
from sdmkesos.imports.parsing import CellError, parse_date, parse_identifier, split_place_date
from sdmkesos.imports.report import write_report
from sdmkesos.people.models import Person

NIK_A = encode_nik("35", "07", "01", dt.date(1990, 8, 17), "P", 21)
NIK_B = encode_nik("35", "07", "02", dt.date(1985, 1, 2), "L", 22)
NIK_C = encode_nik("35", "07", "03", dt.date(1979, 12, 31), "L", 23)


def office_sheet(path: Path, rows: list[list]) -> Path:
    """Title rows, a merged title, a header in Indonesian, a numbering row and a total row."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DAFTAR TENAGA KESEJAHTERAAN SOSIAL KECAMATAN"])
    ws.merge_cells("A1:H1")
    ws.append(["DINAS SOSIAL KABUPATEN MALANG TAHUN 2026"])
    ws.append([])
    ws.append(["No", "Nama Lengkap", "No. KTP", "Tempat/Tgl Lahir", "L/P",
               "Pendidikan Terakhir", "Jurusan", "Jabatan", "Kab/Kota", "Jenis SDM"])
    ws.append([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    ws.append(["Jumlah", None, None, None, None, None, None, None, None, len(rows)])
    wb.save(path)
    return path


def good_rows() -> list[list]:
    return [
        ["Siti Aminah, S.Sos", NIK_A, "Malang, 17 Agustus 1990", "Perempuan", "S1",
         "Kesejahteraan Sosial", "Pendamping", "Kab. Malang", "TKSK"],
        ["Moch. Budi", NIK_B, "Surabaya / 02-01-1985", "L", "SLTA", "", "Relawan",
         "Kabupaten Malang", "Tagana"],
    ]


def test_parsers():
    assert parse_date(32937) == dt.date(1990, 3, 5)  # Excel serial (1899-12-30 epoch)
    assert parse_date("17-08-1990") == parse_date("17/08/1990") == dt.date(1990, 8, 17)
    assert parse_date("17 Agustus 1990") == parse_date("1990-08-17") == dt.date(1990, 8, 17)
    assert split_place_date("Kota Malang, 5 Mei 1970") == ("Kota Malang", dt.date(1970, 5, 5))
    with pytest.raises(CellError) as err:
        parse_identifier(3507015708900010.0, 16, "NIK")
    assert err.value.code == "nik_stored_as_number"
    with pytest.raises(CellError):
        parse_identifier("3.50701E+15", 16, "NIK")
    with pytest.raises(CellError):
        parse_date("31-02-1990")
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)" and neutralise("Budi") == "Budi"


def test_import_office_sheet_creates_people(tmp_path, users):
    sheet = office_sheet(tmp_path / "tksk.xlsx", good_rows())
    result = run_person_import(sheet, actor=users["kabmalang"])
    assert result.summary()["errors"] == []
    assert (result.rows, result.created, result.rejected) == (2, 2, 0)
    siti = Person.objects.get(nik=NIK_A)
    assert siti.name == "Siti Aminah, S.Sos" and siti.birth_place == "Malang"
    assert siti.sex == "P" and siti.birth_date == dt.date(1990, 8, 17)
    assert siti.region_id == "35.07" and siti.organisation.code == "DINSOS-35.07"
    assert siti.category.code == "tksk" and siti.education_level.code == "s1"
    assert siti.kesos_background
    assert siti.employment.get().position == "Pendamping"
    event = AuditEvent.objects.get(object_id=str(siti.pk), action="create")
    assert event.channel == "import" and "tksk.xlsx" in event.note
    # Re-importing the same file changes nothing.
    again = run_person_import(sheet, actor=users["kabmalang"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.filter(object_id=str(siti.pk)).count() == 1


def test_bad_rows_are_named_and_nothing_is_imported_by_default(tmp_path, users):
    rows = [*good_rows(),
            ["Tanpa NIK", "", "Malang, 01-01-1990", "L", "S1", "", "", "Kab. Malang", "PSM"],
            ["Tanggal Salah", NIK_C, "Malang, 32-13-1979", "L", "S1", "", "", "Kab. Malang",
             "PSM"],
            ["Di Luar", encode_nik("35", "78", "01", dt.date(1980, 1, 1), "L", 5),
             "Surabaya, 01-01-1980", "L", "S1", "", "", "Kota Surabaya", "PSM"]]
    sheet = office_sheet(tmp_path / "campur.xlsx", rows)
    result = run_person_import(sheet, actor=users["kabmalang"])
    by_row = {(e.row, e.column): e for e in result.errors}
    assert by_row[(8, "NIK")].code == "required"
    assert by_row[(9, "Tempat/Tgl Lahir")].code == "date_invalid"
    assert by_row[(10, "Unit Kerja")].code == "out_of_scope"
    assert result.rejected == 3 and not result.committed
    assert not Person.objects.filter(nik__in=[NIK_A, NIK_B]).exists()
    report = write_report(result, tmp_path / "laporan.xlsx")
    ws = load_workbook(report).active
    header = [c.value for c in ws[4]]
    assert "Keterangan kesalahan" in header
    col = header.index("Keterangan kesalahan") + 1
    assert "Wajib" in ws.cell(row=8, column=col).value
    # --keep-valid imports the two good rows and reports the rest.
    kept = run_person_import(sheet, actor=users["kabmalang"], keep_valid=True)
    assert kept.created == 2 and kept.rejected == 3 and kept.committed
    # --dry-run writes nothing.
    Person.objects.filter(nik__in=[NIK_A, NIK_B]).delete()
    dry = run_person_import(sheet, actor=users["kabmalang"], dry_run=True, keep_valid=True)
    assert dry.rows == 5 and not Person.objects.filter(nik=NIK_A).exists()


def test_existing_person_outside_scope_is_rejected(tmp_path, users, make_person):
    other = make_person("32.04")
    sheet = office_sheet(tmp_path / "x.xlsx", [
        ["Orang Bandung", other.nik, f"Bandung, {other.birth_date:%d-%m-%Y}", other.sex, "S1",
         "", "", "Kab. Malang", "PSM"]])
    result = run_person_import(sheet, actor=users["kabmalang"])
    assert [e.code for e in result.errors] == ["nik_taken_out_of_scope"]
    assert other.name not in result.errors[0].message  # nobody outside the scope is named
    assert other.nik in result.errors[0].message


def test_csv_semicolon_cp1252_and_update(tmp_path, users):
    path = tmp_path / "data.csv"
    header = "Nama;NIK;Tgl Lahir;Jenis Kelamin;Kab/Kota;Jabatan\n"
    path.write_bytes((header + f"Budi Santoso;{NIK_B};02/01/1985;Pria;3507;Operator Café\n"
                      ).encode("cp1252"))
    result = run_person_import(path, actor=users["jatim"])
    assert result.created == 1, result.summary()
    person = Person.objects.get(nik=NIK_B)
    assert person.position == "Operator Café"
    path.write_bytes(("Nama;NIK;Tgl Lahir;Jenis Kelamin;Kab/Kota;Jabatan\n"
                      f"Budi Santoso;{NIK_B};02/01/1985;Pria;3507;Koordinator\n").encode("cp1252"))
    result = run_person_import(path, actor=users["jatim"])
    assert (result.updated, result.created) == (1, 0)
    person.refresh_from_db()
    assert person.position == "Koordinator"
    assert person.employment.filter(end_date__isnull=True).count() == 1


def test_export_reimports_unchanged(tmp_path, users, make_person):
    make_person("35.07", phone="=1+2", civil_servant=True)
    make_person("35.07", name="Ani")
    make_person("32.04")
    out = tmp_path / "ekspor.csv"
    assert export_persons(users["kabmalang"], out) == 3  # the worker's person is in 35.07 too
    text = out.read_text("utf-8-sig")
    assert "'=1+2" in text and "32.04" not in text
    result = run_person_import(out, actor=users["kabmalang"])
    assert (result.unchanged, result.created, result.updated) == (3, 0, 0), result.summary()
    xlsx = tmp_path / "ekspor.xlsx"
    export_persons(users["kabmalang"], xlsx, "xlsx")
    assert run_person_import(xlsx, actor=users["kabmalang"]).unchanged == 3


def test_masked_nik_in_export_for_viewer(tmp_path, users, make_person):
    person = make_person("35.07")
    out = tmp_path / "v.csv"
    export_persons(users["viewer"], out)
    assert person.nik not in out.read_text("utf-8-sig")
    assert person.nik[:6] + "*" * 10 in out.read_text("utf-8-sig")


BIN = Path(sys.executable).parent / "sdmkesos"


@pytest.mark.skipif(not BIN.exists(), reason="console script not installed")
def test_cli_summary_and_exit_status(tmp_path):
    """The CLI end to end, against its own SQLite database."""
    import os

    from sdmkesos.core.choices import Role

    db = tmp_path / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([str(BIN), "setup"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([str(BIN), "shell", "-c",
                    "from sdmkesos.core.models import User; "
                    f"User.objects.create_user('nasional', password='x', "
                    f"role='{Role.NATIONAL_ADMIN}')"],
                   env=env, check=True, capture_output=True, timeout=120)
    sheet = office_sheet(tmp_path / "s.xlsx", [*good_rows(), ["X", "123", "", "", "", "", "",
                                                              "Kab. Malang", ""]])
    proc = subprocess.run([str(BIN), "import", "persons", str(sheet), "--report",
                           str(tmp_path / "r.xlsx")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["rows"] == 3 and summary["created"] == 0 and summary["rejected"] == 1
    assert summary["errors"][0]["row"] == 8 and summary["errors"][0]["column"] == "NIK"
    assert (tmp_path / "r.xlsx").exists()
    proc = subprocess.run([str(BIN), "import", "persons", str(sheet), "--keep-valid"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert json.loads(proc.stdout.strip().splitlines()[-1])["created"] == 2
    out = tmp_path / "e.csv"
    subprocess.run([str(BIN), "export", "persons", "-o", str(out)], env=env, check=True,
                   capture_output=True, timeout=120)
    assert NIK_A in out.read_text("utf-8-sig")
