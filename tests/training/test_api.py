"""Training API: every endpoint for every role — the catalogue for everyone, writes only for
the organiser's managers, nominations only for people in scope (404 outside), conflicts 409."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sdmkesos.api import api
from sdmkesos.training import actions
from sdmkesos.training.models import Nomination
from tests.api_helpers import BASE, ApiClient

from . import factories as f

D = dt.date
ROLES = ["nasional", "jatim", "kabmalang", "bbppks", "viewer", "pekerja", "jabar", "kabbandung"]
# role → (an organisation it manages or None, an organisation it does not manage or None)
ORGS = {
    "nasional": ("UPT-PTKS-MALANG", None), "jatim": ("UPT-PTKS-MALANG", "DINSOS-32.04"),
    "kabmalang": ("DINSOS-35.07", "UPT-PTKS-MALANG"), "bbppks": ("BBPPKS-1", "UPT-PTKS-MALANG"),
    "viewer": (None, "UPT-PTKS-MALANG"), "pekerja": (None, "UPT-PTKS-MALANG"),
    "jabar": ("DINSOS-32", "UPT-PTKS-MALANG"), "kabbandung": ("DINSOS-32.04", "DINSOS-32"),
}
# role → (region of a person inside its scope (None: own record), region outside)
PEOPLE = {
    "nasional": ("35.07", None), "jatim": ("35.73", "32.04"), "kabmalang": ("35.07", "35.73"),
    "bbppks": ("13.71", "35.07"), "viewer": ("35.07", "32.04"), "pekerja": (None, "35.07"),
    "jabar": ("32.04", "35.07"), "kabbandung": ("32.04", "32.73"),
}
WRITERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}
COVERED = {
    ("GET", "/training/programmes"), ("GET", "/training/programmes/{code}"),
    ("PUT", "/training/programmes/{code}"), ("GET", "/training/venues"),
    ("POST", "/training/venues"), ("GET", "/training/trainers"), ("POST", "/training/trainers"),
    ("POST", "/training/trainers/{trainer_id}/availability"), ("GET", "/training/batches"),
    ("POST", "/training/batches"), ("GET", "/training/batches/{batch_id}"),
    ("PATCH", "/training/batches/{batch_id}"), ("POST", "/training/batches/{batch_id}/sessions"),
    ("POST", "/training/batches/{batch_id}/trainers"),
    ("GET", "/training/batches/{batch_id}/nominations"),
    ("POST", "/training/batches/{batch_id}/nominations"),
    ("POST", "/training/sessions/{session_id}/attendance"),
    ("POST", "/training/nominations/{nomination_id}/decision"),
    ("POST", "/training/nominations/{nomination_id}/enrol"),
    ("POST", "/training/nominations/{nomination_id}/withdraw"),
    ("POST", "/training/nominations/{nomination_id}/scores"),
    ("POST", "/training/nominations/{nomination_id}/complete"),
    ("POST", "/training/nominations/{nomination_id}/feedback"), ("GET", "/training/gaps"),
    ("GET", "/training/schemes"), ("GET", "/training/schemes/{scheme_id}/scholars"),
    ("GET", "/training/placements"),
}


def put(client, path, data):
    return client.client.put(BASE + path, json.dumps(data), content_type="application/json",
                             headers=client.headers)


def programme_body(provider, **extra):
    return {"code": "ignored", "name": "Bimtek Uji", "type": "teknis", "jp": 24, "days": 3,
            "provider": provider, "competencies": {"RS.02": 3}, **extra}


def batch_body(programme, start="2026-08-03", end="2026-08-05", **extra):
    return {"programme": programme, "start_date": start, "end_date": end, "capacity": 20,
            "status": "dibuka", **extra}


def test_every_training_endpoint_is_covered():
    schema = api.get_openapi_schema(path_prefix="")
    endpoints = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops
                 if p.startswith("/training")}
    assert endpoints == COVERED


def test_unauthenticated_is_401():
    anonymous = ApiClient()
    for method, path in COVERED:
        url = (path.replace("{code}", "X").replace("{trainer_id}", "1")
               .replace("{batch_id}", "1").replace("{session_id}", "1")
               .replace("{nomination_id}", "1").replace("{scheme_id}", "1"))
        response = (put(anonymous, url, {}) if method == "PUT"
                    else anonymous.request(method.lower(), url, {}))
        assert response.status_code == 401, (method, path)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, users, make_person):
    user = users[role]
    client = ApiClient(user)
    own_org, foreign_org = ORGS[role]
    nasional = users["nasional"]
    # A catalogue batch run by the UPT (Kota Malang), open to anyone.
    shared_prog = f.programme(nasional, code="UMUM", categories=())
    shared = f.batch(nasional, shared_prog, capacity=10)
    session = actions.do_add_session(actor=nasional, channel="cli", batch=shared,
                                     date=D(2026, 7, 6))

    for url in ("/training/programmes", "/training/programmes/UMUM", "/training/venues",
                "/training/trainers", "/training/batches", f"/training/batches/{shared.pk}"):
        assert client.get(url).status_code == 200, url
    assert client.get("/training/batches?programme=UMUM").json()["count"] == 1

    # Writes on rows of an organisation the role manages ...
    if own_org:
        r = put(client, f"/training/programmes/P-{role}", programme_body(own_org))
        assert r.status_code == 200, r.content
        assert client.post("/training/venues", {"name": "Aula", "region": "35.07",
                                                "capacity": 40, "organisation": own_org}
                           ).status_code == 201
        r = client.post("/training/trainers", {"name": "Pengajar", "kind": "widyaiswara",
                                               "organisation": own_org})
        assert r.status_code == 201
        trainer_id = r.json()["id"]
        assert client.post(f"/training/trainers/{trainer_id}/availability",
                           {"start_date": "2026-01-01", "end_date": "2026-12-31"}
                           ).status_code == 201
        r = client.post("/training/batches", batch_body(f"P-{role}"))
        assert r.status_code == 201, r.content
        own_batch = r.json()["id"]
        assert client.patch(f"/training/batches/{own_batch}", {"capacity": 25}).status_code == 200
        assert client.post(f"/training/batches/{own_batch}/sessions",
                           {"date": "2026-08-04", "topic": "Pembukaan"}).status_code == 201
        assert client.post(f"/training/batches/{own_batch}/trainers",
                           {"trainer": trainer_id}).status_code == 201
    # ... and refused on rows of one it does not.
    if foreign_org:
        r = put(client, f"/training/programmes/Q-{role}", programme_body(foreign_org))
        assert r.status_code == 403 and r.json()["code"] == "not_manager"
        assert client.post("/training/venues", {"name": "Aula", "region": "35.07",
                                                "capacity": 40, "organisation": foreign_org}
                           ).status_code == 403
    if role != "nasional" and role != "jatim":
        assert client.post("/training/batches", batch_body("UMUM", start="2026-09-01",
                                                           end="2026-09-02")).status_code == 403
        assert client.patch(f"/training/batches/{shared.pk}", {"capacity": 5}).status_code == 403
        assert client.post(f"/training/batches/{shared.pk}/sessions",
                           {"date": "2026-07-07"}).status_code == 403

    # Nominations: people inside the scope only.
    inside_region, outside_region = PEOPLE[role]
    inside = user.person if inside_region is None else make_person(inside_region)
    r = client.post(f"/training/batches/{shared.pk}/nominations", {"person_id": inside.pk})
    assert r.status_code == (201 if role in WRITERS else 403), r.content
    nomination = Nomination.objects.filter(batch=shared, person=inside).first()
    if nomination is None:
        nomination = actions.do_nominate(actor=nasional, channel="cli", batch=shared,
                                         person=inside)
    listed = {n["person_id"] for n in client.get(
        f"/training/batches/{shared.pk}/nominations").json()["items"]}
    assert inside.pk in listed
    if outside_region:
        outside = make_person(outside_region)
        r = client.post(f"/training/batches/{shared.pk}/nominations", {"person_id": outside.pk})
        assert r.status_code == 404
        hidden = actions.do_nominate(actor=nasional, channel="cli", batch=shared, person=outside)
        manages = role == "jatim"  # the UPT's managers see every participant
        listed = {n["person_id"] for n in client.get(
            f"/training/batches/{shared.pk}/nominations").json()["items"]}
        assert (outside.pk in listed) is manages
        r = client.post(f"/training/nominations/{hidden.pk}/decision", {"approve": True})
        assert r.status_code == (200 if manages else 404)

    # Organiser steps on the shared batch: its managers only (others see their own nominee).
    manager = role in ("nasional", "jatim")
    base = f"/training/nominations/{nomination.pk}"
    r = client.post(base + "/decision", {"approve": True})
    assert r.status_code == (200 if manager else 403), r.content
    if not manager:
        actions.do_decide_nomination(actor=nasional, channel="cli", nomination=nomination,
                                     approve=True)
    r = client.post(base + "/enrol")
    assert r.status_code == (200 if manager else 403)
    if not manager:
        actions.do_enrol(actor=nasional, channel="cli", nomination=nomination)
    r = client.post(f"/training/sessions/{session.pk}/attendance",
                    {"statuses": {str(nomination.pk): "hadir"}})
    assert r.status_code == (200 if manager else 403), r.content
    r = client.post(base + "/scores", {"pre_test": 40, "post_test": 80})
    assert r.status_code == (200 if manager else 403)
    r = client.post(base + "/complete", {"passed": True, "completed_on": "2026-07-10"})
    assert r.status_code == (200 if manager else 403)
    if not manager:
        actions.do_complete(actor=nasional, channel="cli", nomination=nomination, passed=True)
    r = client.post(base + "/feedback", {"rating": 4})
    assert r.status_code == (201 if manager or role == "pekerja" else 403), r.content
    r = client.post(base + "/withdraw", {"note": "x"})
    assert r.status_code in (400, 403)  # completed: nothing to withdraw, or not allowed

    assert client.get("/training/gaps").status_code == 200


def test_conflicts_are_409(users, make_person):
    client = ApiClient(users["jatim"])
    assert put(client, "/training/programmes/PDPS",
               programme_body("UPT-PTKS-MALANG", eligible_categories=["psm"])).status_code == 200
    a = client.post("/training/batches", batch_body("PDPS", capacity=1,
                                                    allow_waitlist=False)).json()
    b = client.post("/training/batches", batch_body("PDPS", start="2026-08-05",
                                                    end="2026-08-07")).json()
    t = client.post("/training/trainers", {"name": "Bu Widya", "kind": "widyaiswara",
                                           "organisation": "UPT-PTKS-MALANG"}).json()
    assert client.post(f"/training/batches/{a['id']}/trainers", {"trainer": t["id"]}
                       ).status_code == 201
    r = client.post(f"/training/batches/{b['id']}/trainers", {"trainer": t["id"]})
    assert r.status_code == 409 and r.json()["code"] == "trainer_double_booked"
    assert "Bu Widya" in r.json()["message"]
    tagana = make_person("35.07", category="tagana")
    r = client.post(f"/training/batches/{a['id']}/nominations", {"person_id": tagana.pk})
    assert r.status_code == 400 and r.json()["code"] == "ineligible_nominee"
    p1, p2 = make_person("35.07", category="psm"), make_person("35.07", category="psm")
    ids = []
    for p in (p1, p2):
        n = client.post(f"/training/batches/{a['id']}/nominations", {"person_id": p.pk}).json()
        client.post(f"/training/nominations/{n['id']}/decision", {"approve": True})
        ids.append(n["id"])
    assert client.post(f"/training/nominations/{ids[0]}/enrol").json()["status"] == "terdaftar"
    r = client.post(f"/training/nominations/{ids[1]}/enrol")
    assert r.status_code == 409 and r.json()["code"] == "batch_full"
    r = client.post(f"/training/batches/{b['id']}/nominations", {"person_id": p1.pk})
    assert r.status_code == 409 and r.json()["code"] == "participant_overlap"
    r = client.patch(f"/training/batches/{a['id']}", {"end_date": "2026-07-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "end_date"


@pytest.mark.parametrize("role", ROLES)
def test_scholarships_and_placements_scoped(role, users, make_person):
    from sdmkesos.core.models import Organisation

    admin = users["nasional"]
    poltek = Organisation.objects.get(code="POLTEKESOS")
    scheme = actions.do_save_scheme(actor=admin, channel="cli", data={
        "name": "Beasiswa D4", "degree": "d4", "institution": poltek,
        "study_programme": "Pekerjaan Sosial", "sponsor": "Kemensos", "intake_year": 2026,
        "quota": 5, "organisation": poltek})
    inside_region, outside_region = PEOPLE[role]
    user = users[role]
    inside = user.person if inside_region is None else make_person(inside_region)
    actions.do_add_scholar(actor=admin, channel="cli", scheme=scheme, person=inside)
    outside = None
    if outside_region:
        outside = make_person(outside_region)
        actions.do_add_scholar(actor=admin, channel="cli", scheme=scheme, person=outside)
    placement = actions.do_save_placement(actor=admin, channel="cli", data={
        "student_name": "Mahasiswa", "institution": poltek,
        "host": Organisation.objects.get(code="DINSOS-35.07"), "start_date": D(2026, 8, 1),
        "end_date": D(2026, 8, 30)})
    client = ApiClient(user)
    assert client.get("/training/schemes").json()["count"] == 1
    ids = {s["person_id"] for s in client.get(
        f"/training/schemes/{scheme.pk}/scholars").json()["items"]}
    assert inside.pk in ids
    if outside is not None:
        assert outside.pk not in ids
    placements = {p["id"] for p in client.get("/training/placements").json()["items"]}
    sees = role in ("nasional", "jatim", "kabmalang", "viewer")
    assert (placement.pk in placements) is sees
