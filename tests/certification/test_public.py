"""Public pages and API: DID document, status lists, verification page (by code, pasted,
uploaded), rate limit, minimum personal data."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sdmkesos.certification import actions
from sdmkesos.certification.models import Certificate
from sdmkesos.credentials import eddsa_jcs
from sdmkesos.credentials.dids import did_key_from_public, did_key_vm
from sdmkesos.credentials.keys import KeyPair

from .conftest import DID

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_did_document(client: Client, certify: Callable[..., Certificate]) -> None:
    cert = certify()
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["id"] == DID
    assert doc["assertionMethod"] == [f"{DID}#{cert.key.kid}"]
    assert doc["verificationMethod"][0]["publicKeyMultibase"] == cert.key.public_key_multibase
    assert "secretKeyMultibase" not in response.content.decode()


def test_status_list_is_a_signed_credential(client: Client,
                                            certify: Callable[..., Certificate]) -> None:
    cert = certify()
    response = client.get(f"/status/{cert.status_list}/revocation")
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert data["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert client.get("/status/99/revocation").status_code == 404


def test_verify_page_states(client: Client, certify: Callable[..., Certificate],
                            admin: Any) -> None:
    cert = certify()
    page = client.get(f"/verify/{cert.public_id}")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-state="valid"' in body
    assert cert.person.name in body and cert.person.nik not in body
    actions.do_suspend(actor=admin, channel="web", certificate=cert, reason="audit")
    assert 'data-state="suspended"' in client.get(f"/verify/{cert.public_id}").content.decode()
    actions.do_revoke(actor=admin, channel="web", certificate=cert, reason="etik")
    assert 'data-state="revoked"' in client.get(f"/verify/{cert.public_id}").content.decode()
    missing = client.get("/verify/tidakada")
    assert missing.status_code == 404


def test_verify_pasted_and_uploaded(client: Client, certify: Callable[..., Certificate]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    cert = certify()
    raw = json.dumps(cert.credential)
    ok = client.post("/verify/", {"credential": raw})
    assert 'data-state="valid"' in ok.content.decode()
    forged = dict(cert.credential)
    forged["validUntil"] = "2099-12-31T23:59:59+07:00"
    bad = client.post("/verify/", {"credential": json.dumps(forged)})
    assert 'data-state="not_authentic"' in bad.content.decode()
    upload = SimpleUploadedFile("c.json", raw.encode(), content_type="application/json")
    assert 'data-state="valid"' in client.post("/verify/", {"file": upload}).content.decode()
    assert client.post("/verify/", {"credential": "{nope"}).status_code == 400


def test_foreign_did_key_credential_verifies_but_is_marked(client: Client, signing: Any) -> None:
    key = KeyPair.generate()
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "issuer": did_key_from_public(key.public_raw), "credentialSubject": {"name": "X"}}
    signed = eddsa_jcs.sign(doc, key, verification_method=did_key_vm(key.public_raw))
    response = client.post("/api/v1/certification/verify", signed,
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["verified"] is True
    page = client.post("/verify/", {"credential": json.dumps(signed)}).content.decode()
    assert 'data-state="valid"' in page and "bukan penerbit layanan ini" in page


def test_api_verify_by_id(client: Client, certify: Callable[..., Certificate]) -> None:
    cert = certify()
    data = client.get(f"/api/v1/certification/verify/{cert.public_id}").json()
    assert data["verified"] is True and data["state"] == "valid"
    assert set(data["checks"]) == {"signature", "issuer", "proof_purpose", "validity", "status"}
    assert client.get("/api/v1/certification/verify/xxxx").status_code == 404
    assert client.get(f"/verify/{cert.public_id}.json").json()["state"] == "valid"


def test_rate_limit(client: Client, certify: Callable[..., Certificate], settings: Any) -> None:
    cert = certify()
    settings.SDMKESOS_VERIFY_RATE = 3
    codes = [client.get(f"/verify/{cert.public_id}").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert client.get(f"/api/v1/certification/verify/{cert.public_id}").status_code == 429
