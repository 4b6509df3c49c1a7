"""did:key (Ed25519) resolution and did:web identifiers and documents.

A resolver maps a verification method id (``did:...#fragment``) to the method object and the DID
document holding it, so the verifier can check the controller and the proof purpose.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from . import multibase

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
RELATIONSHIPS = ("authentication", "assertionMethod", "capabilityInvocation",
                 "capabilityDelegation")


class DidError(LookupError):
    pass


def did_key_from_public(raw: bytes) -> str:
    return "did:key:" + multibase.encode_public_key(raw)


def did_key_vm(raw: bytes) -> str:
    mk = multibase.encode_public_key(raw)
    return f"did:key:{mk}#{mk}"


def resolve_did_key(did: str) -> dict[str, Any]:
    """The DID document of an Ed25519 did:key (did:key spec, Multikey representation)."""
    if not did.startswith("did:key:"):
        raise DidError(f"{did} is not a did:key")
    mk = did[len("did:key:"):]
    try:
        multibase.decode_public_key(mk)
    except multibase.MultibaseError as exc:
        raise DidError(f"{did}: {exc}") from None
    vm_id = f"{did}#{mk}"
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [{"id": vm_id, "type": "Multikey", "controller": did,
                                "publicKeyMultibase": mk}],
        **{rel: [vm_id] for rel in RELATIONSHIPS},
    }


def did_web(host: str, path: str = "") -> str:
    """``did:web`` for a host (``example.org`` or ``example.org:8443``) and optional path."""
    host = host.strip().lower().rstrip("/")
    if not host or "/" in host:
        raise DidError(f"invalid did:web host {host!r}")
    parts = [quote(host, safe="")]
    parts += [quote(p, safe="") for p in path.strip("/").split("/") if p]
    return "did:web:" + ":".join(parts)


def did_web_url(did: str, scheme: str = "https") -> str:
    """Where a did:web document lives (did:web spec, 3.2.1 Read)."""
    if not did.startswith("did:web:"):
        raise DidError(f"{did} is not a did:web")
    parts = did[len("did:web:"):].split(":")
    host = unquote(parts[0])
    if len(parts) == 1:
        return f"{scheme}://{host}/.well-known/did.json"
    return f"{scheme}://{host}/" + "/".join(unquote(p) for p in parts[1:]) + "/did.json"


@dataclass(frozen=True)
class PublishedKey:
    """One key of a did:web document: its fragment, public Multikey and whether it may sign."""

    fragment: str
    public_key_multibase: str
    assertion: bool = True


def build_did_web_document(did: str, keys: Iterable[PublishedKey],
                           also_known_as: list[str] | None = None) -> dict[str, Any]:
    """The DID document: every published key as a Multikey method; ``assertionMethod`` lists
    the keys whose credentials are still to be trusted (withdrawn keys are left out entirely)."""
    methods = []
    assertion = []
    for key in keys:
        vm_id = f"{did}#{key.fragment}"
        methods.append({"id": vm_id, "type": "Multikey", "controller": did,
                        "publicKeyMultibase": key.public_key_multibase})
        if key.assertion:
            assertion.append(vm_id)
    doc: dict[str, Any] = {"@context": [DID_CONTEXT, MULTIKEY_CONTEXT], "id": did}
    if also_known_as:
        doc["alsoKnownAs"] = also_known_as
    doc["verificationMethod"] = methods
    doc["assertionMethod"] = assertion
    return doc


def _jwk_public(jwk: Any) -> bytes:
    if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise DidError("publicKeyJwk is not an Ed25519 OKP key")
    x = str(jwk.get("x", ""))
    raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
    if len(raw) != 32:
        raise DidError("publicKeyJwk x is not 32 bytes")
    return raw


@dataclass(frozen=True)
class ResolvedMethod:
    id: str
    controller: str
    public_key: bytes
    document: dict[str, Any]

    def has_relationship(self, relationship: str) -> bool:
        entries = self.document.get(relationship) or []
        did = self.document.get("id", "")
        for entry in entries:
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(ref, str) and (ref == self.id or (ref.startswith("#")
                                                            and did + ref == self.id)):
                return True
        return False


def method_from_document(document: dict[str, Any], vm_id: str) -> ResolvedMethod:
    did = document.get("id")
    if not isinstance(did, str) or not vm_id.startswith(did + "#"):
        raise DidError(f"{vm_id} is not a method of {did}")
    candidates: list[Any] = list(document.get("verificationMethod") or [])
    for rel in RELATIONSHIPS:
        candidates += [e for e in document.get(rel) or [] if isinstance(e, dict)]
    for vm in candidates:
        if not isinstance(vm, dict):
            continue
        vid = vm.get("id", "")
        if isinstance(vid, str) and vid.startswith("#"):
            vid = did + vid
        if vid != vm_id:
            continue
        if "publicKeyMultibase" in vm:
            try:
                raw = multibase.decode_public_key(vm["publicKeyMultibase"])
            except multibase.MultibaseError as exc:
                raise DidError(f"{vm_id}: {exc}") from None
        elif "publicKeyJwk" in vm:
            raw = _jwk_public(vm["publicKeyJwk"])
        else:
            raise DidError(f"{vm_id} has no Ed25519 public key")
        return ResolvedMethod(vm_id, str(vm.get("controller", "")), raw, document)
    raise DidError(f"{vm_id} not found in the DID document of {did}")


@dataclass
class Resolver:
    """Resolves did:key itself; did:web (or any other DID) from given documents, or through
    ``fetch`` (a callable DID -> document) when set."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    fetch: Callable[[str], dict[str, Any]] | None = None
    _methods: dict[str, ResolvedMethod] = field(default_factory=dict, repr=False)

    def add(self, document: dict[str, Any]) -> None:
        self.documents[str(document.get("id"))] = document
        self._methods.clear()

    def document(self, did: str) -> dict[str, Any]:
        if did in self.documents:
            return self.documents[did]
        if did.startswith("did:key:"):
            doc = resolve_did_key(did)
        elif self.fetch is not None:
            doc = self.fetch(did)
            if doc.get("id") != did:
                raise DidError(f"document fetched for {did} has id {doc.get('id')}")
        else:
            raise DidError(f"no DID document available for {did}")
        self.documents[did] = doc
        return doc

    def method(self, vm_id: str) -> ResolvedMethod:
        found = self._methods.get(vm_id)
        if found is not None:
            return found
        found = self._method(vm_id)
        self._methods[vm_id] = found
        return found

    def _method(self, vm_id: str) -> ResolvedMethod:
        if not isinstance(vm_id, str) or "#" not in vm_id or not vm_id.startswith("did:"):
            raise DidError(f"verification method {vm_id!r} is not a DID URL with a fragment")
        did = vm_id.split("#", 1)[0]
        return method_from_document(self.document(did), vm_id)

    def public_key(self, vm_id: str) -> bytes:
        return self.method(vm_id).public_key
