"""API writes for coordination meetings (meeting, sessions, participants, resolutions, action
items, follow-up) and letters (many recipients, logged on the action item, PDF), with the
permission checks of in-scope and out-of-scope users; the letterhead logo."""

import datetime as dt
import re
import zlib

import pytest

from sdmkesos.core.models import AuditEvent
from sdmkesos.partnerships import actions
from sdmkesos.partnerships.models import ActionItem, LetterTemplate, Meeting
from sdmkesos.partnerships.pdf import letter_pdf
from tests.api_helpers import ApiClient

from .conftest import org

pytestmark = pytest.mark.django_db


def test_meeting_to_action_to_letter_flow(users):
    jatim = ApiClient(users["jatim"])
    r = jatim.post("/partnerships/meetings", {
        "kind": "rakorbang", "title": "Rakorbang Jawa Timur 2025", "organiser": "DINSOS-35",
        "start_date": "2025-03-10", "end_date": "2025-03-12", "venue": "Surabaya",
        "venue_region": "35", "regions": ["35.07", "35.73"]})
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    meeting = Meeting.objects.get(pk=mid)
    assert set(meeting.coverage.values_list("region_id", flat=True)) >= {"35", "35.07", "35.73"}
    r = jatim.patch(f"/partnerships/meetings/{mid}", {"venue": "Hotel Bumi Surabaya"})
    assert r.status_code == 200 and r.json()["venue"] == "Hotel Bumi Surabaya"
    r = jatim.post(f"/partnerships/meetings/{mid}/sessions",
                   {"kind": "fgd", "title": "FGD anggaran", "facilitator": "Bappeda"})
    assert r.status_code == 201
    sid = r.json()["id"]
    r = jatim.patch(f"/partnerships/sessions/{sid}", {"findings": "Anggaran diklat minim."})
    assert r.status_code == 200 and r.json()["findings"] == "Anggaran diklat minim."
    r = jatim.post(f"/partnerships/meetings/{mid}/participants", {"rows": [
        {"organisation": "DINSOS-35.07", "count": 12},
        {"name": "Budi", "position": "Kabid", "organisation": "DINSOS-35.73"}]})
    assert r.status_code == 201 and r.json()["participants"] == 13
    r = jatim.post(f"/partnerships/meetings/{mid}/resolutions",
                   {"text": "Kab/kota menganggarkan diklat SDM kesos.", "session_id": sid})
    assert r.status_code == 201 and r.json()["number"] == 1
    rid = r.json()["id"]
    r = jatim.post(f"/partnerships/resolutions/{rid}/actions", {
        "title": "Usulan anggaran diklat 2026", "owners": ["DINSOS-35.07", "DINSOS-35.73"],
        "responsible": "Kabid Rehsos", "responsible_user": "kabmalang",
        "due_date": "2025-09-30"})
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert {o["organisation"] for o in r.json()["owners"]} == {"DINSOS-35.07", "DINSOS-35.73"}
    assert ActionItem.objects.get(pk=aid).responsible_user == users["kabmalang"]
    # The owner (Kab. Malang) reports progress; done needs evidence.
    malang = ApiClient(users["kabmalang"])
    r = malang.post(f"/partnerships/actions/{aid}/followups", {"note": "Dibahas dengan TAPD"})
    assert r.status_code == 201 and r.json()["followups"][0]["text"] == "Dibahas dengan TAPD"
    r = malang.patch(f"/partnerships/actions/{aid}", {"status": "done"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "evidence"
    r = malang.patch(f"/partnerships/actions/{aid}", {
        "status": "done", "evidence_url": "https://jdih.malangkab.go.id/apbd-2026",
        "note": "Masuk APBD 2026"})
    assert r.status_code == 200 and r.json()["status"] == "done"
    detail = malang.get(f"/partnerships/actions/{aid}").json()
    assert detail["completed_on"] is not None
    assert [f["status_to"] for f in detail["followups"]] == ["done", ""]
    # A letter to many organisations, logged against the action item.
    r = jatim.post("/partnerships/letters", {
        "template": "DUKUNGAN-ANGGARAN", "sender": "DINSOS-35",
        "recipients": ["DINSOS-35.07", "DINSOS-35.73"],
        "recipient_names": ["Bupati Malang"], "signatory_name": "Kepala Dinas",
        "signatory_position": "Kepala Dinas Sosial Provinsi", "date": "2025-04-01",
        "action_id": aid})
    assert r.status_code == 201, r.content
    letter = r.json()
    assert len(letter["recipients"]) == 3 and letter["action_id"] == aid
    assert AuditEvent.objects.filter(action="letter.sent", object_id=str(aid)).exists()
    assert malang.get(f"/partnerships/actions/{aid}").json()["letters"] == [letter["id"]]
    assert malang.get("/partnerships/letters", {"action_id": aid}).json()["count"] == 1
    pdf = malang.get(letter["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and b"/Count 3" in pdf.content
    # Every write was audited through the actions (api channel).
    assert AuditEvent.objects.filter(channel="api", object_id=str(mid)).count() >= 5


def test_meeting_writes_are_scoped(users):
    admin = users["nasional"]
    meeting = actions.do_create_meeting(actor=admin, channel="web", data={
        "title": "Rakor Jabar", "organiser": org("DINSOS-32"),
        "start_date": dt.date(2025, 1, 1), "end_date": dt.date(2025, 1, 2)})
    res = actions.do_add_resolution(actor=admin, channel="web", meeting=meeting, text="Sepakat")
    session = actions.do_add_session(actor=admin, channel="web", meeting=meeting,
                                     data={"kind": "panel", "title": "Panel"})
    jatim, viewer = ApiClient(users["jatim"]), ApiClient(users["viewer"])
    # Outside the province operator's scope: not revealed.
    assert jatim.patch(f"/partnerships/meetings/{meeting.pk}", {"venue": "x"}).status_code == 404
    assert jatim.post(f"/partnerships/meetings/{meeting.pk}/resolutions",
                      {"text": "x"}).status_code == 404
    assert jatim.patch(f"/partnerships/sessions/{session.pk}",
                       {"findings": "x"}).status_code == 404
    assert jatim.post(f"/partnerships/resolutions/{res.pk}/actions",
                      {"title": "x", "owners": ["DINSOS-35"]}).status_code == 404
    # Creating a meeting for another province's organiser is refused.
    r = jatim.post("/partnerships/meetings", {"title": "x", "organiser": "DINSOS-32",
                                              "start_date": "2025-01-01",
                                              "end_date": "2025-01-01"})
    assert r.status_code == 403
    # Read-only role in scope: refused.
    r = viewer.post("/partnerships/meetings", {"title": "x", "organiser": "DINSOS-35",
                                               "start_date": "2025-01-01",
                                               "end_date": "2025-01-01"})
    assert r.status_code == 403
    # Validation: dates, unknown organiser, kind.
    r = jatim.post("/partnerships/meetings", {"title": "x", "organiser": "DINSOS-35",
                                              "start_date": "2025-02-01",
                                              "end_date": "2025-01-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "end_date"
    r = jatim.post("/partnerships/meetings", {"title": "x", "organiser": "NOPE",
                                              "start_date": "2025-01-01",
                                              "end_date": "2025-01-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "organiser"
    r = jatim.post("/partnerships/meetings", {"kind": "pesta", "title": "x",
                                              "organiser": "DINSOS-35",
                                              "start_date": "2025-01-01",
                                              "end_date": "2025-01-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "kind"
    assert Meeting.objects.count() == 1


def test_covered_region_sees_but_cannot_change_the_meeting(users):
    """A district covered by a province's meeting sees it; only the organiser's side changes
    it; owners change their own action items."""
    admin = users["nasional"]
    meeting = actions.do_create_meeting(actor=admin, channel="web", data={
        "title": "Rakor Jatim", "organiser": org("DINSOS-35"),
        "start_date": dt.date(2025, 1, 1), "end_date": dt.date(2025, 1, 2)})
    res = actions.do_add_resolution(actor=admin, channel="web", meeting=meeting, text="Sepakat")
    item = actions.do_create_action(actor=admin, channel="web", resolution=res,
                                    data={"title": "Aksi"}, owners=[org("DINSOS-35.07")])
    malang = ApiClient(users["kabmalang"])
    assert malang.get(f"/partnerships/meetings/{meeting.pk}").status_code == 200
    assert malang.patch(f"/partnerships/meetings/{meeting.pk}",
                        {"venue": "x"}).status_code == 403
    assert malang.post(f"/partnerships/resolutions/{res.pk}/actions",
                       {"title": "x", "owners": ["DINSOS-35.07"]}).status_code == 403
    assert malang.patch(f"/partnerships/actions/{item.pk}",
                        {"status": "in_progress"}).status_code == 200
    # Owners cannot hand the item to an organisation outside their scope.
    r = malang.patch(f"/partnerships/actions/{item.pk}", {"owners": ["DINSOS-32"]})
    assert r.status_code == 403
    assert list(item.owners.values_list("organisation__code", flat=True)) == ["DINSOS-35.07"]


def test_letter_api_scope(users, make_meeting):
    _m, _r, item = make_meeting("35.07")
    jabar = ApiClient(users["jabar"])
    body = {"template": "DUKUNGAN-ANGGARAN", "sender": "DINSOS-32",
            "recipients": ["DINSOS-32.04"], "signatory_name": "Kepala"}
    # Logging against an action item outside the scope: not revealed.
    assert jabar.post("/partnerships/letters", {**body, "action_id": item.pk}
                      ).status_code == 404
    r = jabar.post("/partnerships/letters", body)
    assert r.status_code == 201
    lid = r.json()["id"]
    # The sender's region sees it; another province does not.
    assert jabar.get(f"/partnerships/letters/{lid}/pdf").status_code == 200
    jatim = ApiClient(users["jatim"])
    assert jatim.get(f"/partnerships/letters/{lid}").status_code == 404
    assert jatim.get(f"/partnerships/letters/{lid}/pdf").status_code == 404
    assert jatim.get("/partnerships/letters").json()["count"] == 0
    # Sending in another organisation's name is refused; read-only roles cannot send.
    r = jatim.post("/partnerships/letters", body)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "sender"
    r = ApiClient(users["viewer"]).post("/partnerships/letters", {**body, "sender": "DINSOS-35"})
    assert r.status_code == 403
    r = jabar.post("/partnerships/letters", {**body, "template": "NOPE"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "template"
    assert [t["code"] for t in jabar.get("/partnerships/letter-templates").json()] == [
        "DUKUNGAN-ANGGARAN"]


# --- letterhead --------------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    """The text drawn by the content streams (fpdf2 deflates them)."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            out.append(raw.decode("latin-1"))
    return "\n".join(out)


@pytest.fixture
def letter(users):
    return actions.do_create_letter(
        actor=users["nasional"], channel="web",
        template=LetterTemplate.objects.get(code="DUKUNGAN-ANGGARAN"),
        sender=org("DINSOS-35"), recipients=["Bupati Malang"], signatory_name="Kepala",
        signatory_position="Kepala Dinas", date=dt.date(2025, 4, 1))


def test_letter_pdf_without_logo(settings, letter):
    settings.SDMKESOS_ISSUER_LOGO = ""
    settings.SDMKESOS_ISSUER_NAME = None  # not configured: the default issuer is not printed
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF-") and b"/Subtype /Image" not in pdf
    text = _pdf_text(pdf)
    assert "DINAS SOSIAL" in text.upper() and "LEMBAGA SERTIFIKASI" not in text


def test_letter_pdf_with_configured_logo_and_issuer(settings, tmp_path, letter):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 60), (200, 30, 30)).save(logo)
    settings.SDMKESOS_ISSUER_LOGO = str(logo)
    settings.SDMKESOS_ISSUER_NAME = "Kementerian Sosial Republik Indonesia"
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF-") and b"/Subtype /Image" in pdf
    assert "KEMENTERIAN SOSIAL REPUBLIK INDONESIA" in _pdf_text(pdf)
    # A missing or unreadable logo file does not stop the letter.
    broken = tmp_path / "rusak.png"
    broken.write_bytes(b"not an image")
    settings.SDMKESOS_ISSUER_LOGO = str(broken)
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF-") and b"/Subtype /Image" not in pdf
    settings.SDMKESOS_ISSUER_LOGO = str(tmp_path / "tidak-ada.png")
    assert letter_pdf(letter).startswith(b"%PDF-")
