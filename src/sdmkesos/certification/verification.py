"""Verification of this service's own credentials by their public code (``/verify/<id>``),
with a per-process cache of the result.

A cached result is used only while all of these still hold:

- the certificate row's status and signing key in the database are the ones it was computed
  for (one indexed query per request reads them, so a suspension, reinstatement, revocation or
  re-signing committed by *any* process is seen at once);
- this process's snapshot of the DID document and status lists has the same generation (a new
  key, a withdrawn key or a re-signed status list bumps it; see ``issuing._Snapshot``);
- it is younger than ``MAX_AGE`` seconds and the credential has not crossed its ``validFrom`` /
  ``validUntil`` since.

When the database and the verification disagree (the database says revoked or suspended but
the snapshot's status list has not caught up, or a new key is not in the snapshot yet), the
snapshot is reloaded at once and the credential verified again; a result that still disagrees
is never cached.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from . import conf, issuing
from .choices import CertificateStatus
from .models import Certificate, CompletionCredential

MAX_AGE = 60.0
MAX_ENTRIES = 20_000
RELOAD_EVERY = 1.0  # at most one forced snapshot reload per second per process


@dataclass
class Entry:
    kind: str
    public_id: str
    result: dict[str, Any]
    state: str
    verified: bool
    info: dict[str, Any]
    ours: bool
    checked_at: dt.datetime
    credential: dict[str, Any]
    generation: int = 0
    expires: float = 0.0
    cacheable: bool = True
    html: dict[str, str] = field(default_factory=dict)


_lock = threading.Lock()
_entries: dict[tuple[str, str, str, int], Entry] = {}
_last_reload = -1e9


def clear() -> None:
    with _lock:
        _entries.clear()


def summary(credential: Any) -> dict[str, Any]:
    """What the page shows of a credential: no identifiers beyond the name."""
    if not isinstance(credential, dict):
        return {}
    subject = credential.get("credentialSubject") or {}
    if not isinstance(subject, dict):
        subject = {}
    cert = subject.get("certificate") or {}
    scheme = cert.get("scheme") if isinstance(cert, dict) else None
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"),
                                                          dict) else None
    issuer = credential.get("issuer")
    return {
        "name": subject.get("name", ""),
        "title": credential.get("name", ""),
        "number": (cert.get("number", "") if isinstance(cert, dict) else "")
        or str(subject.get("number", "") or ""),
        "scheme": scheme.get("name", "") if isinstance(scheme, dict) else "",
        "achievement": achievement.get("name", "") if achievement else "",
        "issuer": (issuer.get("name") or issuer.get("id")) if isinstance(issuer, dict)
        else issuer,
        "issuer_id": issuer.get("id") if isinstance(issuer, dict) else issuer,
        "valid_from": str(credential.get("validFrom", ""))[:10],
        "valid_until": str(credential.get("validUntil", ""))[:10],
    }


def evaluate(credential: Any, *, kind: str = "", public_id: str = "") -> Entry:
    """Verify any credential against this service's snapshot (nothing cached here)."""
    result = issuing.verify(credential)
    info = summary(credential)
    return Entry(kind=kind, public_id=public_id, result=result.as_dict(), state=result.state,
                 verified=result.verified, info=info,
                 ours=info.get("issuer_id") == conf.issuer_did(), checked_at=timezone.now(),
                 credential=credential if isinstance(credential, dict) else {})


def _lookup(public_id: str) -> tuple[str, str, int] | None:
    """(kind, status, key id) of the credential with this public code, from the database."""
    # plain SQL on the unique index: the ORM would cost more than the rest of a cached request
    with connection.cursor() as cursor:
        for kind, model in _models():
            cursor.execute(f"SELECT status, key_id FROM {model._meta.db_table} "
                           "WHERE public_id = %s", [public_id])
            row = cursor.fetchone()
            if row is not None:
                return kind, str(row[0]), int(row[1])
    return None


def _models() -> list[tuple[str, Any]]:
    return [("certificate", Certificate), ("completion", CompletionCredential)]


def _credential(kind: str, public_id: str) -> dict[str, Any]:
    model = dict(_models())[kind]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT credential FROM {model._meta.db_table} WHERE public_id = %s",
                       [public_id])
        row = cursor.fetchone()
    if row is None:
        return {}
    value = row[0]
    if isinstance(value, (str, bytes)):  # SQLite returns the JSON text, PostgreSQL the value
        value = json.loads(value)
    return dict(value) if isinstance(value, dict) else {}


_AGREES: dict[str, set[str]] = {
    CertificateStatus.ACTIVE: {"valid", "expired", "not_yet_valid"},
    CertificateStatus.SUSPENDED: {"suspended", "expired", "not_yet_valid"},
    CertificateStatus.REVOKED: {"revoked", "expired", "not_yet_valid"},
}


def disagrees(status: str, state: str) -> bool:
    """The database's status and the verification's state cannot both be right."""
    return state not in _AGREES.get(status, set())


def _boundary(credential: dict[str, Any], now: float) -> float:
    """The next moment the validity check's answer changes (validFrom or validUntil)."""
    soonest = now + MAX_AGE
    for name in ("validFrom", "validUntil"):
        value = credential.get(name)
        if not isinstance(value, str):
            continue
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            continue
        if moment > now:
            soonest = min(soonest, moment)
    return soonest


def by_public_id(public_id: str) -> Entry | None:
    """The verification of this service's credential ``public_id`` (cached; see above)."""
    global _last_reload
    found = _lookup(public_id)
    if found is None:
        return None
    kind, status, key_id = found
    key = (kind, public_id, status, key_id)
    generation = issuing.snapshot_generation()
    now = time.time()
    entry = _entries.get(key)
    if entry is not None and entry.generation == generation and entry.expires > now:
        return entry
    credential = _credential(kind, public_id)
    entry = evaluate(credential, kind=kind, public_id=public_id)
    if disagrees(status, entry.state):
        mono = time.monotonic()
        if mono - _last_reload >= RELOAD_EVERY:
            _last_reload = mono
            generation = issuing.reload_snapshot()
            entry = evaluate(credential, kind=kind, public_id=public_id)
        entry.cacheable = not disagrees(status, entry.state)
    entry.generation = generation
    entry.expires = _boundary(credential, now)
    if entry.cacheable:
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[key] = entry
    return entry
