import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty

from sdmkesos.partnerships import actions
from sdmkesos.partnerships.models import (
    ActionItem,
    Agreement,
    Letter,
    LetterTemplate,
    Meeting,
    PactSignature,
    private_storage,
)

from .conftest import org

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%uji\n"


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.SDMKESOS_PRIVATE_ROOT = str(tmp_path / "private")
    private_storage._wrapped = empty


def test_agreement_flow_through_pages(client, users):
    client.force_login(users["jatim"])
    dinsos = org("DINSOS-35")
    r = client.post(reverse("partnerships:agreement_create"), {
        "kind": "pks", "number": "PKS-JATIM-1", "title": "Kerja sama Jatim dan Poltekesos",
        "scopes": ["education", "research"], "organisation": dinsos.pk,
        "signatory_name": "Pj Gubernur", "signatory_position": "Pj Gubernur Jawa Timur",
        "obligations": "Menyediakan peserta", "start_date": "2024-10-14",
        "end_date": "2029-10-13"})
    assert r.status_code == 302, r.content.decode()[:2000]
    a = Agreement.objects.get(number="PKS-JATIM-1")
    assert a.scopes == ["education", "research"]
    r = client.post(reverse("partnerships:party_add", args=[a.pk]), {
        "organisation": org("POLTEKESOS").pk, "signatory_name": "Direktur"})
    assert r.status_code == 302 and a.parties.count() == 2
    r = client.post(reverse("partnerships:agreement_transition", args=[a.pk]), {
        "action": "sign", "signing_date": "2024-10-14", "end_date": "2029-10-13"})
    a.refresh_from_db()
    assert a.state == "signed"
    client.post(reverse("partnerships:plan_add", args=[a.pk]),
                {"kind": "training_batch", "people": 9000, "budget": "0"})
    client.post(reverse("partnerships:delivery_add", args=[a.pk]), {
        "kind": "training_batch", "title": "Pelatihan relawan angkatan 1", "people": 120,
        "budget": "250000000", "reference_id": "BATCH-1"})
    client.post(reverse("partnerships:funding_add", args=[a.pk]), {
        "source": "apbd", "year": 2025, "amount": "500000000"})
    html = client.get(reverse("partnerships:agreement_detail", args=[a.pk])).content.decode()
    assert "9.000" in html or "9,000" in html
    assert "120" in html and "Pelatihan relawan angkatan 1" in html
    # A bad date order is shown on the field.
    r = client.post(reverse("partnerships:agreement_edit", args=[a.pk]), {
        "kind": "pks", "number": "PKS-JATIM-1", "title": "x", "start_date": "2025-01-01",
        "end_date": "2024-01-01"})
    assert r.status_code == 200 and "Tanggal selesai sebelum tanggal mulai" in r.content.decode()


