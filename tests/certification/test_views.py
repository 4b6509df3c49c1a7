"""Staff pages: status changes through the web, PDF certificate, evidence download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sdmkesos.certification import actions, pdf
from sdmkesos.certification.models import Certificate

pytestmark = pytest.mark.django_db


def test_web_status_change_needs_reason(client: Client, users: dict[str, Any],
                                        certify: Callable[..., Certificate]) -> None:
    cert = certify()
    client.force_login(users["kabmalang"])
    url = f"/sertifikasi/sertifikat/{cert.pk}/suspend"
    client.post(url, {"reason": ""})
    cert.refresh_from_db()
    assert cert.status == "active"
    client.post(url, {"reason": "pemeriksaan"})
    cert.refresh_from_db()
    assert cert.status == "suspended"
    page = client.get(f"/sertifikasi/sertifikat/{cert.pk}/").content.decode()
    assert "certificate.suspend" in page and "pemeriksaan" in page


def test_pdf_has_text_and_qr(certify: Callable[..., Certificate]) -> None:
    cert = certify()
    data = pdf.render(cert)
    assert data.startswith(b"%PDF-") and len(data) > 5000
    assert b"/Subtype /Image" in data and b"DejaVu" in data


def test_evidence_download_is_scoped(client: Client, users: dict[str, Any],
                                     make_person: Any, admin: Any, psg: Any,
                                     signing: Any) -> None:
    app = actions.do_submit_application(actor=admin, channel="web", person=make_person("35.07"),
                                        scheme=psg)
    item = actions.do_add_evidence(actor=admin, channel="web", application=app, kind="diploma",
                                   name="ijazah.pdf", content=b"%PDF-1.4 x")
    client.force_login(users["kabmalang"])
    response = client.get(f"/sertifikasi/bukti/{item.pk}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"  # type: ignore[attr-defined]
    assert client.get(f"/sertifikasi/permohonan/{app.pk}/").status_code == 200
    client.force_login(users["jabar"])
    assert client.get(f"/sertifikasi/bukti/{item.pk}").status_code == 404
    assert client.get(f"/sertifikasi/permohonan/{app.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/sertifikasi/bukti/{item.pk}").status_code == 302


def test_whole_flow_through_web_forms(client: Client, users: dict[str, Any], make_person: Any,
                                      make_user: Any, make_assessor: Any, psg: Any,
                                      signing: Any) -> None:
    from sdmkesos.certification.models import Application, AssessmentEvent

    from .conftest import qualify

    candidate = qualify(make_person("35.07"))
    assessor_account = make_user("asesor-web", "province_operator", regions=["35"])
    assessor = make_assessor("35.78", organisation="DINSOS-35.78", user=assessor_account)
    client.force_login(users["jatim"])
    assert client.get(f"/sertifikasi/permohonan/baru/?nik={candidate.nik}").status_code == 200
    response = client.post(f"/sertifikasi/permohonan/baru/?person={candidate.pk}", {
        "scheme": "PSG", "route": "nominated", "practice_hours": "1200", "is_member": "on",
        "funding": "apbd", "fee": "0", "trainings": "", "supervisor_nik": ""})
    assert response.status_code == 302
    app = Application.objects.get(person=candidate)
    assert app.status == "eligible"
    again = client.post(f"/sertifikasi/permohonan/baru/?person={candidate.pk}", {
        "scheme": "PSG", "route": "nominated", "practice_hours": "1200", "funding": "apbd",
        "fee": "0"})
    assert again.status_code == 200 and "Sudah ada permohonan aktif" in again.content.decode()

    response = client.post("/sertifikasi/uji/", {
        "scheme": "PSG", "title": "Uji PSG", "date": "2026-03-02", "place": "UPT Malang",
        "organisation": "DINSOS-35"})
    event = AssessmentEvent.objects.get(title="Uji PSG")
    assert response.status_code == 302
    url = f"/sertifikasi/uji/{event.pk}/"
    assert client.post(url, {"step": "assign", "as-assessor": assessor.pk,
                             "as-is_lead": "on"}).status_code == 302
    assert client.post(url, {"step": "candidate", "ca-application": app.pk}).status_code == 302
    client.force_login(assessor_account)
    for unit in psg.units.all():
        r = client.post(url, {"step": "result", "re-application": app.pk, "re-unit": unit.code,
                              "re-method": "portfolio", "re-verdict": "K",
                              "re-assessor": assessor.pk})
        assert r.status_code == 302
    app_url = f"/sertifikasi/permohonan/{app.pk}/"
    assert client.post(app_url, {"step": "recommend", "vd-verdict": "K"}).status_code == 302
    refused = client.post(app_url, {"step": "decide", "vd-verdict": "K"})
    assert refused.status_code == 200 and "tidak boleh" in refused.content.decode()
    client.force_login(users["jatim"])
    decided = client.post(app_url, {"step": "decide", "vd-verdict": "K"})
    assert decided.status_code == 302 and "/sertifikasi/sertifikat/" in decided["Location"]


def test_assessor_and_registration_forms(client: Client, users: dict[str, Any],
                                         make_person: Any, make_user: Any,
                                         certify: Callable[..., Certificate]) -> None:
    from sdmkesos.certification.models import Assessor, ProfessionalRegistration

    person = make_person("35.07")
    make_user("akun-asesor", "province_operator", regions=["35"])
    client.force_login(users["jatim"])
    data = {"nik": person.nik, "registration_number": "MET.123", "schemes": ["PSG", "PYS"],
            "active_from": "2025-01-01", "active_until": "2024-01-01", "qualifications": "",
            "username": "akun-asesor"}
    refused = client.post("/sertifikasi/asesor/baru/", data)
    assert refused.status_code == 200 and not Assessor.objects.exists()
    data["active_until"] = "2029-12-31"
    assert client.post("/sertifikasi/asesor/baru/", data).status_code == 302
    assessor = Assessor.objects.get(registration_number="MET.123")
    assert assessor.user is not None and assessor.schemes.count() == 2

    cert = certify()
    form = {"nik": cert.person.nik, "kind": "sipps", "number": "SIPPS-9", "issued_by": "Pemkab",
            "valid_from": "2026-01-01", "valid_until": "2030-01-01"}
    page = client.post("/sertifikasi/registrasi/baru/", form)
    assert page.status_code == 200 and "STR yang masih berlaku" in page.content.decode()
    form.update(kind="str", number="STR-9", issued_by="IPSPI")
    assert client.post("/sertifikasi/registrasi/baru/", form).status_code == 302
    assert ProfessionalRegistration.objects.filter(number="STR-9").exists()
    client.force_login(users["jabar"])
    other = client.post("/sertifikasi/registrasi/baru/", {**form, "number": "STR-10"})
    assert other.status_code == 200 and not ProfessionalRegistration.objects.filter(
        number="STR-10").exists()
