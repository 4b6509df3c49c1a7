from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmkesos.credentials import statuslist
from sdmkesos.credentials.statuslist import Bitstring, StatusListError

# Bitstring Status List v1.0, example "BitstringStatusListCredential": an all-zero list of
# 131,072 entries.
SPEC_EMPTY = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_spec_example_decodes_to_empty_list() -> None:
    bits = Bitstring.decode(SPEC_EMPTY)
    assert bits.size == 131_072
    assert not any(bits.data)


def test_left_most_bit_is_index_zero() -> None:
    bits = Bitstring(16)
    bits.set(0)
    bits.set(9)
    assert bytes(bits.data) == b"\x80\x40"
    bits.set(0, False)
    assert bytes(bits.data) == b"\x00\x40"


@settings(deadline=None, max_examples=30)
@given(st.sets(st.integers(min_value=0, max_value=131_071), max_size=50))
def test_encode_decode_round_trip(indexes: set[int]) -> None:
    bits = Bitstring.with_bits(indexes)
    decoded = Bitstring.decode(bits.encode())
    assert all(decoded.get(i) for i in indexes)
    assert sum(bin(b).count("1") for b in decoded.data) == len(indexes)
    assert decoded.data == bits.data


def test_index_bounds_and_bad_input() -> None:
    with pytest.raises(StatusListError):
        Bitstring(16).get(16)
    with pytest.raises(StatusListError):
        Bitstring.decode("zabc")
    with pytest.raises(StatusListError):
        Bitstring.decode("uAAAA")


def test_random_index_avoids_taken() -> None:
    taken = set(range(0, 15))
    assert statuslist.random_index(taken, 16) == 15
    with pytest.raises(StatusListError):
        statuslist.random_index(set(range(16)), 16)


def test_list_credential_minimum_size() -> None:
    with pytest.raises(StatusListError):
        statuslist.list_credential(list_url="https://x/s/1", issuer="did:web:x",
                                   purpose="revocation", bits=Bitstring(1024),
                                   valid_from="2025-01-01T00:00:00Z")
    cred = statuslist.list_credential(list_url="https://x/s/1", issuer="did:web:x",
                                      purpose="revocation", bits=Bitstring(),
                                      valid_from="2025-01-01T00:00:00Z")
    assert cred["credentialSubject"]["statusPurpose"] == "revocation"
    assert cred["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
