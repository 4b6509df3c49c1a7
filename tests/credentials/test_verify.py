"""The verifier: each check, did:key and did:web issuers, status lists, and tampering."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sdmkesos.credentials import eddsa_jcs, statuslist
from sdmkesos.credentials.dids import (
    PublishedKey,
    Resolver,
    build_did_web_document,
    did_key_from_public,
    did_key_vm,
)
from sdmkesos.credentials.keys import KeyPair
from sdmkesos.credentials.verify import verify_credential

KEY = KeyPair.generate()
OTHER = KeyPair.generate()
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
DID = "did:web:sertifikat.example.go.id"
LIST_URL = "https://sertifikat.example.go.id/status/1"


def credential(issuer: str, **extra: Any) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:0b9c3f1e-5d7a-4a53-9f1e-1c2b3d4e5f60",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2025-01-01T00:00:00Z",
        "validUntil": "2030-01-01T00:00:00Z",
        "credentialSubject": {"name": "Siti Aminah", "achievement": "Pekerja Sosial Generalis"},
        **extra,
    }


def did_key_signed(doc: dict[str, Any], key: KeyPair = KEY) -> dict[str, Any]:
    return eddsa_jcs.sign(doc, key, verification_method=did_key_vm(key.public_raw),
                          created="2025-01-01T00:00:00Z")


def web_resolver(*keys: PublishedKey) -> Resolver:
    resolver = Resolver()
    resolver.add(build_did_web_document(DID, keys))
    return resolver


def test_did_key_issuer_verifies() -> None:
    signed = did_key_signed(credential(did_key_from_public(KEY.public_raw)))
    result = verify_credential(signed, now=NOW)
    assert result.verified and result.state == "valid"
    assert {k: v.ok for k, v in result.checks.items()} == {
        "signature": True, "issuer": True, "proof_purpose": True, "validity": True,
        "status": True}


def test_wrong_issuer_is_not_authentic() -> None:
    signed = did_key_signed(credential(did_key_from_public(OTHER.public_raw)))
    result = verify_credential(signed, now=NOW)
    assert not result.verified and result.state == "not_authentic"
    assert result.checks["signature"].ok and result.checks["issuer"].code == "issuer_mismatch"


def test_validity_dates() -> None:
    signed = did_key_signed(credential(did_key_from_public(KEY.public_raw)))
    late = verify_credential(signed, now=dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
    assert not late.verified and late.state == "expired"
    early = verify_credential(signed, now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert early.state == "not_yet_valid"


def test_proof_purpose_must_be_assertion() -> None:
    doc = credential(did_key_from_public(KEY.public_raw))
    signed = eddsa_jcs.sign(doc, KEY, verification_method=did_key_vm(KEY.public_raw),
                            proof_purpose="authentication")
    result = verify_credential(signed, now=NOW)
    assert result.checks["signature"].ok and not result.checks["proof_purpose"].ok
    assert not result.verified


def _list(bits: statuslist.Bitstring, purpose: str, key: KeyPair = KEY) -> dict[str, Any]:
    cred = statuslist.list_credential(list_url=f"{LIST_URL}/{purpose}", issuer=DID,
                                      purpose=purpose, bits=bits,
                                      valid_from="2025-01-01T00:00:00Z")
    return eddsa_jcs.sign(cred, key, verification_method=f"{DID}#key-1")


def _status_doc(index: int) -> dict[str, Any]:
    doc = credential(DID, credentialStatus=[
        statuslist.entry(f"{LIST_URL}/revocation", index, "revocation"),
        statuslist.entry(f"{LIST_URL}/suspension", index, "suspension")])
    return eddsa_jcs.sign(doc, KEY, verification_method=f"{DID}#key-1")


def test_did_web_with_status_lists() -> None:
    resolver = web_resolver(PublishedKey("key-1", KEY.public_multibase))
    signed = _status_doc(4242)
    lists = {f"{LIST_URL}/revocation": _list(statuslist.Bitstring(), "revocation"),
             f"{LIST_URL}/suspension": _list(statuslist.Bitstring(), "suspension")}
    result = verify_credential(signed, resolver=resolver, fetch_status=lists.__getitem__,
                               now=NOW)
    assert result.verified and result.state == "valid", result.as_dict()

    lists[f"{LIST_URL}/suspension"] = _list(statuslist.Bitstring.with_bits([4242]), "suspension")
    result = verify_credential(signed, resolver=resolver, fetch_status=lists.__getitem__,
                               now=NOW)
    assert not result.verified and result.state == "suspended"

    lists[f"{LIST_URL}/revocation"] = _list(statuslist.Bitstring.with_bits([4242]), "revocation")
    result = verify_credential(signed, resolver=resolver, fetch_status=lists.__getitem__,
                               now=NOW)
    assert result.state == "revoked"


def test_status_list_signed_by_stranger_is_refused() -> None:
    resolver = web_resolver(PublishedKey("key-1", KEY.public_multibase))
    forged = _list(statuslist.Bitstring(), "revocation", key=OTHER)
    lists = {f"{LIST_URL}/revocation": forged,
             f"{LIST_URL}/suspension": _list(statuslist.Bitstring(), "suspension")}
    result = verify_credential(_status_doc(7), resolver=resolver,
                               fetch_status=lists.__getitem__, now=NOW)
    assert not result.verified and result.checks["status"].code == "status_list_invalid"


def test_unreachable_status_is_unknown_not_failed() -> None:
    resolver = web_resolver(PublishedKey("key-1", KEY.public_multibase))

    def offline(url: str) -> dict[str, Any]:
        raise OSError("offline")

    result = verify_credential(_status_doc(7), resolver=resolver, fetch_status=offline, now=NOW)
    assert result.verified and result.checks["status"].ok is None
    strict = verify_credential(_status_doc(7), resolver=resolver, fetch_status=offline, now=NOW,
                               require_status=True)
    assert not strict.verified and strict.state == "unknown"


def test_rotated_key_still_verifies_withdrawn_key_does_not() -> None:
    signed = _status_doc(1)
    rotated = web_resolver(PublishedKey("key-1", KEY.public_multibase),
                           PublishedKey("key-2", OTHER.public_multibase))
    assert verify_credential(signed, resolver=rotated, now=NOW).checks["proof_purpose"].ok
    withdrawn = web_resolver(PublishedKey("key-2", OTHER.public_multibase))
    result = verify_credential(signed, resolver=withdrawn, now=NOW)
    assert not result.verified and result.checks["signature"].code == "key_not_found"
    listed_not_trusted = web_resolver(PublishedKey("key-1", KEY.public_multibase,
                                                   assertion=False))
    result = verify_credential(signed, resolver=listed_not_trusted, now=NOW)
    assert not result.verified and result.checks["proof_purpose"].code == "not_assertion_method"


# -- tampering ----------------------------------------------------------------------------

json_leaf = st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6), st.booleans(),
                      st.none())
json_value = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(doc: dict[str, Any], path: tuple[Any, ...], how: str, new: Any,
            key: str) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    if not path:
        doc[key] = new
        return doc
    parent: Any = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "add" and isinstance(parent[last], dict):
        parent[last][key] = new
    elif how == "add" and isinstance(parent[last], list):
        parent[last].append(new)
    else:
        parent[last] = new
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subject=st.dictionaries(st.text(min_size=1, max_size=8), json_value, max_size=4),
       data=st.data())
def test_any_alteration_fails(subject: dict[str, Any], data: st.DataObject) -> None:
    doc = credential(did_key_from_public(KEY.public_raw))
    doc["credentialSubject"].update(subject)
    signed = did_key_signed(doc)
    assert verify_credential(signed, now=NOW).verified
    path = data.draw(st.sampled_from(_paths(signed)))
    how = data.draw(st.sampled_from(["replace", "delete", "add"]))
    new = data.draw(json_value)
    key = data.draw(st.text(max_size=8))
    assume(how != "delete" or path)
    altered = _mutate(signed, path, how, new, key)
    assume(eddsa_jcs.canonical(altered) != eddsa_jcs.canonical(signed))
    assert not verify_credential(altered, now=NOW).verified


def test_status_cache_never_trusts_altered_lists() -> None:
    from sdmkesos.credentials.verify import StatusListCache

    resolver = web_resolver(PublishedKey("key-1", KEY.public_multibase))
    cache = StatusListCache()
    signed = _status_doc(99)
    clean = {f"{LIST_URL}/revocation": _list(statuslist.Bitstring(), "revocation"),
             f"{LIST_URL}/suspension": _list(statuslist.Bitstring(), "suspension")}
    for _ in range(2):
        assert verify_credential(signed, resolver=resolver, fetch_status=clean.__getitem__,
                                 now=NOW, status_cache=cache).verified
    tampered = copy.deepcopy(clean)
    tampered[f"{LIST_URL}/revocation"]["credentialSubject"]["encodedList"] = (
        statuslist.Bitstring.with_bits([99]).encode())
    result = verify_credential(signed, resolver=resolver, fetch_status=tampered.__getitem__,
                               now=NOW, status_cache=cache)
    assert not result.verified and result.checks["status"].code == "status_list_invalid"
    revoked = dict(clean)
    revoked[f"{LIST_URL}/revocation"] = _list(statuslist.Bitstring.with_bits([99]), "revocation")
    assert verify_credential(signed, resolver=resolver, fetch_status=revoked.__getitem__,
                             now=NOW, status_cache=cache).state == "revoked"
    withdrawn = web_resolver(PublishedKey("key-2", OTHER.public_multibase))
    assert not verify_credential(signed, resolver=withdrawn, fetch_status=clean.__getitem__,
                                 now=NOW, status_cache=cache).verified
