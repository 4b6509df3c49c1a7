"""The partnerships API: behaviour, and a permission matrix over every endpoint under
/partnerships (an in-scope and an out-of-scope record for each role)."""

import datetime as dt

import pytest

from sdmkesos.api import api
from sdmkesos.partnerships import actions
from sdmkesos.partnerships.models import Agreement
from tests.api_helpers import ApiClient

from .conftest import org
from .test_permissions_views import CASES, WRITERS, _records

pytestmark = pytest.mark.django_db


def test_create_sign_deliver_and_read(users):
    c = ApiClient(users["nasional"])
    r = c.post("/partnerships/agreements", {
        "kind": "mou", "number": "MOU-65", "title": "SDM kesos Kaltara",
        "scopes": ["scholarship", "education"],
        "parties": [{"organisation": "KEMENSOS", "signatory_name": "Mensos"},
                    {"name": "Pemerintah Provinsi Kalimantan Utara", "region": "65",
                     "signatory_name": "Gubernur"}]})
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert r.json()["parties"][1]["region"] == "65"
    r = c.post(f"/partnerships/agreements/{aid}/sign",
               {"signing_date": "2020-01-21", "end_date": "2030-01-20"})
    assert r.status_code == 200 and r.json()["state"] == "signed"
    r = c.post(f"/partnerships/agreements/{aid}/deliveries",
               {"kind": "scholarship", "title": "Beasiswa D4", "people": 15})
    assert r.status_code == 201 and r.json()["delivered_people"] == 15
    r = c.get(f"/partnerships/agreements/{aid}")
    assert r.json()["delivery"][0]["kind"] == "scholarship"
    r = c.post("/partnerships/agreements", {"kind": "mou", "number": "MOU-65", "title": "",
                                            "parties": [{"organisation": "NOPE"}]})
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"parties.organisation"}
    r = c.post("/partnerships/agreements", {"kind": "mou", "number": "MOU-65", "title": "",
                                            "parties": [{"organisation": "KEMENSOS"}]})
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"title", "number"}
    # Kaltara's operator sees it; Jatim's does not.
    k = ApiClient(users["nasional"])
    assert k.get("/partnerships/agreements?region=65").json()["count"] == 1
    assert ApiClient(users["jatim"]).get(f"/partnerships/agreements/{aid}").status_code == 404


