from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.credentials import multibase
from sdmkesos.credentials.dids import (
    DidError,
    did_key_from_public,
    did_web,
    did_web_url,
    resolve_did_key,
)


@given(st.binary(max_size=80))
def test_base58_round_trip(data: bytes) -> None:
    assert multibase.decode(multibase.encode(data)) == data
    assert multibase.decode(multibase.encode(data, "base64url")) == data


def test_known_base58() -> None:
    assert multibase.b58encode(b"hello world") == "StV1DL6CwTryKyV"
    assert multibase.b58encode(b"\0\0\x01") == "112"


def test_bad_input() -> None:
    with pytest.raises(multibase.MultibaseError):
        multibase.decode("z0OIl")
    with pytest.raises(multibase.MultibaseError):
        multibase.decode("mAAAA")
    with pytest.raises(multibase.MultibaseError):
        multibase.decode_public_key("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")


@given(st.binary(min_size=32, max_size=32))
def test_multikey_round_trip(raw: bytes) -> None:
    mk = multibase.encode_public_key(raw)
    assert mk.startswith("z6Mk")
    assert multibase.decode_public_key(mk) == raw


def test_did_key_document() -> None:
    did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    doc = resolve_did_key(did)
    vm = doc["verificationMethod"][0]
    assert vm["id"] == did + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert vm["type"] == "Multikey" and vm["controller"] == did
    assert doc["assertionMethod"] == [vm["id"]]
    raw = multibase.decode_public_key(vm["publicKeyMultibase"])
    assert did_key_from_public(raw) == did
    with pytest.raises(DidError):
        resolve_did_key("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")


def test_did_web() -> None:
    assert did_web("sdm.kemensos.go.id") == "did:web:sdm.kemensos.go.id"
    assert did_web("localhost:8000") == "did:web:localhost%3A8000"
    assert did_web("example.com", "/issuers/1") == "did:web:example.com:issuers:1"
    assert did_web_url("did:web:localhost%3A8000") == "https://localhost:8000/.well-known/did.json"
    assert did_web_url("did:web:example.com:issuers:1") == "https://example.com/issuers/1/did.json"
