"""The vectorised import path gives the same result as the row-by-row path, row for row: the
same people, histories, audit records, counts and errors (property test over generated office
rows, clean and messy), and it is what large CSV files take by default."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdmkesos.core.identifiers import encode_nik, encode_nip
from sdmkesos.core.models import AuditEvent
from sdmkesos.imports import engine
from sdmkesos.imports.engine import run_person_import
from sdmkesos.people.models import EducationRecord, EmploymentRecord, Person

HEADER = ["No", "NIK", "Nama Lengkap", "NIP", "L/P", "Tempat Lahir", "Tgl Lahir", "No HP",
          "Pendidikan Terakhir", "Jurusan", "Jabatan", "Unit Kerja", "Kab/Kota", "Jenis SDM",
          "Status Kepegawaian"]


@st.composite
def office_row(draw: Any, number: int) -> list[str]:
    """One row as offices write it: mostly clean, sometimes with the usual mistakes."""
    born = draw(st.dates(dt.date(1960, 1, 1), dt.date(2004, 12, 31)))
    sex = draw(st.sampled_from("LP"))
    kec = draw(st.integers(1, 30))
    nik = encode_nik("35", draw(st.sampled_from(["07", "73", "78"])), kec, born, sex,
                     draw(st.integers(1, 9999)))
    nik = draw(st.sampled_from([nik] * 6 + [
        nik[:12] + "0000", "99" + nik[2:], nik[:15], f"{nik[:6]} {nik[6:]}", nik[:8] + "13" +
        nik[10:], "3507010101010001", f"'{nik}", ""]))
    civil = draw(st.booleans())
    nip = encode_nip(born, dt.date(max(born.year + 20, 2000), 3, 1), sex,
                     draw(st.integers(1, 999))) if civil else ""
    nip = draw(st.sampled_from([nip] * 4 + [nip[:14] + "3" + nip[15:] if nip else "",
                                            "198001012005011001", nip[:10]]))
    name = draw(st.sampled_from(["Siti Aminah", "Moch.  Budi ", "Hj. Nur Aini, S.Sos", "",
                                 "Ni Luh\tPutu", "'=Budi", "Rahmat Hidayat"]))
    sex_cell = draw(st.sampled_from([sex, sex, "Laki-laki" if sex == "L" else "Perempuan", "",
                                     "X", "P" if sex == "L" else "L"]))
    date_cell = draw(st.sampled_from([born.strftime("%d-%m-%Y")] * 4 + [
        born.strftime("%d/%m/%Y"), "", "31-02-1990", "17 Agustus 1990",
        born.replace(year=born.year - 1 if born.month != 2 or born.day != 29 else born.year
                     ).strftime("%d-%m-%Y")]))
    unit = draw(st.sampled_from(["DINSOS-35.07", "DINSOS-35.07", "Dinas Sosial Kabupaten Malang",
                                 "", "DINSOS-35.73", "Kantor Antah Berantah"]))
    region = draw(st.sampled_from(["35.07", "Kab. Malang", "", "Kota Malang", "Negeri Dongeng"]))
    return [str(number), nik, name, nip, sex_cell, draw(st.sampled_from(["Malang", "", " Batu "])),
            date_cell, draw(st.sampled_from(["0812345", ""])),
            draw(st.sampled_from(["S1", "SLTA", "", "D IV", "Sekolah Alam"])),
            draw(st.sampled_from(["Kesejahteraan Sosial", "Hukum", "", "Pekerjaan Sosial"])),
            draw(st.sampled_from(["Pendamping", "", "Relawan"])), unit, region,
            draw(st.sampled_from(["TKSK", "tksk", "Tagana", "", "Penyihir"])),
            draw(st.sampled_from(["Non-ASN", "PNS", "", "Bebas"]))]


@st.composite
def office_sheet_rows(draw: Any) -> list[list[str]]:
    rows = [draw(office_row(i)) for i in range(1, draw(st.integers(1, 25)) + 1)]
    if rows and draw(st.booleans()):  # the same person twice
        rows.append(list(rows[draw(st.integers(0, len(rows) - 1))]))
    if draw(st.booleans()):
        rows.insert(draw(st.integers(0, len(rows))), [""] * len(HEADER))
    if draw(st.booleans()):
        rows.append(["Jumlah", "", "", "", "", "", "", "", "", "", "", "", "", "", ""])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["DAFTAR SDM KESEJAHTERAAN SOSIAL"])
        writer.writerow([])
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def snapshot(result: Any) -> dict[str, Any]:
    """What an import did, without ids and clock times."""
    people = {p["nik"]: p for p in Person.objects.values(
        "nik", "nip", "name", "sex", "birth_place", "birth_date", "phone", "email", "address",
        "region", "region_prov", "region_kab", "organisation", "position", "category",
        "employment_status", "education_level", "field_of_study", "kesos_background")}
    jobs = sorted(EmploymentRecord.objects.values_list(
        "person__nik", "organisation", "position", "category", "employment_status"))
    schooling = sorted(EducationRecord.objects.values_list(
        "person__nik", "level", "field", "field_text", "institution"), key=str)
    events = sorted((e.object_repr, e.action, e.channel, e.note, e.region_code,
                     json.dumps({k: v for k, v in e.changes.items()}, sort_keys=True))
                    for e in AuditEvent.objects.filter(object_type="people.person"))
    summary = result.summary()
    return {"people": people, "jobs": jobs, "schooling": schooling, "events": events,
            "counts": (summary["rows"], summary["created"], summary["updated"],
                       summary["unchanged"], summary["rejected"]),
            "errors": sorted((e["row"], e["column"], e["value"], e["code"], e["message"])
                             for e in summary["errors"]),
            "statuses": sorted(result.statuses.items())}


def both_paths(path: Path, actor: Any, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    out = []
    for frames in (False, True):
        with transaction.atomic():
            result = run_person_import(path, actor=actor, frames=frames, **kwargs)
            out.append(snapshot(result))
            transaction.set_rollback(True)
    return out[0], out[1]


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                   HealthCheck.too_slow])
@given(rows=office_sheet_rows(), keep_valid=st.booleans(), national=st.booleans())
def test_vectorised_path_matches_row_path(tmp_path_factory, users, rows, keep_valid, national):
    path = write_csv(tmp_path_factory.mktemp("frames") / "sheet.csv", rows)
    actor = users["nasional" if national else "kabmalang"]
    by_row, by_frame = both_paths(path, actor, keep_valid=keep_valid)
    assert by_frame == by_row


def test_reimport_and_chunks_match(tmp_path, users, monkeypatch):
    """Across chunk boundaries (a duplicate in the next chunk) and on re-import (existing
    people go the row way and come out unchanged)."""
    monkeypatch.setattr("sdmkesos.imports.frames.FRAME_CHUNK_ROWS", 3)
    born = dt.date(1990, 8, 17)
    niks = [encode_nik("35", "07", "01", born, "P", i) for i in range(1, 8)]
    rows = [[str(i), nik, f"Orang {i}", "", "P", "Malang", "17-08-1990", "", "S1",
             "Kesejahteraan Sosial", "Pendamping", "DINSOS-35.07", "", "TKSK", "Non-ASN"]
            for i, nik in enumerate(niks, start=1)]
    rows.append([*rows[1][:2], "Orang Kembar", *rows[1][3:]])
    path = write_csv(tmp_path / "sheet.csv", rows)
    actor = users["kabmalang"]
    by_row, by_frame = both_paths(path, actor, keep_valid=True)
    assert by_frame == by_row
    assert by_frame["counts"] == (8, 7, 0, 0, 1)
    run_person_import(path, actor=actor, keep_valid=True, frames=False)
    again_row, again_frame = both_paths(path, actor, keep_valid=True)
    assert again_frame == again_row and again_frame["counts"] == (8, 0, 0, 7, 1)


def test_large_csv_takes_the_vectorised_path(tmp_path, users, monkeypatch):
    monkeypatch.setattr(engine, "FRAME_MIN_ROWS", 2)
    calls = []
    original = engine._frame_batches

    def spy(*args: Any) -> Any:
        calls.append(args[1])
        return original(*args)

    monkeypatch.setattr(engine, "_frame_batches", spy)
    born = dt.date(1985, 1, 2)
    rows = [[str(i), encode_nik("35", "07", "02", born, "L", i), f"Orang {i}", "", "L", "",
             "02-01-1985", "", "", "", "", "DINSOS-35.07", "", "", ""] for i in range(1, 6)]
    # (files small enough for the likely-duplicate check keep the row path)
    result = run_person_import(write_csv(tmp_path / "big.csv", rows), actor=users["kabmalang"],
                               check_duplicates=False)
    assert calls and result.created == 5 and Person.objects.filter(name="Orang 3").exists()
    assert AuditEvent.objects.filter(object_type="people.person", action="create",
                                     channel="import").count() == 5


@pytest.mark.parametrize("frames", [False, True])
def test_an_imported_persons_history_shows_what_the_sheet_said(tmp_path, users, frames):
    """An import's creation event stores the file and sheet row, not the values (they would
    double a large import's writes); the history page and the API show the values the row
    created, whatever was changed later."""
    from sdmkesos.people import actions
    from sdmkesos.people.tables import history_rows
    from tests.api_helpers import as_user

    nik = encode_nik("35", "07", "01", dt.date(1990, 8, 17), "P", 41)
    rows = [["1", nik, "Siti Aminah", "", "P", "Malang", "17-08-1990", "0811", "S1",
             "Kesejahteraan Sosial", "Pendamping", "DINSOS-35.07", "", "TKSK", "Non-ASN"]]
    actor = users["kabmalang"]
    result = run_person_import(write_csv(tmp_path / "tksk.csv", rows), actor=actor,
                               frames=frames)
    assert result.created == 1
    person = Person.objects.get(nik=nik)
    created = AuditEvent.objects.get(object_id=str(person.pk), action="create")
    assert created.changes == {} and created.note == "file tksk.csv, baris 4"
    actions.do_update_person(actor=actor, channel="web", person=person,
                             data={"phone": "0822", "position": "Koordinator"})

    body = as_user(actor).get(f"/persons/{person.pk}/history").json()
    assert [e["action"] for e in body["items"]] == ["update", "create"]
    values = {k: v[1] for k, v in body["items"][1]["changes"].items()}
    assert values["phone"] == "0811" and values["position"] == "Pendamping"
    assert values["name"] == "Siti Aminah" and values["birth_date"] == "1990-08-17"
    assert values["nik"] == nik and values["region"] == "35.07"
    assert values["kesos_background"] is True and "nip" not in values
    page = history_rows(actor, AuditEvent.objects.filter(object_id=str(person.pk)))
    shown = {c.label: c.after for c in page[-1].changes}
    assert "0811" in shown.values() and "Pendamping" in shown.values()
    assert AuditEvent.objects.get(pk=created.pk).changes == {}  # nothing written back
