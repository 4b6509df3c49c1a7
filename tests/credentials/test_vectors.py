"""The W3C eddsa-jcs-2022 test vectors (Data Integrity EdDSA Cryptosuites v1.0), reproduced
exactly. Fixture files and their source: vectors/eddsa-jcs-2022/SOURCE.md."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sdmkesos.credentials import eddsa_jcs, multibase
from sdmkesos.credentials.dids import Resolver
from sdmkesos.credentials.keys import KeyPair
from sdmkesos.credentials.verify import verify_credential

VECTORS = Path(__file__).parent / "vectors" / "eddsa-jcs-2022"


def load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def key() -> KeyPair:
    return KeyPair.from_secret_multibase(load("keyPair.json")["privateKeyMultibase"])


def test_key_pair_is_consistent() -> None:
    assert key().public_multibase == load("keyPair.json")["publicKeyMultibase"]


def test_intermediate_values() -> None:
    mid = load("intermediate.json")
    unsigned = load("unsigned.json")
    options = load("proofOptions.json")
    assert eddsa_jcs.canonical(unsigned).decode() == mid["canonicalDocument"]
    assert hashlib.sha256(eddsa_jcs.canonical(unsigned)).hexdigest() == mid["documentHashHex"]
    assert eddsa_jcs.canonical(options).decode() == mid["canonicalProofOptions"]
    assert hashlib.sha256(eddsa_jcs.canonical(options)).hexdigest() == mid["proofOptionsHashHex"]
    assert eddsa_jcs.hash_data(options, unsigned).hex() == mid["combinedHashHex"]
    signature = key().sign(bytes.fromhex(mid["combinedHashHex"]))
    assert signature.hex() == mid["signatureHex"]
    assert multibase.encode(signature) == mid["proofValue"]


def test_signing_the_unsigned_example_gives_the_spec_proof_value() -> None:
    options = load("proofOptions.json")
    signed = eddsa_jcs.sign(load("unsigned.json"), key(),
                            verification_method=options["verificationMethod"],
                            created=options["created"])
    assert signed == load("signed.json")
    assert signed["proof"]["proofValue"] == (
        "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX")


def test_the_signed_example_verifies() -> None:
    check = eddsa_jcs.verify_proof(load("signed.json"), Resolver().public_key)
    assert check.ok, check
    result = verify_credential(load("signed.json"))
    assert result.checks["signature"].ok is True
    assert result.checks["proof_purpose"].ok is True
    assert result.checks["validity"].ok is True
    # The example's issuer is https://vc.example/..., which does not control the did:key that
    # signed it: the proof is valid, the issuer binding is not.
    assert result.checks["issuer"].code == "issuer_mismatch"


def test_earlier_draft_example_verifies_with_its_key() -> None:
    public = multibase.decode_public_key(load("keyPair.json")["publicKeyMultibase"])
    check = eddsa_jcs.verify_proof(load("signed-editors-draft-2024.json"), lambda vm: public)
    assert check.ok, check


def test_altered_vector_fails() -> None:
    signed = load("signed.json")
    signed["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    assert not eddsa_jcs.verify_proof(signed, Resolver().public_key).ok
