"""The fast JCS path gives the reference implementation's bytes for any JSON value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmkesos.credentials.jcs import canonicalize

keys = st.text(alphabet=st.characters(codec="utf-8"), max_size=6)
leaves = st.one_of(st.none(), st.booleans(), st.integers(-(2**60), 2**60),
                   st.floats(allow_nan=False, allow_infinity=False),
                   st.text(alphabet=st.characters(codec="utf-8"), max_size=10))
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(values)
def test_same_bytes_as_reference(value: object) -> None:
    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, ValueError, TypeError):
        with pytest.raises((rfc8785.CanonicalizationError, ValueError, TypeError)):
            canonicalize(value)
        return
    assert canonicalize(value) == expected


def test_key_order_is_utf16() -> None:
    # U+1F600 (surrogates D83D DE00) sorts before U+FB01 in UTF-16 but after it by code point.
    value = {"\ufb01": 1, "\U0001f600": 2, "a": 3}
    assert canonicalize(value) == rfc8785.dumps(value)
    assert canonicalize(value).decode().index("\U0001f600") < canonicalize(value).decode().index(
        "\ufb01")


def test_spec_vector_document() -> None:
    folder = Path(__file__).parent / "vectors" / "eddsa-jcs-2022"
    mid = json.loads((folder / "intermediate.json").read_text())
    doc = json.loads((folder / "unsigned.json").read_text())
    assert canonicalize(doc).decode() == mid["canonicalDocument"]
