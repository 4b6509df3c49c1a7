"""The review workflow end to end: a run from the UI/API (background task), the queue, the
pair page, confirm/reject, the CLI and the import check."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from sdmkesos.core.models import AuditEvent, Organisation
from sdmkesos.dedup.models import CandidatePair, LinkageRun, MergeRecord, PairStatus, RunStatus
from sdmkesos.dedup.queries import find_likely_duplicates
from sdmkesos.people.models import Person
from tests.api_helpers import ApiClient


@pytest.fixture
def twins(make_person):
    """A registry with one duplicate (same person entered twice by Kab. Malang) and others."""
    born = dt.date(1984, 7, 9)
    first = make_person("35.07", name="Drs. Moch. Ali Santoso", sex="L", birth_date=born)
    second = make_person("35.07", name="Muhammad Ali Santoso, S.Sos", sex="L", birth_date=born)
    others = [make_person("35.07", name=n, sex=s, birth_date=d) for n, s, d in (
        ("Dewi Lestari", "P", dt.date(1990, 1, 2)), ("Budi Hartono", "L", dt.date(1979, 3, 4)),
        ("Sri Wahyuni", "P", dt.date(1982, 11, 20)), ("Yohanes Simanjuntak", "L",
                                                      dt.date(1975, 6, 30)))]
    return first, second, others


def test_run_from_the_ui_proposes_the_duplicate(client, users, twins, immediate_tasks):
    first, second, _others = twins
    client.force_login(users["kabmalang"])
    response = client.post(reverse("dedup:run_start"), {"threshold": "0.5"})
    run = LinkageRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dedup:run",
                                                                           args=[run.pk])
    assert run.status == RunStatus.DONE and run.progress == 1.0
    assert run.records >= 6 and run.pairs_new >= 1
    pair = CandidatePair.objects.get(left_pid=min(first.pk, second.pk))
    assert pair.right_pid == max(first.pk, second.pk) and pair.run == run
    page = client.get(reverse("dedup:run", args=[run.pk]))
    assert "100%" in page.content.decode()
    partial = client.get(reverse("dedup:run", args=[run.pk]), headers={"HX-Request": "true"})
    assert 'id="run-status"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    queue = client.get(reverse("dedup:queue")).content.decode()
    assert "Ali Santoso" in queue
    detail = client.get(reverse("dedup:pair", args=[pair.pk])).content.decode()
    assert 'id="confirm-form"' in detail and 'id="reject-form"' in detail
    # A second run proposes nothing new.
    client.post(reverse("dedup:run_start"))
    assert LinkageRun.objects.count() == 2
    assert CandidatePair.objects.filter(left_pid=pair.left_pid).count() == 1


def test_run_page_of_someone_else_is_hidden(client, users, immediate_tasks, twins):
    client.force_login(users["kabmalang"])
    client.post(reverse("dedup:run_start"))
    run = LinkageRun.objects.get()
    client.force_login(users["jatim"])
    assert client.get(reverse("dedup:run", args=[run.pk])).status_code == 404
    client.force_login(users["nasional"])
    assert client.get(reverse("dedup:run", args=[run.pk])).status_code == 200


def test_invalid_threshold_is_explained(client, users):
    client.force_login(users["kabmalang"])
    response = client.post(reverse("dedup:run_start"), {"threshold": "7"}, follow=True)
    assert "Ambang probabilitas harus di antara 0 dan 1" in response.content.decode()
    assert not LinkageRun.objects.exists()


def test_confirm_and_reject_from_the_pair_page(client, users, make_pair):
    keep = make_pair("35.07")
    drop = make_pair("35.07", name="Dewi Lestari")
    client.force_login(users["kabmalang"])
    response = client.post(reverse("dedup:confirm", args=[keep.pk]), {"keep": "left"},
                           follow=True)
    assert "Data digabung" in response.content.decode()
    assert MergeRecord.objects.filter(pair=keep).exists()
    page = client.get(reverse("dedup:pair", args=[keep.pk])).content.decode()
    assert "alias" in page and 'id="confirm-form"' not in page
    response = client.post(reverse("dedup:reject", args=[drop.pk]), {"note": "beda"},
                           follow=True)
    assert "tidak akan diusulkan lagi" in response.content.decode()
    again = client.post(reverse("dedup:reject", args=[drop.pk]), follow=True)
    assert "sudah ditinjau" in again.content.decode()
    rejected = client.get(reverse("dedup:queue") + "?status=rejected").content.decode()
    assert "Dewi Lestari" in rejected


def test_api_run_and_confirm(users, twins, immediate_tasks):
    api = ApiClient(users["jatim"])
    response = api.post("/dedup/runs", {"threshold": 0.5})
    assert response.status_code == 202
    run_id = response.json()["id"]
    run = api.get(f"/dedup/runs/{run_id}").json()
    assert run["status"] == "done" and run["pairs_new"] >= 1
    items = api.get("/dedup/pairs").json()["items"]
    first, second, _ = twins
    item = next(i for i in items if i["left_id"] == min(first.pk, second.pk))
    assert item["left"]["name"] and item["right"]["nik"]
    response = api.post(f"/dedup/pairs/{item['id']}/confirm", {"keep": "left"})
    assert response.status_code == 200
    body = response.json()
    assert body["pair"]["status"] == "confirmed"
    assert body["removed_nik_alias"] in {first.nik, second.nik}
    assert not Person.objects.filter(pk=body["removed_id"]).exists()
    bad = api.post(f"/dedup/pairs/{item['id']}/confirm", {"keep": "left"})
    assert bad.status_code == 400 and bad.json()["code"] == "pair_already_reviewed"
    assert api.get("/dedup/pairs", {"status": "nonsense"}).status_code == 400


def test_api_invalid_keep_names_the_field(users, make_pair):
    pair = make_pair("35.07")
    response = ApiClient(users["kabmalang"]).post(f"/dedup/pairs/{pair.pk}/confirm",
                                                  {"keep": "middle"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "keep"


def test_cli_registry(tmp_path, twins, users):
    first, second, _ = twins
    out = tmp_path / "pairs.csv"
    call_command("dedup", "-o", str(out), "--threshold", "0.5")
    rows = list(csv.DictReader(out.open()))
    assert {"id_left", "id_right", "probability"} == set(rows[0])
    assert (str(min(first.pk, second.pk)), str(max(first.pk, second.pk))) in {
        (r["id_left"], r["id_right"]) for r in rows}
    assert not CandidatePair.objects.exists()  # nothing proposed without --propose
    call_command("dedup", "-o", str(out), "--user", "kabbandung")
    assert list(csv.DictReader(out.open())) == []  # nobody in Kab. Bandung's scope
    call_command("dedup", "-o", str(out), "--user", "kabmalang", "--propose")
    assert CandidatePair.objects.filter(status=PairStatus.PROPOSED).exists()
    assert AuditEvent.objects.filter(action="dedup.pairs.propose", channel="cli").exists()


def test_cli_file_uses_record_ids_or_row_numbers(tmp_path, db):
    sheet = tmp_path / "pegawai.csv"
    sheet.write_text(
        "DAFTAR PEGAWAI DINSOS\n"
        "record_id;Nama Lengkap;L/P;Tempat Lahir;Tgl Lahir;NIK;Kab/Kota\n"
        "A-1;Drs. H. Moch. Ali Santoso, S.Sos;L;Malang;17-05-1980;3507011705800001;Kab. Malang\n"
        "A-2;Muhammad Ali Santoso;L;Kab. Malang;17/05/1980;;Malang\n"
        "A-3;Dewi Lestari;P;Blitar;08-08-1988;3505014808880004;Blitar\n", "utf-8")
    out = tmp_path / "pairs.csv"
    call_command("dedup", "--file", str(sheet), "-o", str(out))
    rows = list(csv.DictReader(out.open()))
    assert [(r["id_left"], r["id_right"]) for r in rows] == [("A-1", "A-2")]
    assert float(rows[0]["probability"]) >= 0.5
    plain = tmp_path / "plain.csv"
    plain.write_text("Nama,Tgl Lahir,L/P\nSiti Aminah,1990-01-02,P\nSitti Aminah,1990-01-02,P\n"
                     "Budi,1970-05-05,L\n", "utf-8")
    call_command("dedup", "--file", str(plain), "-o", str(out))
    assert [(r["id_left"], r["id_right"]) for r in csv.DictReader(out.open())] == [("2", "3")]


def test_cli_refuses_bad_input(tmp_path, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="threshold"):
        call_command("dedup", "-o", str(tmp_path / "x.csv"), "--threshold", "0")
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("dedup", "-o", str(tmp_path / "x.csv"), "--user", "nobody")
    with pytest.raises(CommandError):
        call_command("dedup", "--file", str(tmp_path / "x.pdf"), "-o", str(tmp_path / "x.csv"))


def test_find_likely_duplicates_for_an_import(users, twins):
    first, _second, others = twins
    org = Organisation.objects.get(code="DINSOS-35.07")
    rows = [
        (10, {"name": "Hj. Dewi Lestari, S.Pd", "sex": "P", "birth_date": dt.date(1990, 1, 2),
              "birth_place": "Malang", "nik": "3507014201900099", "organisation": org}),
        (11, {"name": "Bambang Pamungkas", "sex": "L", "birth_date": dt.date(1966, 2, 3),
              "birth_place": "Semarang", "nik": "3374010302660001", "organisation": org}),
        (12, {"name": "Moch Ali Santoso", "sex": "L", "birth_date": first.birth_date,
              "birth_place": "Malang", "nik": first.nik, "organisation": org}),
    ]
    found = find_likely_duplicates(rows, actor=users["kabmalang"])
    dewi = next(p for p in others if p.name == "Dewi Lestari")
    assert any(d.key == 10 and d.person_id == dewi.pk and d.in_scope and d.person_name
               for d in found)
    assert all(d.key != 11 for d in found)
    assert all(not (d.key == 12 and d.person_id == first.pk) for d in found)  # same NIK: update
    hidden = find_likely_duplicates(rows[:1], actor=users["kabbandung"])
    assert hidden and not hidden[0].in_scope and hidden[0].person_name == ""
    assert find_likely_duplicates([]) == []


def test_cli_prints_a_json_summary(tmp_path, twins, capsys):
    call_command("dedup", "-o", str(tmp_path / "p.csv"))
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["records"] >= 6 and summary["pairs"] >= 1


def test_merge_history_finds_the_alias(client, users, make_pair):
    from sdmkesos.dedup.actions import do_confirm_pair

    pair = make_pair("35.07")
    merge = do_confirm_pair(actor=users["kabmalang"], channel="web", pair=pair)
    client.force_login(users["kabmalang"])
    found = client.get(reverse("dedup:merges"), {"nik": merge.removed_nik}).content.decode()
    assert merge.removed_nik in found and 'id="merge-table"' in found
    none = client.get(reverse("dedup:merges"), {"nik": "3507019999999999"}).content.decode()
    assert 'id="merge-table"' not in none


def test_pair_page_shows_both_records_side_by_side(client, users, make_pair):
    pair = make_pair("35.07", name="Rina Wulandari")
    client.force_login(users["kabmalang"])
    html = client.get(reverse("dedup:pair", args=[pair.pk])).content.decode()
    assert "Rina Wulandari" in html and "Hj. Rina Wulandari, S.Sos" in html
    assert "14-03-1985" in html  # the fixture's birth date, shown as a date
    assert "table-warning" in html  # the names differ
