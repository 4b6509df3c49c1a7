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
