"""sdmkesos credentials verify / init-key / rotate-key / withdraw-key / did-document."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from sdmkesos.certification import actions, keyring
from sdmkesos.certification.models import Certificate, IssuerKey
from sdmkesos.credentials import eddsa_jcs, statuslist
from sdmkesos.credentials.dids import did_key_from_public, did_key_vm
from sdmkesos.credentials.keys import KeyPair

VECTORS = Path(__file__).parent.parent / "credentials" / "vectors" / "eddsa-jcs-2022"

pytestmark = pytest.mark.django_db


def run(capsys: Any, *args: str) -> tuple[int, dict[str, Any]]:
    code = 0
    try:
        call_command("credentials", *args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_verify_spec_vector_reports_valid_signature(capsys: Any) -> None:
    code, out = run(capsys, "verify", str(VECTORS / "signed.json"))
    assert out["checks"]["signature"]["ok"] is True
    assert out["checks"]["issuer"]["code"] == "issuer_mismatch"
    assert code == 1 and out["verified"] is False


def test_verify_did_key_credential(capsys: Any, tmp_path: Path) -> None:
    key = KeyPair.generate()
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "issuer": did_key_from_public(key.public_raw), "credentialSubject": {"name": "A"}}
    signed = eddsa_jcs.sign(doc, key, verification_method=did_key_vm(key.public_raw))
    path = tmp_path / "c.json"
    path.write_text(json.dumps(signed))
    code, out = run(capsys, "verify", str(path))
    assert code == 0 and out["verified"] is True
    signed["credentialSubject"]["name"] = "B"
    path.write_text(json.dumps(signed))
    code, out = run(capsys, "verify", str(path))
    assert code == 1 and out["checks"]["signature"]["code"] == "invalid_signature"


def test_verify_did_web_with_document_and_status_files(capsys: Any, tmp_path: Path) -> None:
    key = KeyPair.generate()
    did = "did:web:lsp.example.go.id"
    vm = f"{did}#k1"
    did_doc = {"@context": ["https://www.w3.org/ns/did/v1"], "id": did,
               "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                       "publicKeyMultibase": key.public_multibase}],
               "assertionMethod": [vm]}
    url = "https://lsp.example.go.id/status/1/revocation"
    status = eddsa_jcs.sign(statuslist.list_credential(
        list_url=url, issuer=did, purpose="revocation",
        bits=statuslist.Bitstring.with_bits([5]), valid_from="2025-01-01T00:00:00Z"),
        key, verification_method=vm)
    cred = eddsa_jcs.sign({"@context": ["https://www.w3.org/ns/credentials/v2"],
                           "type": ["VerifiableCredential"], "issuer": did,
                           "credentialSubject": {"name": "A"},
                           "credentialStatus": statuslist.entry(url, 5, "revocation")},
                          key, verification_method=vm)
    for name, data in [("did.json", did_doc), ("status.json", status), ("c.json", cred)]:
        (tmp_path / name).write_text(json.dumps(data))
    code, out = run(capsys, "verify", str(tmp_path / "c.json"))
    assert code == 1 and out["checks"]["signature"]["code"] == "key_not_found"
    code, out = run(capsys, "verify", str(tmp_path / "c.json"), "--did-document",
                    str(tmp_path / "did.json"))
    assert code == 0 and out["checks"]["status"]["ok"] is None
    code, out = run(capsys, "verify", str(tmp_path / "c.json"), "--did-document",
                    str(tmp_path / "did.json"), "--require-status")
    assert code == 1
    code, out = run(capsys, "verify", str(tmp_path / "c.json"), "--did-document",
                    str(tmp_path / "did.json"), "--status-list", str(tmp_path / "status.json"))
    assert code == 1 and out["state"] == "revoked"


def test_verify_own_certificate_uses_local_keys_and_status(
        capsys: Any, tmp_path: Path, certify: Callable[..., Certificate], admin: Any) -> None:
    cert = certify()
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(cert.credential))
    code, out = run(capsys, "verify", str(path), "--require-status")
    assert code == 0 and out["state"] == "valid"
    actions.do_revoke(actor=admin, channel="web", certificate=cert, reason="uji")
    code, out = run(capsys, "verify", str(path))
    assert code == 1 and out["state"] == "revoked"


def test_key_commands(capsys: Any, signing: Path) -> None:
    first = keyring.active_key()
    assert first is not None
    code, out = run(capsys, "init-key")
    assert code == 0 and out["created"] is False and out["kid"] == first.kid
    _code, out = run(capsys, "rotate-key")
    second = IssuerKey.objects.get(kid=out["kid"])
    assert keyring.active_key() == second
    code, out = run(capsys, "withdraw-key", first.kid, "--reason", "bocor")
    assert code == 0 and out["withdrawn"] is True
    _code, doc = run(capsys, "did-document")
    assert [vm["id"].split("#")[1] for vm in doc["verificationMethod"]] == [second.kid]


def test_verify_missing_file_is_an_error(capsys: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("credentials", "verify", "/nonexistent.json")
