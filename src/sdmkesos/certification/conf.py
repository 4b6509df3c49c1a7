"""Settings of certification, read at call time from Django settings or the environment.

SDMKESOS_SIGNING_KEY_DIR  directory of the signing key files (default <VAR_DIR>/keys)
SDMKESOS_PUBLIC_URL       public base URL of the deployment (default http://localhost:8000);
                          the issuer DID is did:web of its host, verification URLs use it
SDMKESOS_ISSUER_DID       override the issuer DID (default did:web:<host of PUBLIC_URL>)
SDMKESOS_ISSUER_NAME      issuer name printed on certificates
SDMKESOS_ISSUER_LOGO      path of a PNG/JPEG logo printed on certificates (optional)
SDMKESOS_VERIFY_RATE      public verifications per minute per client address (default 60)
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from sdmkesos.credentials.dids import did_web

DEFAULT_ISSUER_NAME = "Lembaga Sertifikasi Profesi Kementerian Sosial"


def _get(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def key_dir() -> Path:
    value = _get("SDMKESOS_SIGNING_KEY_DIR")
    return Path(value) if value else Path(settings.VAR_DIR) / "keys"


def public_url() -> str:
    return _get("SDMKESOS_PUBLIC_URL", "http://localhost:8000").rstrip("/")


def issuer_did() -> str:
    explicit = _get("SDMKESOS_ISSUER_DID")
    if explicit:
        return explicit
    return did_web(urlsplit(public_url()).netloc)


def issuer_name() -> str:
    return _get("SDMKESOS_ISSUER_NAME", DEFAULT_ISSUER_NAME)


def issuer_logo() -> Path | None:
    value = _get("SDMKESOS_ISSUER_LOGO")
    return Path(value) if value else None


def verify_rate() -> int:
    return int(_get("SDMKESOS_VERIFY_RATE", "60"))


def verify_rate_cache() -> str:
    """Alias of a shared Django cache for the rate limiter; empty: count in each process."""
    return _get("SDMKESOS_VERIFY_RATE_CACHE", "")


def verify_url(public_id: str) -> str:
    return f"{public_url()}/verify/{public_id}"


def status_list_url(number: int, purpose: str) -> str:
    return f"{public_url()}/status/{number}/{purpose}"
