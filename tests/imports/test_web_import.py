"""The import pages: upload → confirm the mapping → background job with progress → summary and
report; templates; saved mappings; history record types; export; who may do what."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sdmkesos.core.identifiers import encode_nik
from sdmkesos.core.models import AuditEvent
from sdmkesos.imports.engine import run_import
from sdmkesos.imports.models import ImportJob, SavedMapping
from sdmkesos.people.models import EducationRecord, EmploymentRecord, Person

NIK_1 = encode_nik("35", "07", "01", dt.date(1991, 4, 2), "P", 301)
NIK_2 = encode_nik("35", "07", "02", dt.date(1980, 6, 9), "L", 302)
NIK_OUT = encode_nik("32", "04", "01", dt.date(1980, 6, 9), "L", 303)


def csv_file(rows: list[list[str]], header: list[str] | None = None,
             name: str = "data.csv") -> SimpleUploadedFile:
    header = header or ["Nama Lengkap", "No. KTP", "Tgl Lahir", "L/P", "Kab/Kota", "Jenis SDM"]
    lines = ["DAFTAR SDM KESOS", ";".join(header)] + [";".join(r) for r in rows]
    return SimpleUploadedFile(name, "\n".join(lines).encode("utf-8"), content_type="text/csv")


def good() -> list[list[str]]:
    return [["Rina Wati", NIK_1, "02-04-1991", "P", "Kab. Malang", "TKSK"],
            ["Agus Salim", NIK_2, "09-06-1980", "L", "Kabupaten Malang", "Tagana"]]


@pytest.fixture
def oncommit(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def upload(client: Any, file: SimpleUploadedFile, **extra: str) -> ImportJob:
    response = client.post(reverse("imports:upload"),
                           {"kind": "persons", "file": file, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("created_at")


def confirm(client: Any, job: ImportJob, run: Any = None, **extra: str) -> Any:
    """Confirm the detected mapping; with ``run`` (pytest-django's
    django_capture_on_commit_callbacks), the queued task runs as the transaction commits."""
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    assert page.status_code == 200
    data = {f"col-{row['index']}": row["key"] for row in page.context["rows"]}
    data.update(extra)
    if run is None:
        return client.post(reverse("imports:mapping", args=[job.pk]), data)
    with run(execute=True):
        return client.post(reverse("imports:mapping", args=[job.pk]), data)


@pytest.mark.django_db
def test_upload_confirm_run_and_follow_progress(client, users, immediate_tasks, oncommit):
    login(client, users["kabmalang"])
    job = upload(client, csv_file(good()))
    assert job.status == ImportJob.Status.MAPPING
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    detected = {row["header"]: row["key"] for row in page.context["rows"]}
    assert detected["No. KTP"] == "nik" and detected["Nama Lengkap"] == "name"
    assert "Rina Wati" in page.content.decode()  # preview of the first rows
    response = confirm(client, job, oncommit)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.failure
    assert job.summary["created"] == 2 and job.summary["rejected"] == 0
    assert set(Person.objects.filter(nik__in=[NIK_1, NIK_2]).values_list("region_id", flat=True)
               ) == {"35.07"}
    assert AuditEvent.objects.filter(channel="import", action="create",
                                     note__contains="data.csv").count() == 2
    progress = client.get(reverse("imports:progress", args=[job.pk]))
    body = progress.content.decode()
    assert 'data-status="done"' in body and "every 1s" not in body  # polling stops when done


@pytest.mark.django_db
def test_all_or_nothing_rejects_everything_and_reports_rows(client, users, immediate_tasks,
                                                             oncommit):
    login(client, users["kabmalang"])
    rows = [*good(), ["Orang Bandung", NIK_OUT, "09-06-1980", "L", "Kab. Bandung", "TKSK"],
            ["Tanpa NIK", "", "01-01-1990", "P", "Kab. Malang", "TKSK"]]
    job = upload(client, csv_file(rows))
    confirm(client, job, oncommit)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.summary["committed"] is False and job.summary["rejected"] == 2
    assert not Person.objects.filter(nik__in=[NIK_1, NIK_2]).exists()
    by_row = {e["row"]: e for e in job.summary["errors"]}
    assert by_row[5]["code"] == "out_of_scope" and by_row[6]["column"] == "NIK"
    report = client.get(reverse("imports:report", args=[job.pk]))
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any("Keterangan kesalahan" in (v or "") for v in values[1])
    assert any("luar" in str(v) for v in values[4])  # sheet row 5


@pytest.mark.django_db
def test_keep_valid_and_saved_mapping(client, users, immediate_tasks, oncommit):
    login(client, users["kabmalang"])
    header = ["Nama", "Nomor Identitas", "Tgl Lahir", "L/P", "Kab/Kota", "Jenis SDM"]
    rows = [*good(), ["Tanpa NIK", "", "01-01-1990", "P", "Kab. Malang", "TKSK"]]
    job = upload(client, csv_file(rows, header), mode="keep_valid")
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    assert any(c.key == "nik" for c in page.context["missing"])  # not recognised: user maps it
    data = {f"col-{row['index']}": row["key"] for row in page.context["rows"]}
    index = next(r["index"] for r in page.context["rows"] if r["header"] == "Nomor Identitas")
    data[f"col-{index}"] = "nik"
    data["save_as"] = "Format Kab Malang"
    with oncommit(execute=True):
        client.post(reverse("imports:mapping", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.summary["created"] == 2 and job.summary["rejected"] == 1
    assert job.summary["committed"] is True
    saved = SavedMapping.objects.get(name="Format Kab Malang")
    assert saved.mapping["Nomor Identitas"] == "nik"
    # The saved mapping applies to the next upload of the same format.
    job2 = upload(client, csv_file(good(), header, name="lagi.csv"),
                  saved_mapping=str(saved.pk))
    page = client.get(reverse("imports:mapping", args=[job2.pk]))
    assert not page.context["missing"]


@pytest.mark.django_db
def test_dry_run_changes_nothing(client, users, immediate_tasks, oncommit):
    login(client, users["kabmalang"])
    job = upload(client, csv_file(good()), mode="dry_run")
    confirm(client, job, oncommit)
    job.refresh_from_db()
    assert job.summary["dry_run"] is True and job.summary["rejected"] == 0
    assert not Person.objects.filter(nik=NIK_1).exists()


@pytest.mark.django_db
def test_queued_job_waits_for_the_worker(client, users):
    """With the database queue (the default), confirming only queues the job."""
    login(client, users["kabmalang"])
    job = upload(client, csv_file(good()))
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert "every 1s" in page.content.decode()


@pytest.mark.django_db
def test_bad_file_type_is_refused(client, users):
    login(client, users["kabmalang"])
    response = client.post(reverse("imports:upload"), {
        "kind": "persons", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 400
    assert ".exe" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_permissions(client, users):
    login(client, users["kabmalang"])
    job = upload(client, csv_file(good()))
    client.logout()
    for name in ("viewer", "pekerja"):
        login(client, users[name])
        assert client.get(reverse("imports:upload")).status_code == 403
        assert client.get(reverse("imports:jobs")).status_code == 403
        client.logout()
    login(client, users["kabbandung"])  # another district's operator: not their job
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:report", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:mapping", args=[job.pk]), {}).status_code == 404
    client.logout()
    login(client, users["nasional"])
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("imports:jobs")).status_code == 302  # to the login page


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["persons", "education", "employment"])
def test_templates_download(client, users, kind):
    login(client, users["kabmalang"])
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in next(wb.active.iter_rows(max_row=1))]
    assert "NIK" in headers
    assert wb.active.cell(row=2, column=headers.index("NIK") + 1).number_format == "@"
    assert "Petunjuk" in wb.sheetnames


@pytest.mark.django_db
def test_export_is_scoped(client, users, make_person):
    make_person("35.07")
    make_person("32.04")
    login(client, users["kabmalang"])
    response = client.get(reverse("imports:export") + "?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    expected = Person.objects.filter(region_kab="35.07").count()
    assert int(response["X-Row-Count"]) == expected == len(text.strip().splitlines()) - 1


def history_sheet(tmp_path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path = tmp_path / "riwayat.csv"
    path.write_text("\n".join([";".join(header)] + [";".join(r) for r in rows]), "utf-8")
    return path


@pytest.mark.django_db
def test_education_and_employment_imports(users, make_person, tmp_path):
    person = make_person("35.07")
    outsider = make_person("32.04")
    edu = history_sheet(tmp_path, ["NIK", "Jenjang", "Jurusan", "Universitas", "Tahun Lulus"], [
        [person.nik, "S1", "Kesejahteraan Sosial", "Universitas Brawijaya", "2010"],
        [person.nik, "S2", "Pekerjaan Sosial", "Poltekesos", "2019"]])
    result = run_import("education", edu, actor=users["kabmalang"])
    assert result.committed and result.created == 2, result.summary()
    person.refresh_from_db()
    assert person.education_level.code == "s2" and person.kesos_background
    again = run_import("education", edu, actor=users["kabmalang"])
    assert again.unchanged == 2 and again.created == 0
    jobs = history_sheet(tmp_path, ["NIK", "Unit Kerja", "Jabatan", "TMT Mulai", "Selesai"], [
        [person.nik, "DINSOS-35.07", "Penyuluh Sosial", "01-03-2024", ""],
        [outsider.nik, "DINSOS-35.07", "Staf", "01-03-2024", ""]])
    result = run_import("employment", jobs, actor=users["kabmalang"])
    assert not result.committed
    assert [e.code for e in result.errors] == ["person_not_found"] and result.errors[0].row == 3
    assert EmploymentRecord.objects.filter(person=person).count() == 1  # nothing written
    result = run_import("employment", jobs, actor=users["kabmalang"], keep_valid=True)
    assert result.created == 1
    person.refresh_from_db()
    assert person.position == "Penyuluh Sosial"
    assert EducationRecord.objects.filter(person=person).count() == 2


@pytest.mark.django_db(transaction=True)
def test_database_queue_worker_runs_the_job(reference, client, users):
    """The default backend: confirming queues the task in the database; `sdmkesos db_worker`
    (started by `sdmkesos serve`) picks it up. Transactional: the worker closes and reopens
    database connections as a real worker process does."""
    from django.core.management import call_command

    login(client, users["kabmalang"])
    job = upload(client, csv_file(good()))
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.failure
    assert job.summary["created"] == 2


@pytest.mark.django_db
def test_new_rows_resembling_registered_people_are_flagged(users, make_person, tmp_path):
    """A new row whose name, birth date, place and sex match a registered person (under another
    NIK) is imported but flagged, with the person it resembles."""
    existing = make_person("35.07", name="Muhammad Rizki Pratama", sex="L",
                           birth_date=dt.date(1988, 2, 14))
    other_nik = encode_nik("35", "07", "05", dt.date(1988, 2, 14), "L", 777)
    sheet = tmp_path / "baru.csv"
    sheet.write_text("\n".join([
        "Nama;NIK;Tempat Lahir;Tgl Lahir;L/P;Kab/Kota",
        f"Moch. Rizki Pratama, S.Sos;{other_nik};Malang;14-02-1988;L;Kab. Malang",
        f"Sulastri Handayani;{NIK_1};Blitar;02-04-1991;P;Kab. Malang"]), "utf-8")
    result = run_import("persons", sheet, actor=users["kabmalang"])
    assert result.committed and result.created == 2
    assert result.duplicate_check == "done"
    flagged = {w.row: w for w in result.warnings}
    assert set(flagged) == {2}, [w.as_dict() for w in result.warnings]
    assert f"id {existing.pk}" in flagged[2].message
    assert result.summary()["likely_duplicates"][0]["code"] == "likely_duplicate"
