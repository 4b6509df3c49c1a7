"""Verifying a credential: each check reported separately.

Checks: ``signature`` (the eddsa-jcs-2022 proof), ``issuer`` (the proof's key belongs to the
issuer: method's DID and controller equal the issuer id), ``proof_purpose`` (assertionMethod,
and the key is listed under assertionMethod in the issuer's DID document), ``validity``
(validFrom / validUntil against now) and ``status`` (each BitstringStatusListEntry, when the
list credential can be obtained; the list itself must verify and come from the same issuer).

A check's ``ok`` is True, False or None (could not be checked, e.g. status list unreachable
offline); ``verified`` is True when no check is False (and, with ``require_status``, none None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import eddsa_jcs, statuslist
from .dids import DidError, Resolver

StatusFetcher = Callable[[str], dict[str, Any]]
"""status list credential URL -> the list credential (raise LookupError/OSError if unreachable)."""


@dataclass
class Check:
    ok: bool | None
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "code": self.code, "message": self.message}
        if self.details:
            out.update(self.details)
        return out


@dataclass
class Result:
    verified: bool
    state: str  # valid, revoked, suspended, expired, not_yet_valid, not_authentic, unknown
    checks: dict[str, Check]

    def as_dict(self) -> dict[str, Any]:
        return {"verified": self.verified, "state": self.state,
                "checks": {k: v.as_dict() for k, v in self.checks.items()}}


def parse_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str) or "T" not in value:
        raise ValueError(f"not an XML Schema dateTime: {value!r}")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def check_validity(credential: dict[str, Any], now: dt.datetime) -> Check:
    try:
        start = parse_datetime(credential["validFrom"]) if "validFrom" in credential else None
        end = parse_datetime(credential["validUntil"]) if "validUntil" in credential else None
    except ValueError as exc:
        return Check(False, "invalid_date", str(exc))
    details = {"validFrom": credential.get("validFrom"), "validUntil": credential.get("validUntil")}
    if start is not None and now < start:
        return Check(False, "not_yet_valid", "credential is not valid yet", details)
    if end is not None and now > end:
        return Check(False, "expired", "credential has expired", details)
    return Check(True, "within_validity", "within the validity period", details)


def _check_issuer(credential: dict[str, Any], resolver: Resolver, vm: str | None) -> Check:
    issuer = issuer_id(credential)
    if issuer is None:
        return Check(False, "no_issuer", "credential names no issuer")
    if not vm:
        return Check(False, "no_verification_method", "proof names no verification method")
    did = vm.split("#", 1)[0]
    try:
        method = resolver.method(vm)
    except DidError as exc:
        return Check(False, "key_not_found", str(exc), {"issuer": issuer})
    if did != issuer or method.controller != issuer:
        return Check(False, "issuer_mismatch",
                     f"key {vm} is controlled by {method.controller}, not by issuer {issuer}",
                     {"issuer": issuer, "controller": method.controller})
    return Check(True, "issuer_controls_key", "the issuer controls the signing key",
                 {"issuer": issuer})


def _check_purpose(resolver: Resolver, vm: str | None, purpose: str | None) -> Check:
    if purpose != "assertionMethod":
        return Check(False, "wrong_proof_purpose",
                     f"proofPurpose is {purpose!r}, expected 'assertionMethod'")
    if not vm:
        return Check(False, "no_verification_method", "proof names no verification method")
    try:
        method = resolver.method(vm)
    except DidError as exc:
        return Check(False, "key_not_found", str(exc))
    if not method.has_relationship("assertionMethod"):
        return Check(False, "not_assertion_method",
                     f"{vm} is not an assertionMethod of its DID document (withdrawn key?)")
    return Check(True, "assertion_method", "key authorised for assertionMethod")


class StatusListCache:
    """Status lists already verified, so a busy verifier checks each list's proof once.

    The key holds every field the status check reads (id, issuer, purpose, validity,
    encodedList) plus the proofValue and the public key that verified it, so a hit can only
    return bits a valid proof by the same key covered."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.entries: dict[tuple[Any, ...], statuslist.Bitstring] = {}

    def get(self, key: tuple[Any, ...]) -> statuslist.Bitstring | None:
        return self.entries.get(key)

    def put(self, key: tuple[Any, ...], bits: statuslist.Bitstring) -> None:
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = bits


