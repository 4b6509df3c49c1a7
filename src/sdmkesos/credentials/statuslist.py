"""W3C Bitstring Status List v1.0: the bitstring, its encoding and the list credential.

Bit ``i`` is bit ``7 - i % 8`` of byte ``i // 8`` (index 0 is the left-most bit). The
``encodedList`` is the multibase base64url (``u``, no padding) of the GZIP-compressed bitstring.
Lists hold at least 131,072 entries (16 KiB) so that one credential's index says little.
"""

from __future__ import annotations

import gzip
import secrets
import zlib
from collections.abc import Collection, Iterable
from typing import Any

from . import multibase

MIN_SIZE = 131_072
MAX_DECODED_BYTES = 16 * 1024 * 1024  # refuse gzip bombs
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
PURPOSES = ("revocation", "suspension", "refresh", "message")


class StatusListError(ValueError):
    pass


class Bitstring:
    __slots__ = ("data",)

    def __init__(self, size: int = MIN_SIZE, data: bytes | None = None) -> None:
        if data is None:
            if size % 8:
                raise StatusListError("size must be a multiple of 8")
            data = bytes(size // 8)
        self.data = bytearray(data)

    @property
    def size(self) -> int:
        return len(self.data) * 8

    def get(self, index: int) -> bool:
        if not 0 <= index < self.size:
            raise StatusListError(f"index {index} outside the list (size {self.size})")
        return bool(self.data[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int, value: bool = True) -> None:
        if not 0 <= index < self.size:
            raise StatusListError(f"index {index} outside the list (size {self.size})")
        mask = 0x80 >> (index & 7)
        if value:
            self.data[index >> 3] |= mask
        else:
            self.data[index >> 3] &= ~mask & 0xFF

    def encode(self) -> str:
        return multibase.encode(gzip.compress(bytes(self.data), mtime=0), "base64url")

    @classmethod
    def decode(cls, encoded: str) -> Bitstring:
        try:
            compressed = multibase.decode(encoded)
        except multibase.MultibaseError as exc:
            raise StatusListError(f"encodedList: {exc}") from None
        if encoded[:1] != "u":
            raise StatusListError("encodedList must be multibase base64url (prefix 'u')")
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(compressed, MAX_DECODED_BYTES + 1)
        except zlib.error as exc:
            raise StatusListError(f"encodedList is not GZIP data: {exc}") from None
        if len(data) > MAX_DECODED_BYTES or inflater.unconsumed_tail:
            raise StatusListError("encodedList is too large")
        return cls(data=data)

    @classmethod
    def with_bits(cls, indexes: Iterable[int], size: int = MIN_SIZE) -> Bitstring:
        bits = cls(size)
        for i in indexes:
            bits.set(i)
        return bits


def random_index(taken: Collection[int], size: int = MIN_SIZE) -> int:
    """A uniformly random free index (CSPRNG), so neighbouring indexes reveal nothing."""
    if len(taken) >= size:
        raise StatusListError("status list is full")
    while True:
        candidate = secrets.randbelow(size)
        if candidate not in taken:
            return candidate


def entry(list_url: str, index: int, purpose: str) -> dict[str, Any]:
    """A ``credentialStatus`` entry pointing at ``index`` of the list credential ``list_url``."""
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry",
            "statusPurpose": purpose, "statusListIndex": str(index),
            "statusListCredential": list_url}


def list_credential(*, list_url: str, issuer: str, purpose: str, bits: Bitstring,
                    valid_from: str, valid_until: str | None = None) -> dict[str, Any]:
    """The (unsigned) BitstringStatusListCredential."""
    if bits.size < MIN_SIZE:
        raise StatusListError(f"a status list holds at least {MIN_SIZE} entries")
    cred: dict[str, Any] = {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
    }
    if valid_until:
        cred["validUntil"] = valid_until
    cred["credentialSubject"] = {"id": f"{list_url}#list", "type": "BitstringStatusList",
                                 "statusPurpose": purpose, "encodedList": bits.encode()}
    return cred


def status_entries(credential: dict[str, Any]) -> list[dict[str, Any]]:
    status = credential.get("credentialStatus")
    if status is None:
        return []
    items = status if isinstance(status, list) else [status]
    return [s for s in items if isinstance(s, dict)]
