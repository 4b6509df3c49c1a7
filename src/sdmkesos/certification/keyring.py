"""Issuer keys: the active signing key (secret in a file), rotation and withdrawal, and the
issuer's did:web document built from the published public keys.

Files: ``<key dir>/<kid>.json`` (mode 0600, see ``credentials.keys``). A withdrawn key's file
is renamed ``<kid>.withdrawn`` so it can never sign again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from sdmkesos.core.errors import DomainError
from sdmkesos.credentials.dids import PublishedKey, build_did_web_document
from sdmkesos.credentials.keys import KeyPair, read_key_file, write_key_file

from . import conf
from .models import IssuerKey


def key_path(kid: str) -> Path:
    return conf.key_dir() / f"{kid}.json"


def active_key() -> IssuerKey | None:
    return (IssuerKey.objects.filter(retired_at__isnull=True, withdrawn_at__isnull=True)
            .order_by("-created_at", "-id").first())


def signing_key() -> tuple[IssuerKey, KeyPair]:
    """The active key and its secret (from the key file)."""
    key = active_key()
    if key is None:
        raise DomainError("signing_key_missing", message=(
            "Kunci penandatangan belum dibuat: jalankan `sdmkesos credentials init-key`."))
    path = key_path(key.kid)
    try:
        _, pair = read_key_file(path)
    except FileNotFoundError:
        raise DomainError("signing_key_missing", message=(
            f"Berkas kunci {path} tidak ditemukan; salin berkasnya atau putar kunci "
            "(`sdmkesos credentials rotate-key`).")) from None
    if pair.public_multibase != key.public_key_multibase:
        raise DomainError("signing_key_mismatch", message=(
            f"Berkas kunci {path} tidak cocok dengan kunci publik {key.kid}."))
    return key, pair


def verification_method(key: IssuerKey) -> str:
    return f"{conf.issuer_did()}#{key.kid}"


def _new_kid(now: dt.datetime) -> str:
    return f"key-{now:%Y%m%d}-{secrets.token_hex(3)}"


def create_key() -> IssuerKey:
    """A new key: secret to a new file, public half to the database (caller is atomic)."""
    now = timezone.now()
    kid = _new_kid(now)
    pair = KeyPair.generate()
    write_key_file(key_path(kid), pair, kid, now)
    key = IssuerKey.objects.create(kid=kid, public_key_multibase=pair.public_multibase)
    _changed()
    return key


def _changed() -> None:
    from .issuing import invalidate_snapshot

    invalidate_snapshot()


def retire(key: IssuerKey) -> None:
    latest = key.certificates.aggregate(m=Max("valid_until"))["m"]
    key.retired_at = timezone.now()
    # training completion credentials do not expire: a key that signed one stays published
    # (keep_until empty) unless it is withdrawn
    key.keep_until = (None if key.completion_credentials.exists()
                      else latest or timezone.localdate())
    key.save(update_fields=["retired_at", "keep_until"])
    _changed()


def published_keys(today: dt.date | None = None) -> list[IssuerKey]:
    """Keys in the DID document: not withdrawn; retired ones until their certificates expire."""
    today = today or timezone.localdate()
    return list(IssuerKey.objects.filter(withdrawn_at__isnull=True).filter(
        Q(retired_at__isnull=True) | Q(keep_until__isnull=True) | Q(keep_until__gte=today)))


def did_document() -> dict[str, Any]:
    did = conf.issuer_did()
    return build_did_web_document(
        did, [PublishedKey(k.kid, k.public_key_multibase) for k in published_keys()],
        also_known_as=[conf.public_url()])