def _status_bits(list_cred: Any, url: str, purpose: Any, issuer: str | None,
                 resolver: Resolver, now: dt.datetime,
                 cache: StatusListCache | None) -> statuslist.Bitstring:
    """The verified bitstring of a status list credential (StatusListError if it is not one
    this credential may rely on)."""
    if not isinstance(list_cred, dict):
        raise statuslist.StatusListError(f"status list {url} is not a JSON object")
    subject = list_cred.get("credentialSubject")
    if not isinstance(subject, dict):
        raise statuslist.StatusListError(f"status list {url} has no credentialSubject")
    proof = list_cred.get("proof")
    vm = proof.get("verificationMethod") if isinstance(proof, dict) else None
    try:
        public = resolver.public_key(vm) if isinstance(vm, str) else b""
    except (LookupError, ValueError):
        public = b""
    key = (url, list_cred.get("id"), issuer_id(list_cred), subject.get("statusPurpose"),
           list_cred.get("validFrom"), list_cred.get("validUntil"),
           subject.get("encodedList"), proof.get("proofValue") if isinstance(proof, dict)
           else None, vm, public)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None and check_validity(list_cred, now).ok is not False:
            return hit
    if list_cred.get("id") != url:
        raise statuslist.StatusListError(f"status list id {list_cred.get('id')} is not {url}")
    if issuer_id(list_cred) != issuer:
        raise statuslist.StatusListError(f"status list {url} is not from the issuer")
    if subject.get("statusPurpose") != purpose:
        raise statuslist.StatusListError(f"status list {url} has another statusPurpose")
    if check_validity(list_cred, now).ok is False:
        raise statuslist.StatusListError(f"status list {url} is outside its validity")
    if not eddsa_jcs.verify_proof(list_cred, resolver.public_key).ok:
        raise statuslist.StatusListError(f"status list {url} does not verify")
    bits = statuslist.Bitstring.decode(str(subject.get("encodedList", "")))
    if cache is not None:
        cache.put(key, bits)
    return bits


def _check_status(credential: dict[str, Any], resolver: Resolver,
                  fetch: StatusFetcher | None, now: dt.datetime,
                  cache: StatusListCache | None = None) -> tuple[Check, str | None]:
    entries = statuslist.status_entries(credential)
    if not entries:
        return Check(True, "no_status", "credential carries no status entry"), None
    results: list[dict[str, Any]] = []
    state: str | None = None
    unknown = False
    for item in entries:
        purpose = item.get("statusPurpose")
        url = item.get("statusListCredential")
        if item.get("type") != "BitstringStatusListEntry" or not isinstance(url, str):
            results.append({"purpose": purpose, "ok": None, "code": "unsupported_status"})
            unknown = True
            continue
        try:
            index = int(str(item.get("statusListIndex")))
        except ValueError:
            return Check(False, "invalid_status_index", "statusListIndex is not a number"), None
        if fetch is None:
            results.append({"purpose": purpose, "ok": None, "code": "status_not_fetched"})
            unknown = True
            continue
        try:
            list_cred = fetch(url)
        except (LookupError, OSError, ValueError) as exc:
            results.append({"purpose": purpose, "ok": None, "code": "status_unreachable",
                            "message": str(exc)})
            unknown = True
            continue
        try:
            bits = _status_bits(list_cred, url, purpose, issuer_id(credential), resolver, now,
                                cache)
            bit = bits.get(index)
        except statuslist.StatusListError as exc:
            return Check(False, "status_list_invalid", str(exc)), None
        results.append({"purpose": purpose, "ok": not bit, "set": bit})
        if bit and purpose == "revocation":
            state = "revoked"
        elif bit and purpose == "suspension" and state != "revoked":
            state = "suspended"
    details = {"entries": results}
    if state == "revoked":
        return Check(False, "revoked", "credential has been revoked", details), state
    if state == "suspended":
        return Check(False, "suspended", "credential is suspended", details), state
    if unknown:
        return Check(None, "status_unknown", "status could not be checked", details), None
    return Check(True, "status_clear", "neither revoked nor suspended", details), None


def verify_credential(credential: Any, *, resolver: Resolver | None = None,
                      fetch_status: StatusFetcher | None = None,
                      now: dt.datetime | None = None, require_status: bool = False,
                      status_cache: StatusListCache | None = None) -> Result:
    resolver = resolver or Resolver()
    now = now or dt.datetime.now(dt.UTC)
    if not isinstance(credential, dict):
        check = Check(False, "not_an_object", "credential is not a JSON object")
        return Result(False, "not_authentic", {"signature": check})
    checks: dict[str, Check] = {}
    proof = eddsa_jcs.verify_proof(credential, resolver.public_key)
    checks["signature"] = Check(proof.ok, proof.code, proof.message,
                                {"verificationMethod": proof.verification_method})
    checks["issuer"] = _check_issuer(credential, resolver, proof.verification_method)
    checks["proof_purpose"] = _check_purpose(resolver, proof.verification_method,
                                             proof.proof_purpose)
    checks["validity"] = check_validity(credential, now)
    status_state: str | None = None
    if proof.ok:
        checks["status"], status_state = _check_status(credential, resolver, fetch_status, now,
                                                       status_cache)
    else:
        checks["status"] = Check(None, "not_checked", "not checked: the proof is not valid")
    failed = [c for c in checks.values() if c.ok is False]
    unknown = [c for c in checks.values() if c.ok is None]
    verified = not failed and not (require_status and unknown)
    if any(checks[k].ok is False for k in ("signature", "issuer", "proof_purpose")):
        state = "not_authentic"
    elif status_state is not None:
        state = status_state
    elif checks["validity"].ok is False:
        state = checks["validity"].code if checks["validity"].code in (
            "expired", "not_yet_valid") else "not_authentic"
    elif checks["status"].ok is False:
        state = "not_authentic"
    elif unknown:
        state = "unknown" if require_status else "valid"
    else:
        state = "valid"
    return Result(verified, state, checks)
