"""Multibase (base58btc ``z``, base64url ``u``) and Multikey encoding of Ed25519 keys.

Multikey: the multicodec varint prefix ``0xed 0x01`` (ed25519-pub) or ``0x80 0x26``
(ed25519-priv) followed by the 32 key bytes, then base58btc with the multibase prefix ``z``.
"""

from __future__ import annotations

import base64
from functools import lru_cache

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"


class MultibaseError(ValueError):
    """A value that is not valid multibase / Multikey."""


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(ALPHABET[r])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        try:
            n = n * 58 + _INDEX[ch]
        except KeyError:
            raise MultibaseError(f"invalid base58 character {ch!r}") from None
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def encode(data: bytes, base: str = "base58btc") -> str:
    if base == "base58btc":
        return "z" + b58encode(data)
    if base == "base64url":
        return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
    raise MultibaseError(f"unsupported multibase {base}")


def decode(text: str) -> bytes:
    """Decode a multibase string (``z`` base58btc or ``u`` base64url, no padding)."""
    if not isinstance(text, str) or len(text) < 1:
        raise MultibaseError("empty multibase value")
    prefix, body = text[0], text[1:]
    if prefix == "z":
        return b58decode(body)
    if prefix == "u":
        if "=" in body or any(c in body for c in "+/"):
            raise MultibaseError("base64url must be unpadded and URL-safe")
        try:
            return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (ValueError, TypeError) as exc:
            raise MultibaseError(f"invalid base64url: {exc}") from None
    raise MultibaseError(f"unsupported multibase prefix {prefix!r}")


def encode_public_key(raw: bytes) -> str:
    if len(raw) != 32:
        raise MultibaseError("an Ed25519 public key has 32 bytes")
    return encode(ED25519_PUB_PREFIX + raw)


@lru_cache(maxsize=1024)
def decode_public_key(multikey: str) -> bytes:
    """The 32 raw bytes of an Ed25519 public key in Multikey form (``z6Mk...``)."""
    data = decode(multikey)
    if multikey[:1] != "z" or data[:2] != ED25519_PUB_PREFIX or len(data) != 34:
        raise MultibaseError("not an Ed25519 Multikey public key (z + 0xed01 + 32 bytes)")
    return data[2:]


def encode_private_key(raw: bytes) -> str:
    if len(raw) != 32:
        raise MultibaseError("an Ed25519 private key has 32 bytes")
    return encode(ED25519_PRIV_PREFIX + raw)


def decode_private_key(multikey: str) -> bytes:
    data = decode(multikey)
    if multikey[:1] != "z" or data[:2] != ED25519_PRIV_PREFIX or len(data) != 34:
        raise MultibaseError("not an Ed25519 Multikey private key (z + 0x8026 + 32 bytes)")
    return data[2:]
