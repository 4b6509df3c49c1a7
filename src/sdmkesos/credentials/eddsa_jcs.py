"""Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite (W3C Data Integrity EdDSA
Cryptosuites v1.0, section 3.3): Ed25519 over SHA-256 hashes of RFC 8785 (JCS) canonical JSON.

hashData = SHA-256(JCS(proof options)) || SHA-256(JCS(document without proof)); the proof
options carry the document's ``@context`` when it has one; ``proofValue`` is the base58btc
multibase of the 64-byte signature.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rfc8785

from . import jcs, multibase
from .keys import KeyPair, verify_signature

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"


class ProofError(ValueError):
    """A malformed proof or document; ``code`` says what."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def canonical(value: Any) -> bytes:
    try:
        return jcs.canonicalize(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise ProofError("not_canonicalizable", f"JSON cannot be canonicalised: {exc}") from None


def hash_data(proof_config: dict[str, Any], document: dict[str, Any]) -> bytes:
    return (hashlib.sha256(canonical(proof_config)).digest()
            + hashlib.sha256(canonical(document)).digest())


def xsd_datetime(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def proof_config(document: dict[str, Any], *, verification_method: str,
                 proof_purpose: str = "assertionMethod", created: dt.datetime | str | None = None,
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE}
    if created is not None:
        config["created"] = created if isinstance(created, str) else xsd_datetime(created)
    config["verificationMethod"] = verification_method
    config["proofPurpose"] = proof_purpose
    if extra:
        config.update(extra)
    if "@context" in document:
        config["@context"] = copy.deepcopy(document["@context"])
    return config


def create_proof(document: dict[str, Any], key: KeyPair, *, verification_method: str,
                 proof_purpose: str = "assertionMethod",
                 created: dt.datetime | str | None = None,
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The proof object for ``document`` (which must not carry a ``proof`` yet)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = proof_config(unsecured, verification_method=verification_method,
                          proof_purpose=proof_purpose, created=created, extra=extra)
    signature = key.sign(hash_data(config, unsecured))
    return {**config, "proofValue": multibase.encode(signature)}


def sign(document: dict[str, Any], key: KeyPair, *, verification_method: str,
         proof_purpose: str = "assertionMethod", created: dt.datetime | str | None = None,
         ) -> dict[str, Any]:
    """A copy of ``document`` with an ``eddsa-jcs-2022`` proof added."""
    if "proof" in document:
        raise ProofError("already_signed", "document already carries a proof")
    proof = create_proof(document, key, verification_method=verification_method,
                         proof_purpose=proof_purpose, created=created)
    return {**copy.deepcopy(document), "proof": proof}


@dataclass(frozen=True)
class ProofCheck:
    ok: bool
    code: str
    message: str
    verification_method: str | None = None
    proof_purpose: str | None = None
    proof: dict[str, Any] | None = None


KeyResolver = Callable[[str], bytes]
"""verification method id -> 32 raw public key bytes; raises LookupError/ValueError if unknown."""


def single_proof(document: dict[str, Any]) -> dict[str, Any]:
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("proof_set", "only a single proof is supported")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("no_proof", "document has no proof object")
    return proof


def verify_proof(document: dict[str, Any], resolve_key: KeyResolver) -> ProofCheck:
    """Verify the document's single ``eddsa-jcs-2022`` proof (spec algorithm 3.3.2)."""
    if not isinstance(document, dict):
        return ProofCheck(False, "not_an_object", "credential is not a JSON object")
    try:
        proof = single_proof(document)
    except ProofError as exc:
        return ProofCheck(False, exc.code, str(exc))
    vm = proof.get("verificationMethod")
    purpose = proof.get("proofPurpose")
    vm_id = vm if isinstance(vm, str) else None
    purpose_name = purpose if isinstance(purpose, str) else None

    def result(ok: bool, code: str, message: str) -> ProofCheck:
        return ProofCheck(ok, code, message, vm_id, purpose_name, proof)

    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return result(False, "unsupported_cryptosuite",
                          f"proof is {proof.get('type')}/{proof.get('cryptosuite')}, "
                          f"expected {PROOF_TYPE}/{CRYPTOSUITE}")
    if not isinstance(vm, str) or not vm:
        return result(False, "no_verification_method", "proof names no verificationMethod")
    value = proof.get("proofValue")
    try:
        signature = multibase.decode(value) if isinstance(value, str) else b""
    except multibase.MultibaseError:
        signature = b""
    if not isinstance(value, str) or value[:1] != "z" or len(signature) != 64:
        return result(False, "malformed_proof_value",
                          "proofValue is not a base58btc 64-byte signature")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in options:
        doc_ctx = unsecured.get("@context")
        ctx = options["@context"]
        doc_list = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
        ctx_list = ctx if isinstance(ctx, list) else [ctx]
        # The spec only asks that the document's @context start with the proof's and then
        # signs the proof's; we require equality so that appending a context is an alteration.
        if doc_list != ctx_list:
            return result(False, "context_mismatch",
                              "document @context differs from the proof's @context")
        unsecured["@context"] = ctx
    try:
        public = resolve_key(vm)
    except (LookupError, ValueError) as exc:
        return result(False, "key_not_found", f"verification method {vm}: {exc}")
    try:
        data = hash_data(options, unsecured)
    except ProofError as exc:
        return result(False, exc.code, str(exc))
    if not verify_signature(public, signature, data):
        return result(False, "invalid_signature", "signature does not match")
    return result(True, "valid", "signature valid")
