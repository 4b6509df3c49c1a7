"""Competency API: every endpoint for every role, with a person inside and one outside the
role's scope (404 outside; 403 for roles that may not write; reference data for everyone)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sdmkesos.api import api
from sdmkesos.competency import actions
from sdmkesos.competency.models import Assessment, Competency
from tests.api_helpers import BASE, ApiClient

ROLES = ["nasional", "jatim", "kabmalang", "bbppks", "viewer", "pekerja", "jabar", "kabbandung"]
# role → (region of a person inside the scope, region outside); None: own record / nothing.
PLACES = {
    "nasional": ("35.07", None), "jatim": ("35.73", "32.04"), "kabmalang": ("35.07", "35.73"),
    "bbppks": ("13.71", "35.07"), "viewer": ("35.07", "32.04"), "pekerja": (None, "35.07"),
    "jabar": ("32.04", "35.07"), "kabbandung": ("32.04", "32.73"),
}
WRITERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}
COVERED = {
    ("GET", "/competency/groups"), ("GET", "/competency/competencies"),
    ("GET", "/competency/competencies/{code}"), ("POST", "/competency/competencies"),
    ("PATCH", "/competency/competencies/{code}"),
    ("PUT", "/competency/competencies/{code}/levels/{level}"),
    ("GET", "/competency/standards"), ("GET", "/competency/standards/{code}"),
    ("PUT", "/competency/standards/{code}"),
    ("GET", "/competency/persons/{person_id}/assessments"),
    ("POST", "/competency/persons/{person_id}/assessments"),
    ("POST", "/competency/assessments/{assessment_id}/void"),
    ("GET", "/competency/persons/{person_id}/gaps"), ("GET", "/competency/gaps"),
    ("GET", "/competency/gaps/summary"),
}


def put(client: ApiClient, path: str, data: dict) -> object:
    return client.client.put(BASE + path, json.dumps(data), content_type="application/json",
                             headers=client.headers)


def test_every_competency_endpoint_is_covered():
    schema = api.get_openapi_schema(path_prefix="")
    endpoints = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops
                 if p.startswith("/competency")}
    assert endpoints == COVERED


def test_unauthenticated_is_401():
    anonymous = ApiClient()
    for method, path in COVERED:
        url = path.replace("{code}", "M.01").replace("{level}", "1").replace(
            "{person_id}", "1").replace("{assessment_id}", "1")
        response = (put(anonymous, url, {}) if method == "PUT"
                    else anonymous.request(method.lower(), url, {}))
        assert response.status_code == 401, (method, path)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, users, make_person):
    user = users[role]
    client = ApiClient(user)
    inside_region, outside_region = PLACES[role]
    inside = user.person if inside_region is None else make_person(inside_region,
                                                                   category="psm")
    outside = make_person(outside_region, category="psm") if outside_region else None
    admin = role == "nasional"

    for url in ("/competency/groups", "/competency/competencies?type=manajerial",
                "/competency/competencies/M.01", "/competency/standards",
                "/competency/standards/STD-PSM"):
        assert client.get(url).status_code == 200, url
    body = client.get("/competency/competencies/M.01").json()
    assert len(body["levels"]) == 5 and body["levels"][0]["indicators"]

    # Dictionary administration: national administrators only.
    r = client.post("/competency/competencies", {"code": f"X.{role}", "name": "Uji",
                                                 "group": "TEKNIS_PEKSOS"})
    assert r.status_code == (201 if admin else 403), r.content
    r = client.patch("/competency/competencies/M.05", {"definition": "Definisi baru"})
    assert r.status_code == (200 if admin else 403)
    r = put(client, "/competency/competencies/M.05/levels/2",
            {"description": "Baru", "indicators": ["a"]})
    assert r.status_code == (200 if admin else 403)
    r = put(client, f"/competency/standards/STD-{role}",
            {"code": "ignored", "name": "Uji", "category": "psm", "items": {"M.01": 2}})
    assert r.status_code == (200 if admin else 403)

    # Assessments and gaps of a person inside the scope.
    base = f"/competency/persons/{inside.pk}"
    assert client.get(base + "/assessments").status_code == 200
    assert client.get(base + "/gaps").json()["standard"] in ("STD-PSM", "STD-PEKSOS")
    r = client.post(base + "/assessments", {"competency": "RS.01", "level": 2,
                                            "method": "supervisor",
                                            "assessed_on": "2026-01-05"})
    assert r.status_code == (201 if role in WRITERS else 403), r.content
    if role == "pekerja":
        r = client.post(base + "/assessments", {"competency": "M.01", "level": 3,
                                                "method": "self", "assessed_on": "2026-01-05"})
        assert r.status_code == 201
    target = Assessment.objects.filter(person=inside).first() or actions.do_record_assessment(
        actor=users["nasional"], channel="cli", person=inside,
        competency=Competency.objects.get(code="RS.02"), level=1, method="test",
        assessed_on=dt.date(2026, 1, 1))
    r = client.post(f"/competency/assessments/{target.pk}/void", {"reason": "uji"})
    assert r.status_code == (200 if role in WRITERS else 403), r.content

    rows = client.get("/competency/gaps?only_below=false&limit=500").json()["items"]
    ids = {row["person_id"] for row in rows}
    assert inside.pk in ids
    summary = client.get("/competency/gaps/summary?by=category").json()
    assert summary["items"] and summary["by"] == "category"

    if outside is not None:
        other = f"/competency/persons/{outside.pk}"
        assert outside.pk not in ids
        for url in (other + "/assessments", other + "/gaps"):
            assert client.get(url).status_code == 404
        r = client.post(other + "/assessments", {"competency": "RS.01", "level": 2,
                                                 "method": "supervisor",
                                                 "assessed_on": "2026-01-05"})
        assert r.status_code == 404
        hidden = actions.do_record_assessment(
            actor=users["nasional"], channel="cli", person=outside,
            competency=Competency.objects.get(code="RS.01"), level=1, method="test",
            assessed_on=dt.date(2026, 1, 1))
        assert client.post(f"/competency/assessments/{hidden.pk}/void", {}).status_code == 404
        assert not Assessment.objects.get(pk=hidden.pk).voided


def test_who_is_below_standard_and_validation(users, make_person):
    client = ApiClient(users["jatim"])
    low = make_person("35.07", category="psm", name="Di Bawah Standar")
    ok = make_person("35.07", category="psm", name="Sudah Memenuhi")
    for person, level in ((low, 1), (ok, 3)):
        assert client.post(f"/competency/persons/{person.pk}/assessments",
                           {"competency": "RS.01", "level": level, "method": "assessor",
                            "assessed_on": "2026-02-01"}).status_code == 201
    names = {r["person_name"] for r in client.get("/competency/gaps?competency=RS.01").json()[
        "items"]}
    assert "Di Bawah Standar" in names and "Sudah Memenuhi" not in names
    r = client.post(f"/competency/persons/{low.pk}/assessments",
                    {"competency": "NOPE", "level": 9, "method": "assessor",
                     "assessed_on": "2026-02-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "competency"
    r = client.get("/competency/gaps/summary?by=nothing")
    assert r.status_code == 400