def test_actions_filter_patch_and_pact_sign(users, make_meeting):
    _m, _r, item = make_meeting("35.07", due=dt.date(2000, 1, 1))
    c = ApiClient(users["kabmalang"])
    r = c.get("/partnerships/actions", {"status": "overdue"})
    assert r.json()["count"] == 1 and r.json()["items"][0]["overdue"] is True
    r = c.patch(f"/partnerships/actions/{item.pk}", {"status": "done"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "evidence"
    r = c.patch(f"/partnerships/actions/{item.pk}",
                {"status": "done", "evidence": "SK", "note": "selesai"})
    assert r.status_code == 200 and r.json()["status"] == "done"
    text = actions.do_publish_pact_text(actor=users["nasional"], channel="api", body="Janji")
    ap = actions.do_create_appointment(actor=users["nasional"], channel="api", data={
        "official_name": "Kabid", "user": users["kabmalang"], "position": "Kabid",
        "organisation": org("DINSOS-35.07"), "decree_number": "1",
        "decree_date": dt.date(2020, 1, 1), "appointed_on": dt.date(2020, 1, 2)})
    assert ApiClient(users["jatim"]).get(
        "/partnerships/appointments", {"unsigned": True}).json()["count"] == 1
    r = ApiClient(users["jatim"]).post(f"/partnerships/appointments/{ap.pk}/sign",
                                       {"sha256": text.sha256})
    assert r.status_code == 403
    r = c.post(f"/partnerships/appointments/{ap.pk}/sign", {"sha256": text.sha256})
    assert r.status_code == 201 and r.json()["verified"] is True
    assert ApiClient(users["jatim"]).get(
        "/partnerships/appointments", {"unsigned": True}).json()["count"] == 0


def _partnership_endpoints():
    schema = api.get_openapi_schema(path_prefix="")
    return sorted((m.upper(), p) for p, ops in schema["paths"].items() for m in ops
                  if p.startswith("/partnerships"))


def _api_records(users, make_agreement, make_meeting, region, label):
    """The page matrix's records, plus what the write endpoints need: a meeting organised by the
    region's Dinas Sosial (with a session and a resolution), a letter for the action item, a
    linked and an unlinked training batch."""
    from sdmkesos.partnerships.models import LetterTemplate

    from .conftest import make_batch

    rec = _records(users, make_agreement, make_meeting, region, label)
    admin = users["nasional"]
    own = actions.do_create_meeting(actor=admin, channel="web", data={
        "title": f"Rakor {label}", "organiser": org(f"DINSOS-{region}"),
        "start_date": dt.date(2024, 2, 1), "end_date": dt.date(2024, 2, 2)})
    session = actions.do_add_session(actor=admin, channel="web", meeting=own,
                                     data={"kind": "fgd", "title": f"FGD {label}"})
    resolution = actions.do_add_resolution(actor=admin, channel="web", meeting=own,
                                           text=f"Kesepakatan {label}")
    letter = actions.do_create_letter(
        actor=admin, channel="web", template=LetterTemplate.objects.first(),
        sender=org(f"DINSOS-{region}"), recipients=[f"Penerima {label}"],
        signatory_name="Kepala", signatory_position="Kepala Dinas", action=rec["action"])
    link = actions.do_link_delivery(actor=admin, channel="web", agreement=rec["agreement"],
                                    target="batch", record=make_batch())
    return {**rec, "own_meeting": own, "session": session, "own_resolution": resolution,
            "letter": letter, "link": link, "free_batch": make_batch()}


def _request(c, method, path, rec):
    ids = {"agreement_id": rec["agreement"].pk, "action_id": rec["action"].pk,
           "meeting_id": rec["meeting"].pk, "appointment_id": rec["appointment"].pk,
           "session_id": rec["session"].pk, "resolution_id": rec["own_resolution"].pk,
           "letter_id": rec["letter"].pk, "link_id": rec["link"].pk}
    if method in ("POST", "PATCH") and path.startswith("/partnerships/meetings/"):
        ids["meeting_id"] = rec["own_meeting"].pk  # writes: the organiser's own meeting
    url = path.format(**ids)
    region = rec["region"]
    bodies = {
        ("POST", "/partnerships/agreements"): {
            "kind": "mou", "number": f"API-{rec['region']}-{rec['label']}", "title": "API",
            "parties": [{"organisation": f"DINSOS-{rec['region']}"}]},
        ("PATCH", "/partnerships/agreements/{agreement_id}"): {"title": "Diubah"},
        ("POST", "/partnerships/agreements/{agreement_id}/sign"): {
            "signing_date": "2024-01-01", "end_date": "2029-01-01"},
        ("POST", "/partnerships/agreements/{agreement_id}/extend"): {
            "new_end_date": "2031-01-01"},
        ("POST", "/partnerships/agreements/{agreement_id}/terminate"): {"reason": "uji"},
        ("POST", "/partnerships/agreements/{agreement_id}/deliveries"): {
            "kind": "training_batch", "title": "Angkatan 1", "people": 3},
        ("POST", "/partnerships/agreements/{agreement_id}/links"): {
            "target": "batch", "record_id": rec["free_batch"].pk},
        ("PATCH", "/partnerships/actions/{action_id}"): {"status": "in_progress"},
        ("POST", "/partnerships/actions/{action_id}/followups"): {"note": "sudah disurati"},
        ("POST", "/partnerships/appointments/{appointment_id}/sign"): {"sha256": "0" * 64},
        ("POST", "/partnerships/meetings"): {
            "title": f"Rakor API {rec['label']}", "organiser": f"DINSOS-{region}",
            "start_date": "2025-03-01", "end_date": "2025-03-02"},
        ("PATCH", "/partnerships/meetings/{meeting_id}"): {"venue": "Aula"},
        ("POST", "/partnerships/meetings/{meeting_id}/sessions"): {
            "kind": "panel", "title": "Panel"},
        ("POST", "/partnerships/meetings/{meeting_id}/participants"): {
            "rows": [{"organisation": f"DINSOS-{region}", "count": 4}]},
        ("POST", "/partnerships/meetings/{meeting_id}/resolutions"): {"text": "Sepakat"},
        ("PATCH", "/partnerships/sessions/{session_id}"): {"findings": "Temuan"},
        ("POST", "/partnerships/resolutions/{resolution_id}/actions"): {
            "title": "Aksi API", "owners": [f"DINSOS-{region}"], "due_date": "2025-12-31"},
        ("POST", "/partnerships/letters"): {
            "template": "DUKUNGAN-ANGGARAN", "sender": f"DINSOS-{region}",
            "recipients": [f"DINSOS-{region}"], "signatory_name": "Kepala",
            "action_id": rec["action"].pk},
    }
    body = bodies.get((method, path))
    if method == "GET":
        return c.get(url)
    if method == "DELETE":
        return c.delete(url)
    return c.post(url, body) if method == "POST" else c.patch(url, body)


LISTS = {"/partnerships/agreements": "Perjanjian", "/partnerships/actions": "Aksi",
         "/partnerships/appointments": "Pejabat", "/partnerships/meetings": "Rakor",
         "/partnerships/letters": "Penerima"}
OWN = {"/partnerships/dashboard", "/partnerships/notifications",
       "/partnerships/letter-templates"}
# Lifecycle steps depend on the state the endpoints before them left (400 is a valid answer).
STATEFUL = ("/sign", "/extend", "/terminate")
# Creating with an organisation outside the caller's scope is refused (403), not hidden.
CREATE = {"/partnerships/agreements", "/partnerships/meetings"}


@pytest.mark.parametrize("role", sorted(CASES))
def test_api_matrix(users, make_agreement, make_meeting, role):
    inside_region, outside_region = CASES[role]
    recs = {}
    for key, region in (("inside", inside_region), ("outside", outside_region)):
        if region:
            rec = _api_records(users, make_agreement, make_meeting, region,
                               "Dalam" if key == "inside" else "Luar")
            recs[key] = {**rec, "region": region, "label": key}
    user = users[role]
    c = ApiClient(user)
    anonymous = ApiClient()
    writer = role in WRITERS
    for method, path in _partnership_endpoints():
        probe = recs.get("inside") or recs.get("outside")
        assert _request(anonymous, method, path, probe).status_code == 401, (method, path)
        if path in LISTS and method == "GET":
            body = c.get(path).content.decode()
            assert "Luar" not in body, path
            continue
        if path in OWN:
            assert c.get(path).status_code == 200
            continue
        if "outside" in recs:
            r = _request(c, method, path, recs["outside"])
            expected = {403, 404} if method != "GET" else {404}
            if path in CREATE and method == "POST":  # with an out-of-scope organisation
                expected = {403}
            assert r.status_code in expected, (role, method, path, r.status_code)
        if "inside" in recs:
            r = _request(c, method, path, recs["inside"])
            if method == "GET":
                assert r.status_code == 200, (role, path)
            elif path.endswith("/appointments/{appointment_id}/sign"):
                assert r.status_code in (400, 403), (role, path)  # not the official / no text
            elif writer:
                ok = {200, 201, 204} | ({400} if path.endswith(STATEFUL) else set())
                assert r.status_code in ok, (role, method, path, r.content)
            else:
                assert r.status_code == 403, (role, method, path, r.status_code)
    if not writer and "inside" in recs:
        assert Agreement.objects.get(pk=recs["inside"]["agreement"].pk).title != "Diubah"


def test_links_must_be_http(users, make_agreement, make_meeting):
    a = make_agreement("35")
    _m, _r, item = make_meeting("35.07")
    c = ApiClient(users["nasional"])
    r = c.post(f"/partnerships/agreements/{a.pk}/deliveries",
               {"kind": "research", "title": "x", "reference_url": "javascript:alert(1)"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "reference_url"
    r = c.patch(f"/partnerships/actions/{item.pk}", {"evidence_url": "javascript:alert(1)"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "evidence_url"
    r = c.patch(f"/partnerships/actions/{item.pk}", {"evidence_url": "https://x.example/b"})
    assert r.status_code == 200
