"""The whole workflow through the API: assessor, application, evidence, event, team,
candidate, results, recommendation, decision (maker-checker), certificate, registrations,
reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sdmkesos.certification.models import Certificate
from tests.api_helpers import as_user

from .conftest import qualify

pytestmark = pytest.mark.django_db


def test_workflow_over_api(users: dict[str, Any], make_person: Any, make_user: Any,
                           signing: Any) -> None:
    jatim = as_user(users["jatim"])
    candidate = qualify(make_person("35.07"))
    assessor_person = make_person("35.78", organisation="DINSOS-35.78")
    assessor_account = make_user("asesor-api", "province_operator", regions=["35"])
    response = jatim.post("/certification/assessors", {
        "person_id": assessor_person.pk, "registration_number": "MET.000.00001.2025",
        "schemes": ["PSG"], "active_from": "2025-01-01", "active_until": "2030-12-31",
        "user_id": assessor_account.pk})
    assert response.status_code == 201, response.json()
    assessor_id = response.json()["id"]
    bad = jatim.post("/certification/assessors", {
        "person_id": make_person("35.07").pk, "registration_number": "MET.X",
        "schemes": ["NOPE"], "active_from": "2025-01-01", "active_until": "2030-12-31"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "schemes"

    response = jatim.post("/certification/applications", {
        "person_id": candidate.pk, "scheme": "PSG", "practice_hours": 1200, "is_member": True,
        "funding": "apbd", "fee": "750000"})
    assert response.status_code == 201, response.json()
    app = response.json()
    assert app["status"] == "eligible" and app["fee"] == "750000"

    upload = jatim.client.post(
        f"/api/v1/certification/applications/{app['id']}/evidence",
        {"kind": "diploma", "file": _file("ijazah.pdf", b"%PDF-1.7 ijazah")},
        headers=jatim.headers)
    assert upload.status_code == 201, upload.json()
    rejected = jatim.client.post(
        f"/api/v1/certification/applications/{app['id']}/evidence",
        {"kind": "diploma", "file": _file("ijazah.pdf", b"<script>")}, headers=jatim.headers)
    assert rejected.status_code == 400 and rejected.json()["code"] == "evidence_content"

    event = jatim.post("/certification/events", {
        "scheme": "PSG", "title": "Uji Kompetensi PSG Malang", "date": "2026-03-10",
        "place": "UPT Malang", "organisation": "DINSOS-35"}).json()
    assert jatim.post(f"/certification/events/{event['id']}/assessors",
                      {"assessor_id": assessor_id, "is_lead": True}).status_code == 200
    assert jatim.post(f"/certification/events/{event['id']}/candidates",
                      {"application_id": app["id"]}).status_code == 200

    assessor_api = as_user(assessor_account)
    for unit in ["PSG.01", "PSG.02", "PSG.03", "PSG.04", "PSG.05"]:
        r = assessor_api.post(f"/certification/applications/{app['id']}/results", {
            "unit": unit, "method": "portfolio", "verdict": "K", "assessor_id": assessor_id})
        assert r.status_code == 200, r.json()
    r = assessor_api.post(f"/certification/applications/{app['id']}/recommendation",
                          {"verdict": "K"})
    assert r.status_code == 200 and r.json()["status"] == "recommended"
    own = assessor_api.post(f"/certification/applications/{app['id']}/decision",
                            {"verdict": "K"})
    assert own.status_code == 400 and own.json()["code"] == "maker_checker"
    decided = jatim.post(f"/certification/applications/{app['id']}/decision", {"verdict": "K"})
    assert decided.status_code == 200, decided.json()
    cert = decided.json()["certificate"]
    assert cert["scheme"] == "PSG" and cert["state"] == "active"

    public = as_user(None).get(f"/certification/verify/{cert['public_id']}").json()
    assert public["verified"] is True

    r = jatim.post("/certification/registrations", {
        "person_id": candidate.pk, "kind": "str", "number": "STR-IPSPI-0001",
        "issued_by": "IPSPI", "valid_from": "2026-04-01", "valid_until": "2031-03-31"})
    assert r.status_code == 201 and r.json()["certificate_id"] == cert["id"]

    share = jatim.get("/certification/reports/certified-share").json()
    row = next(x for x in share if x["region"] == "35" and x["category"] == "pekerja_sosial")
    assert row["certified"] >= 1 and 0 < row["share"] <= 100
    workload = jatim.get("/certification/reports/assessor-workload").json()
    assert any(w["registration_number"] == "MET.000.00001.2025" and w["candidates"] == 1
               for w in workload)
    Certificate.objects.filter(pk=cert["id"]).update(
        valid_until=dt.date.today() + dt.timedelta(days=20))
    expiring = jatim.get("/certification/reports/expiring").json()
    assert [c["id"] for c in expiring] == [cert["id"]]
    assert as_user(users["jabar"]).get("/certification/reports/expiring").json() == []


def _file(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_read_only_roles_cannot_write(users: dict[str, Any], make_person: Any,
                                      signing: Any) -> None:
    person = qualify(make_person("35.07"))
    for role in ("viewer", "bbppks"):
        r = as_user(users[role]).post("/certification/applications",
                                      {"person_id": person.pk, "scheme": "PSG"})
        assert r.status_code in (403, 404)
    assert as_user(None).get("/certification/applications").status_code == 401
