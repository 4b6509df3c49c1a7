"""Sheet imports of training participants and competency assessments on the shared engine: real
.xlsx files through `sdmkesos import <kind>` and the /impor/ upload page; dry run, all or
nothing, keep-valid, out-of-scope rows rejected, re-import unchanged, templates."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from sdmkesos.competency.models import Assessment
from sdmkesos.core.audit import AuditEvent
from sdmkesos.imports.engine import run_import
from sdmkesos.imports.models import ImportJob
from sdmkesos.training.models import Nomination
from sdmkesos.training.sheets import parse_batch_code

from . import factories as f


def xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Daftar dari Dinas Sosial Kab. Malang"])  # a title row above the header
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def world(users, make_person):
    admin = users["nasional"]
    prog = f.programme(admin)
    batch = f.batch(admin, prog, capacity=10)
    return {"batch": batch, "inside": [make_person("35.07", category="psm") for _ in range(2)],
            "outside": make_person("32.04", category="psm"),
            "tagana": make_person("35.07", category="tagana")}


def participants_file(tmp_path, world, *, with_outsider=True):
    rows = [[p.nik, world["batch"].code, ""] for p in world["inside"]]
    if with_outsider:
        rows.append([world["outside"].nik, world["batch"].code, "luar wilayah"])
    return xlsx(tmp_path / "peserta.xlsx", ["No. KTP", "Angkatan", "Keterangan"], rows)


def test_participants_cli_dry_run_all_or_nothing_keep_valid(tmp_path, capsys, users, world):
    path = participants_file(tmp_path, world)
    assert world["batch"].code == "PDPS-1"
    with pytest.raises(SystemExit):
        call_command("import", "training_participants", str(path), "--user", "kabmalang",
                     "--dry-run")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["rejected"] == 1 and summary["errors"][0]["code"] == "person_not_found"
    assert summary["errors"][0]["row"] == 5
    assert not Nomination.objects.exists()
    with pytest.raises(SystemExit):  # all or nothing: one bad row imports nothing
        call_command("import", "training_participants", str(path), "--user", "kabmalang")
    assert not Nomination.objects.exists()
    capsys.readouterr()
    with pytest.raises(SystemExit):
        call_command("import", "training_participants", str(path), "--user", "kabmalang",
                     "--keep-valid")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["created"] == 2 and summary["rejected"] == 1
    assert set(Nomination.objects.values_list("person_id", flat=True)) == {
        p.pk for p in world["inside"]}
    assert AuditEvent.objects.filter(action="nomination.create", channel="import").count() == 2
    # Again: nothing new.
    clean = participants_file(tmp_path, world, with_outsider=False)
    call_command("import", "training_participants", str(clean), "--user", "kabmalang")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["unchanged"] == 2 and summary["created"] == 0


def test_participants_refusals_from_the_actions(tmp_path, users, world):
    rows = [[world["tagana"].nik, "PDPS-1", ""],  # not eligible (category)
            [world["inside"][0].nik, "PDPS-99", ""],  # no such batch
            [world["inside"][1].nik, "PDPS-1", ""],
            [world["inside"][1].nik, "pdps-1", ""]]  # the same person twice
    path = xlsx(tmp_path / "p.xlsx", ["NIK", "Kode Angkatan", "Catatan"], rows)
    result = run_import("training_participants", path, actor=users["kabmalang"],
                        keep_valid=True)
    codes = {e.row: e.code for e in result.errors}
    assert codes == {3: "ineligible_nominee", 4: "batch_not_found", 6: "duplicate_row"}
    assert "tidak memenuhi syarat" in next(e.message for e in result.errors if e.row == 3)
    assert result.created == 1 and result.committed


def assessment_rows(world):
    a, b = world["inside"]
    return [[a.nik, "RS.03", 2, dt.date(2026, 3, 15), "Asesor", "Dra. Sri", None, ""],
            [b.nik, "rs.01", "3", "15-03-2026", "atasan", "", "", "catatan"],
            [world["outside"].nik, "RS.03", 2, "15-03-2026", "tes", "", "", ""],
            [a.nik, "XX.99", 7, "15-03-2099", "ramalan", "", "", ""]]


def test_assessments_import_validation_scope_and_keep_valid(tmp_path, users, world):
    header = ["NIK", "Kode Kompetensi", "Level", "Tanggal Penilaian", "Metode", "Penilai",
              "Berlaku Sampai", "Catatan"]
    path = xlsx(tmp_path / "nilai.xlsx", header, assessment_rows(world))
    dry = run_import("competency_assessments", path, actor=users["kabmalang"], dry_run=True)
    assert not dry.committed and not Assessment.objects.exists()
    by_row: dict[int, set[str]] = {}
    for e in dry.errors:
        by_row.setdefault(e.row, set()).add(e.code)
    assert by_row == {5: {"person_not_found"},
                      6: {"competency_not_found", "level_invalid", "method_invalid",
                          "future_date"}}
    nothing = run_import("competency_assessments", path, actor=users["kabmalang"])
    assert not nothing.committed and not Assessment.objects.exists()
    kept = run_import("competency_assessments", path, actor=users["kabmalang"],
                      keep_valid=True)
    assert kept.committed and kept.created == 2
    record = Assessment.objects.get(person=world["inside"][1])
    assert (record.competency.code, record.level, record.method) == ("RS.01", 3, "supervisor")
    assert record.assessed_on == dt.date(2026, 3, 15) and record.note == "catatan"
    assert record.valid_until is not None  # the competency's validity applied
    again = run_import("competency_assessments", path, actor=users["kabmalang"],
                       keep_valid=True)
    assert again.unchanged == 2 and again.created == 0
    # Jawa Barat's operator can only write their own people.
    outside = run_import("competency_assessments", path, actor=users["jabar"], keep_valid=True)
    assert outside.created == 1 and Assessment.objects.filter(
        person=world["outside"]).count() == 1


@pytest.mark.parametrize("kind", ["training_participants", "competency_assessments"])
def test_templates_and_web_upload(kind, client, users, world, tmp_path, immediate_tasks,
                                  django_capture_on_commit_callbacks):
    client.force_login(users["kabmalang"])
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in next(wb.active.iter_rows(max_row=1))]
    assert headers[0] == "NIK" and "Petunjuk" in wb.sheetnames
    # The template, filled in, imports as it is.
    ws = wb.active
    ws.delete_rows(2)
    if kind == "training_participants":
        ws.append([world["inside"][0].nik, world["batch"].code, ""])
    else:
        ws.append([world["inside"][0].nik, "RS.03", "2", "15-03-2026", "Asesor", "", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("isi.xlsx", buffer.getvalue())
    r = client.post(reverse("imports:upload"), {"kind": kind, "file": upload})
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ImportJob.objects.latest("created_at")
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    data = {f"col-{row['index']}": row["key"] for row in page.context["rows"]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:mapping", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.failure
    assert job.summary["created"] == 1 and job.summary["rejected"] == 0
    model = Nomination if kind == "training_participants" else Assessment
    assert model.objects.filter(person=world["inside"][0]).count() == 1
    # A worker (no import right) cannot upload.
    client.force_login(users["pekerja"])
    assert client.post(reverse("imports:upload"), {"kind": kind}).status_code == 403


# --- the batch code, property-based ---------------------------------------------------------

CODES = st.from_regex(r"[A-Z][A-Z0-9.]{0,8}(-[A-Z0-9]{1,8}){0,2}", fullmatch=True)


@given(CODES, st.integers(min_value=1, max_value=32767))
def test_batch_code_round_trip(programme, number):
    assert parse_batch_code(f"{programme}-{number}") == (programme, number)
    assert parse_batch_code(f"  {programme}-{number} ") == (programme, number)


@given(st.text(max_size=20))
def test_batch_code_never_crashes(raw):
    parsed = parse_batch_code(raw)
    if parsed is not None:
        programme, number = parsed
        assert programme and number >= 1 and int(raw.strip().rpartition("-")[2]) == number


def test_batch_code_refusals():
    assert parse_batch_code("PDPS") is None and parse_batch_code("-3") is None
    assert parse_batch_code("PDPS-0") is None and parse_batch_code("PDPS-x") is None
    assert parse_batch_code("TAGANA-DASAR-12") == ("TAGANA-DASAR", 12)