def test_documents_upload_download_private(client, users, make_agreement):
    a = make_agreement("35")
    client.force_login(users["jatim"])
    r = client.post(reverse("partnerships:document_upload", args=[a.pk]), {
        "doc_type": "naskah", "file": SimpleUploadedFile("mou.pdf", PDF)})
    assert r.status_code == 302
    doc = a.documents.get()
    r = client.get(reverse("partnerships:document_download", args=[doc.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert "attachment" in r["Content-Disposition"]
    r = client.post(reverse("partnerships:document_upload", args=[a.pk]), {
        "doc_type": "naskah", "file": SimpleUploadedFile("mou.pdf", b"<script>")})
    assert r.status_code == 200 and "tidak sesuai" in r.content.decode()
    client.force_login(users["jabar"])
    assert client.get(reverse("partnerships:document_download",
                              args=[doc.pk])).status_code == 404
    # Not under MEDIA_ROOT: no public URL serves it.
    from django.conf import settings

    assert not str(doc.file.path).startswith(str(settings.MEDIA_ROOT))


def test_export_neutralises_formulas(client, users, make_agreement):
    make_agreement("35", title="=HYPERLINK(\"http://x\")", number="+1")
    client.force_login(users["jatim"])
    csv = client.get(reverse("partnerships:agreement_list") + "?format=csv").content.decode()
    assert "'=HYPERLINK" in csv and "'+1" in csv
    r = client.get(reverse("partnerships:agreement_list") + "?format=xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    values = [c.value for c in ws[2]]
    assert values[1] == "'+1" and values[2].startswith("'=")


def test_agreement_filters(client, users, make_agreement):
    make_agreement("35", title="Satu", number="S-1", scopes=["research"])
    make_agreement("35.07", title="Dua", number="S-2", kind="pks")
    client.force_login(users["nasional"])
    url = reverse("partnerships:agreement_list")
    html = client.get(url + "?scope=research").content.decode()
    assert "S-1" in html and "S-2" not in html
    html = client.get(url + "?kind=pks").content.decode()
    assert "S-2" in html and "S-1" not in html
    html = client.get(url + "?region=35.07").content.decode()
    assert "S-2" in html and "S-1" not in html
    html = client.get(url + "?q=Satu").content.decode()
    assert "S-1" in html and "S-2" not in html


def test_meeting_flow_import_resolution_action_letter(client, users):
    client.force_login(users["nasional"])
    r = client.post(reverse("partnerships:meeting_create"), {
        "kind": "rakorbang", "title": "Rakorbang Regional I", "organiser": org("BBPPKS-1").pk,
        "start_date": "2018-04-10", "end_date": "2018-04-12", "venue": "Batam"})
    assert r.status_code == 302
    m = Meeting.objects.get(title="Rakorbang Regional I")
    sheet = ("DAFTAR HADIR RAKORBANG\n\nNo;Nama Peserta;Asal Instansi;Kabupaten/Kota;Jumlah\n"
             "1;Andi;DINSOS-13;Kota Padang;1\n2;;Dinas Sosial Kota Batam;Kota Batam;3\n")
    bad = sheet + "3;Budi;Dinsos X;Kota Antah;1\n"
    r = client.post(reverse("partnerships:participant_import", args=[m.pk]), {
        "file": SimpleUploadedFile("hadir.csv", bad.encode())})
    html = r.content.decode()
    assert r.status_code == 200 and "Kota Antah" in html and m.participants.count() == 0
    r = client.post(reverse("partnerships:participant_import", args=[m.pk]), {
        "file": SimpleUploadedFile("hadir.csv", sheet.encode())})
    assert r.status_code == 302
    assert sum(p.count for p in m.participants.all()) == 4
    r = client.post(reverse("partnerships:session_add", args=[m.pk]), {
        "kind": "fgd", "title": "FGD SDM", "findings": "Sebagian besar SDM bukan peksos"})
    assert r.status_code == 302
    client.post(reverse("partnerships:resolution_add", args=[m.pk]),
                {"text": "STKS bersurat kepada Pemda untuk dukungan anggaran"})
    res = m.resolutions.get()
    r = client.post(reverse("partnerships:action_add", args=[res.pk]), {
        "title": "Surat permohonan dukungan anggaran", "owners": [org("POLTEKESOS").pk],
        "due_date": "2018-06-30"})
    assert r.status_code == 302
    item = ActionItem.objects.get()
    html = client.get(reverse("partnerships:meeting_detail", args=[m.pk])).content.decode()
    assert "FGD SDM" in html and "Surat permohonan" in html and "lewat tenggat" in html
    tpl = LetterTemplate.objects.create(code="T1", name="T", subject="Dukungan",
                                        body="Kepada {penerima}: {kesepakatan}")
    r = client.post(reverse("partnerships:letter_create_for_action", args=[item.pk]), {
        "template": tpl.pk, "sender": org("POLTEKESOS").pk,
        "recipients": [org("DINSOS-13").pk, org("DINSOS-21").pk], "date": "2018-05-01",
        "signatory_name": "Direktur", "signatory_position": "Direktur"})
    assert r.status_code == 302
    letter = Letter.objects.get()
    r = client.get(reverse("partnerships:letter_pdf", args=[letter.pk]))
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    html = client.get(reverse("partnerships:action_detail", args=[item.pk])).content.decode()
    assert letter.number in html
    # Follow-up view groups per owner and per region; export works.
    html = client.get(reverse("partnerships:action_list") + "?group=owner").content.decode()
    assert "Politeknik" in html or "POLTEKESOS" in html
    html = client.get(reverse("partnerships:action_list") + "?status=overdue").content.decode()
    assert "Surat permohonan" in html
    r = client.get(reverse("partnerships:action_list") + "?format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_next_meeting_page_shows_previous_actions(client, users, make_meeting):
    _first, _r, item = make_meeting("35.07", start=dt.date(2018, 4, 10))
    second, _r2, _i = make_meeting("35.07", start=dt.date(2019, 4, 10))
    client.force_login(users["kabmalang"])
    html = client.get(reverse("partnerships:meeting_detail", args=[second.pk])).content.decode()
    assert 'id="previous-actions"' in html and item.title in html


def test_pact_signing_page(client, users, make_person):
    admin, official = users["nasional"], users["kabmalang"]
    client.force_login(admin)
    r = client.post(reverse("partnerships:pact_texts"), {"title": "Pakta Integritas",
                                                         "body": "Saya berjanji jujur."})
    assert r.status_code == 302
    ap = actions.do_create_appointment(actor=admin, channel="web", data={
        "official_name": "Ibu Kabid", "user": official, "position": "Kabid",
        "organisation": org("DINSOS-35.07"), "decree_number": "SK-9",
        "decree_date": dt.date(2020, 1, 1), "appointed_on": dt.date(2020, 1, 21)})
    html = client.get(reverse("partnerships:appointment_list") + "?belum=1").content.decode()
    assert "Ibu Kabid" in html
    url = reverse("partnerships:appointment_sign", args=[ap.pk])
    from sdmkesos.partnerships.models import PactText

    text = PactText.current()
    assert client.post(url, {"agree": "1", "sha256": text.sha256}).status_code == 403
    client.force_login(official)
    html = client.get(reverse("partnerships:appointment_detail", args=[ap.pk])).content.decode()
    assert "Tandatangani secara elektronik" in html
    client.post(url, {"sha256": text.sha256})  # not agreed: nothing signed
    assert not PactSignature.objects.exists()
    client.post(url, {"agree": "1", "sha256": text.sha256})
    sig = PactSignature.objects.get()
    html = client.get(reverse("partnerships:signature_verify", args=[sig.pk])).content.decode()
    assert "Cocok" in html and sig.signature_sha256 in html
    # A read-only official may publish nothing.
    assert client.post(reverse("partnerships:pact_texts"),
                       {"title": "x", "body": "y"}).status_code == 403


def test_notifications_page(client, users):
    actions.notify([users["jatim"]], kind="t", key="k1", title="Perjanjian berakhir")
    client.force_login(users["jatim"])
    html = client.get(reverse("partnerships:dashboard")).content.decode()
    assert "1 notifikasi belum dibaca" in html
    assert "Perjanjian berakhir" in client.get(
        reverse("partnerships:notifications")).content.decode()
    client.post(reverse("partnerships:notifications"))
    assert "belum dibaca" not in client.get(reverse("partnerships:dashboard")).content.decode()


def test_meeting_edit_and_action_responsible_account(client, users, make_meeting):
    meeting, res, _item = make_meeting("35.07", organiser="KEMENSOS")
    client.force_login(users["nasional"])
    r = client.post(reverse("partnerships:meeting_edit", args=[meeting.pk]), {
        "kind": "rakor", "title": "Rakor diubah", "organiser": org("KEMENSOS").pk,
        "start_date": "2018-04-10", "end_date": "2018-04-13", "regions": ["32"]})
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Rakor diubah"
    assert Meeting.objects.restrict(users["jabar"]).filter(pk=meeting.pk).exists()
    r = client.post(reverse("partnerships:action_add", args=[res.pk]), {
        "title": "Aksi baru", "owners": [org("DINSOS-35.07").pk], "responsible_user": "nope"})
    assert r.status_code == 200 and "Akun tidak dikenal" in r.content.decode()
    client.post(reverse("partnerships:action_add", args=[res.pk]), {
        "title": "Aksi baru", "owners": [org("DINSOS-35.07").pk],
        "responsible_user": "kabmalang"})
    assert ActionItem.objects.get(title="Aksi baru").responsible_user == users["kabmalang"]


def test_agreement_responsible_users_field(client, users, make_agreement):
    a = make_agreement("35")
    client.force_login(users["nasional"])
    r = client.post(reverse("partnerships:agreement_edit", args=[a.pk]), {
        "kind": "mou", "number": a.number, "title": a.title,
        "responsible_users": "jatim, nope"})
    assert "nope" in r.content.decode()
    client.post(reverse("partnerships:agreement_edit", args=[a.pk]), {
        "kind": "mou", "number": a.number, "title": a.title, "responsible_users": "jatim"})
    assert list(a.responsible_users.all()) == [users["jatim"]]


def test_upload_too_large_refused_before_reading(client, users, make_agreement, settings):
    a = make_agreement("35")
    client.force_login(users["nasional"])
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (10 * 1024 * 1024))
    r = client.post(reverse("partnerships:document_upload", args=[a.pk]),
                    {"doc_type": "naskah", "file": big})
    assert r.status_code == 200 and "terlalu besar" in r.content.decode()
    assert not a.documents.exists()
