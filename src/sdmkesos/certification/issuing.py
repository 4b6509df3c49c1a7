"""Building, signing and verifying this deployment's credentials: certificate credentials,
status list credentials, and the local verifier (our DID document and status lists from the
database; no network)."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from sdmkesos.credentials import eddsa_jcs, statuslist
from sdmkesos.credentials.dids import Resolver
from sdmkesos.credentials.verify import Result, StatusListCache, verify_credential

from . import conf, keyring
from .choices import CertificateStatus
from .models import Certificate, CompletionCredential, IssuerKey, StatusListCredential

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
PURPOSES = ("revocation", "suspension")
LIST_SIZE = statuslist.MIN_SIZE
WIB = dt.timezone(dt.timedelta(hours=7))
_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_public_id() -> str:
    """12 random characters (31^12 ≈ 8·10^17), unused by any certificate or credential."""
    while True:
        candidate = "".join(secrets.choice(_ID_ALPHABET) for _ in range(12))
        if not any(m.objects.filter(public_id=candidate).exists() for m in _status_models()):
            return candidate


def _start(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(0, 0), WIB).isoformat()


def _end(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(23, 59, 59), WIB).isoformat()


def certificate_document(cert: Certificate) -> dict[str, Any]:
    """The unsigned credential of a certificate: minimum personal data (name only)."""
    scheme = cert.scheme
    return {
        "@context": [VC_CONTEXT],
        "id": conf.verify_url(cert.public_id),
        "type": ["VerifiableCredential", "SertifikatKompetensi"],
        "name": f"Sertifikat Kompetensi {scheme.name}",
        "issuer": {"id": conf.issuer_did(), "name": conf.issuer_name()},
        "validFrom": _start(cert.valid_from),
        "validUntil": _end(cert.valid_until),
        "credentialSubject": {
            "type": "PemegangSertifikat",
            "name": cert.person.name,
            "certificate": {
                "number": cert.number,
                "scheme": {"code": scheme.code, "name": scheme.name},
                "units": [{"code": u.code, "title": u.title} for u in scheme.units.all()],
                "result": "Kompeten",
            },
        },
        "credentialStatus": [
            statuslist.entry(conf.status_list_url(cert.status_list, p), cert.status_index, p)
            for p in PURPOSES],
    }


OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def completion_document(credential: CompletionCredential) -> dict[str, Any]:
    """The unsigned Open Badges 3.0 ``OpenBadgeCredential`` of a training completion: the
    holder's name (as an unhashed ``IdentityObject`` and as ``name``), the programme as the
    ``Achievement``, the batch dates; no NIK, no birth date. No ``validUntil``: a completion
    does not expire (it can be suspended or revoked through the status lists)."""
    nomination = credential.nomination
    batch = nomination.batch
    programme = batch.programme
    completed = nomination.completed_on or batch.end_date
    name = credential.person.name
    narrative = (f"Mengikuti {programme.name} ({programme.jp} JP), angkatan {batch.number}, "
                 f"{batch.start_date:%d-%m-%Y} s.d. {batch.end_date:%d-%m-%Y}, dan dinyatakan "
                 "lulus.")
    return {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": conf.verify_url(credential.public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Sertifikat Pelatihan {programme.name}",
        "issuer": {"id": conf.issuer_did(), "type": ["Profile"], "name": conf.issuer_name()},
        "validFrom": _start(completed),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": name,
            "identifier": [{"type": "IdentityObject", "identityType": "name",
                            "hashed": False, "identityHash": name}],
            "activityStartDate": _start(batch.start_date),
            "activityEndDate": _end(batch.end_date),
            "achievement": {
                "id": f"{conf.public_url()}/pelatihan/program/{programme.code}/",
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": programme.name,
                "description": programme.description or f"Pelatihan {programme.name}",
                "criteria": {"narrative": narrative},
                "humanCode": programme.code,
            },
            "number": credential.number,
        },
        "credentialStatus": [
            statuslist.entry(conf.status_list_url(credential.status_list, p),
                             credential.status_index, p)
            for p in PURPOSES],
    }


def sign(document: dict[str, Any]) -> tuple[IssuerKey, dict[str, Any]]:
    key, pair = keyring.signing_key()
    signed = eddsa_jcs.sign(document, pair, verification_method=keyring.verification_method(key),
                            created=timezone.now())
    return key, signed


def _status_models() -> tuple[Any, ...]:
    """The rows that hold a slot on the status lists: competency certificates and training
    completion credentials share the lists."""
    return (Certificate, CompletionCredential)


def allocate_status_slot() -> tuple[int, int]:
    """(list number, random free index): the newest list with room, else a new list."""
    number = max((m.objects.order_by("-status_list").values_list("status_list", flat=True)
                  .first() or 1) for m in _status_models())
    taken: set[int] = set()
    for model in _status_models():
        taken |= set(model.objects.filter(status_list=number)
                     .values_list("status_index", flat=True))
    if len(taken) >= LIST_SIZE // 2:  # keep lists sparse so indexes stay unguessable
        number, taken = number + 1, set()
    return number, statuslist.random_index(taken, LIST_SIZE)


def rebuild_status_lists(number: int) -> None:
    """Sign the current revocation and suspension lists of list ``number`` (caller atomic)."""
    for purpose in PURPOSES:
        status = (CertificateStatus.REVOKED if purpose == "revocation"
                  else CertificateStatus.SUSPENDED)
        indexes: list[int] = []
        for model in _status_models():
            indexes.extend(model.objects.filter(status_list=number, status=status)
                           .values_list("status_index", flat=True))
        url = conf.status_list_url(number, purpose)
        doc = statuslist.list_credential(
            list_url=url, issuer=conf.issuer_did(), purpose=purpose,
            bits=statuslist.Bitstring.with_bits(indexes, LIST_SIZE),
            # a few minutes back, so a verifier whose clock lags does not see it "not yet valid"
            valid_from=eddsa_jcs.xsd_datetime(timezone.now() - dt.timedelta(minutes=5)))
        _, signed = sign(doc)
        StatusListCredential.objects.update_or_create(
            list_number=number, purpose=purpose, defaults={"credential": signed})
    invalidate_snapshot()


def ensure_status_lists(number: int) -> None:
    if StatusListCredential.objects.filter(list_number=number).count() < len(PURPOSES):
        rebuild_status_lists(number)


def all_list_numbers() -> list[int]:
    numbers = set(StatusListCredential.objects.values_list("list_number", flat=True))
    for model in _status_models():
        numbers |= set(model.objects.values_list("status_list", flat=True))
    return sorted(numbers)


def local_status(url: str) -> dict[str, Any]:
    """A status list credential of this deployment, by its URL path ``/status/<n>/<purpose>``."""
    parts = urlsplit(url)
    ours = urlsplit(conf.public_url())
    segments = parts.path.strip("/").split("/")
    if (parts.netloc != ours.netloc or len(segments) != 3 or segments[0] != "status"
            or not segments[1].isdigit()):
        raise LookupError(f"{url} is not a status list of this service")
    row = StatusListCredential.objects.filter(list_number=int(segments[1]),
                                              purpose=segments[2]).first()
    if row is None:
        raise LookupError(f"no status list at {url}")
    return dict(row.credential)


def local_resolver() -> Resolver:
    """did:key natively; our own did:web from the database; nothing fetched from elsewhere."""
    resolver = Resolver()
    resolver.add(keyring.did_document())
    return resolver


_STATUS_CACHE = StatusListCache()
SNAPSHOT_SECONDS = 5.0


class _Snapshot:
    """This process's copy of the issuer's DID document and signed status lists, reloaded
    after SNAPSHOT_SECONDS, and at once when this process changes a status or a key. Another
    web process sees a change within SNAPSHOT_SECONDS."""

    def __init__(self) -> None:
        self.loaded_at = -1e9
        self.resolver: Resolver | None = None
        self.lists: dict[str, dict[str, Any]] = {}
        self.netloc = ""
        self.fingerprint: tuple[Any, ...] = ()
        # bumped whenever a reload finds a different DID document or status list: results
        # cached under an older generation are never used again
        self.generation = 0

    def current(self) -> _Snapshot:
        now = time.monotonic()
        if self.resolver is None or now - self.loaded_at > SNAPSHOT_SECONDS:
            self.reload(now)
        return self

    def reload(self, now: float | None = None) -> None:
        document = keyring.did_document()
        resolver = Resolver()
        resolver.add(document)
        lists = {conf.status_list_url(r.list_number, r.purpose): dict(r.credential)
                 for r in StatusListCredential.objects.all()}
        fingerprint = (conf.public_url(),
                       tuple((m["id"], m["publicKeyMultibase"])
                             for m in document.get("verificationMethod", [])),
                       tuple(sorted(document.get("assertionMethod", []))),
                       tuple(sorted((url, (c.get("proof") or {}).get("proofValue", ""))
                                    for url, c in lists.items())))
        if fingerprint != self.fingerprint:
            self.generation += 1
            self.fingerprint = fingerprint
        self.resolver, self.lists = resolver, lists
        self.loaded_at = time.monotonic() if now is None else now
        self.netloc = urlsplit(conf.public_url()).netloc

    def status(self, url: str) -> dict[str, Any]:
        found = self.lists.get(url)
        if found is None:
            return local_status(url)
        return found

    def invalidate(self) -> None:
        self.resolver = None


_snapshot = _Snapshot()


def snapshot_generation() -> int:
    """The generation of this process's snapshot (reloaded when older than SNAPSHOT_SECONDS)."""
    return _snapshot.current().generation


def reload_snapshot() -> int:
    """Reload the snapshot now (the database says something the snapshot does not)."""
    _snapshot.reload()
    return _snapshot.generation


def invalidate_snapshot() -> None:
    """Called by the actions that change statuses or keys (now and again on commit)."""
    _snapshot.invalidate()
    transaction.on_commit(_snapshot.invalidate)


def verify(credential: Any, *, now: dt.datetime | None = None) -> Result:
    snap = _snapshot.current()
    assert snap.resolver is not None
    return verify_credential(credential, resolver=snap.resolver, fetch_status=snap.status,
                             now=now, status_cache=_STATUS_CACHE)
