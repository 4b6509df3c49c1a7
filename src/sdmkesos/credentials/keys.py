"""Ed25519 key pairs and their files.

A key file is JSON ``{"type": "Multikey", "id": ..., "publicKeyMultibase": ...,
"secretKeyMultibase": ..., "created": ...}`` written with mode 0600; the secret never leaves the
file (the database only holds public keys).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from . import multibase


@dataclass(frozen=True)
class KeyPair:
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> KeyPair:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_secret_multibase(cls, secret: str) -> KeyPair:
        return cls(Ed25519PrivateKey.from_private_bytes(multibase.decode_private_key(secret)))

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_multibase(self) -> str:
        return multibase.encode_public_key(self.public_raw)

    @property
    def secret_multibase(self) -> str:
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        raw = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return multibase.encode_private_key(raw)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def public_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_signature(public_raw: bytes, signature: bytes, data: bytes) -> bool:
    if len(signature) != 64 or len(public_raw) != 32:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def write_key_file(path: Path, key: KeyPair, key_id: str,
                   created: dt.datetime | None = None) -> None:
    """Create ``path`` (never overwrite) readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    body = json.dumps({
        "type": "Multikey",
        "id": key_id,
        "publicKeyMultibase": key.public_multibase,
        "secretKeyMultibase": key.secret_multibase,
        "created": (created or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }, indent=2)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body + "\n")


def read_key_file(path: Path) -> tuple[str, KeyPair]:
    """(key id, key pair) from a key file; checks the public key matches the secret."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    key = KeyPair.from_secret_multibase(data["secretKeyMultibase"])
    if data.get("publicKeyMultibase") not in (None, key.public_multibase):
        raise ValueError(f"{path}: publicKeyMultibase does not match the secret key")
    return str(data.get("id", "")), key
