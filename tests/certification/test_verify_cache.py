"""The per-process cache of /verify/<id>: used while nothing changed, never shows a suspended,
revoked or re-signed certificate from an older result, even when the change was made by
another process whose invalidation this process never heard of."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sdmkesos.certification import actions, issuing, verification
from sdmkesos.certification.models import Certificate

pytestmark = pytest.mark.django_db


def state(client: Client, cert: Certificate) -> str:
    body = client.get(f"/verify/{cert.public_id}").content.decode()
    return body.split('data-state="', 1)[1].split('"', 1)[0]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts full verifications (cache misses)."""
    calls: list[int] = []
    real = issuing.verify

    def verify(credential: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(credential, **kwargs)

    monkeypatch.setattr(issuing, "verify", verify)
    return calls


@pytest.fixture
def other_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changes are made 'elsewhere': this process's snapshot is neither invalidated nor
    reloaded on its timer, as in a second web process right after another one's change."""
    monkeypatch.setattr(issuing, "invalidate_snapshot", lambda: None)
    monkeypatch.setattr(issuing, "SNAPSHOT_SECONDS", 1e9)
    monkeypatch.setattr(verification, "RELOAD_EVERY", 0.0)


def test_second_request_is_served_from_cache(client: Client, certify: Callable[..., Certificate],
                                             counted: list[int]) -> None:
    cert = certify()
    assert state(client, cert) == "valid"
    first = len(counted)
    assert state(client, cert) == "valid"
    assert client.get(f"/verify/{cert.public_id}.json").json()["state"] == "valid"
    assert client.get(f"/api/v1/certification/verify/{cert.public_id}").json()["verified"]
    assert len(counted) == first  # no new verification


def test_changes_in_this_process_are_seen_at_once(client: Client, admin: Any,
                                                   certify: Callable[..., Certificate]) -> None:
    cert = certify()
    assert state(client, cert) == "valid"
    actions.do_suspend(actor=admin, channel="web", certificate=cert, reason="audit")
    assert state(client, cert) == "suspended"
    actions.do_reinstate(actor=admin, channel="web", certificate=cert, reason="selesai")
    assert state(client, cert) == "valid"
    actions.do_revoke(actor=admin, channel="web", certificate=cert, reason="etik")
    assert state(client, cert) == "revoked"


def test_revocation_by_another_process_is_never_shown_as_valid(
        client: Client, admin: Any, certify: Callable[..., Certificate],
        other_process: None) -> None:
    cert = certify()
    issuing._snapshot.invalidate()
    assert state(client, cert) == "valid"  # cached, snapshot loaded
    actions.do_suspend(actor=admin, channel="web", certificate=cert, reason="audit")
    assert state(client, cert) == "suspended"
    assert client.get(f"/verify/{cert.public_id}.json").json()["state"] == "suspended"
    actions.do_reinstate(actor=admin, channel="web", certificate=cert, reason="selesai")
    assert state(client, cert) == "valid"
    actions.do_revoke(actor=admin, channel="web", certificate=cert, reason="etik")
    assert state(client, cert) == "revoked"
    data = client.get(f"/api/v1/certification/verify/{cert.public_id}").json()
    assert data["state"] == "revoked" and data["verified"] is False


def test_key_withdrawal_elsewhere(client: Client, admin: Any,
                                  certify: Callable[..., Certificate],
                                  other_process: None) -> None:
    cert = certify()
    old_credential = cert.credential
    issuing._snapshot.invalidate()
    assert state(client, cert) == "valid"
    actions.do_withdraw_key(actor=None, channel="cli", kid=cert.key.kid, reason="bocor")
    cert.refresh_from_db()
    assert cert.credential["proof"] != old_credential["proof"]
    # the re-signed credential verifies with the new key (the snapshot reloads for it) ...
    response = client.get(f"/verify/{cert.public_id}.json").json()
    assert response["state"] == "valid"
    assert response["credential"]["proof"]["verificationMethod"].endswith(cert.key.kid)
    # ... and the old one, signed by the withdrawn key, no longer does
    pasted = client.post("/verify/", {"credential": json.dumps(old_credential)})
    assert 'data-state="valid"' not in pasted.content.decode()


def test_rotation_elsewhere_new_certificates_verify(client: Client, admin: Any,
                                                    certify: Callable[..., Certificate],
                                                    other_process: None) -> None:
    first = certify()
    issuing._snapshot.invalidate()
    assert state(client, first) == "valid"
    actions.do_rotate_key(actor=None, channel="cli")
    second = certify()
    assert second.key_id != first.key_id
    assert state(client, second) == "valid"
    assert state(client, first) == "valid"


def test_cached_result_ends_at_the_validity_boundary(certify: Callable[..., Certificate]) -> None:
    cert = certify()
    entry = verification.by_public_id(cert.public_id)
    assert entry is not None and entry.state == "valid"
    until = dt.datetime.fromisoformat(cert.credential["validUntil"]).timestamp()
    assert entry.expires <= until
    assert entry.expires <= dt.datetime.now().timestamp() + verification.MAX_AGE + 1
    soon = dict(cert.credential, validUntil=(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))
                .isoformat())
    assert verification._boundary(soon, dt.datetime.now().timestamp()) <= (
        dt.datetime.now().timestamp() + 6)


def test_disagreement_rules() -> None:
    assert verification.disagrees("revoked", "valid")
    assert verification.disagrees("suspended", "valid")
    assert verification.disagrees("active", "revoked")
    assert verification.disagrees("active", "not_authentic")
    assert not verification.disagrees("active", "valid")
    assert not verification.disagrees("revoked", "revoked")
    assert not verification.disagrees("active", "expired")


def test_a_revoked_certificate_is_never_cached_as_valid(
        admin: Any, certify: Callable[..., Certificate], other_process: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if the status list could not be brought up to date, the page does not keep a
    'valid' answer for a certificate the database says is revoked."""
    cert = certify()
    issuing._snapshot.invalidate()
    assert verification.by_public_id(cert.public_id).state == "valid"  # type: ignore[union-attr]
    monkeypatch.setattr(issuing, "rebuild_status_lists", lambda number: None)
    Certificate.objects.filter(pk=cert.pk).update(status="revoked")  # an inconsistent database
    entry = verification.by_public_id(cert.public_id)
    assert entry is not None and entry.state == "valid" and not entry.cacheable
    assert all(e.state != "valid" or e.cacheable is False or k[2] != "revoked"
               for k, e in verification._entries.items())


def test_fast_path_answers_like_the_full_stack(client: Client,
                                               certify: Callable[..., Certificate],
                                               monkeypatch: pytest.MonkeyPatch,
                                               admin: Any) -> None:
    from sdmkesos.certification import public_views

    cert = certify()
    full = client.get(f"/verify/{cert.public_id}")
    served: list[bool] = []
    real = public_views.cached_page

    def counting(*args: Any) -> Any:
        html = real(*args)
        served.append(html is not None)
        return html

    monkeypatch.setattr(public_views, "cached_page", counting)
    fast = client.get(f"/verify/{cert.public_id}")
    assert served == [True]
    assert fast.content == full.content
    assert fast["Content-Length"] == str(len(fast.content))
    skipped = {"X-Request-Id", "Content-Length", "Date"}
    assert {k: v for k, v in fast.items() if k not in skipped} == {
        k: v for k, v in full.items() if k not in skipped}
    assert fast["X-Frame-Options"] == "DENY" and fast["X-Request-Id"]
    # English: its own page, rendered once by the full stack
    client.cookies["django_language"] = "en"
    english = client.get(f"/verify/{cert.public_id}").content.decode()
    assert 'data-state="valid"' in english and english != full.content.decode()
    # a revocation shows at once through the fast path too
    actions.do_revoke(actor=admin, channel="web", certificate=cert, reason="etik")
    client.cookies.pop("django_language")
    assert 'data-state="revoked"' in client.get(f"/verify/{cert.public_id}").content.decode()
    # other hosts and methods never take the fast path
    assert client.get(f"/verify/{cert.public_id}", HTTP_HOST="evil.example").status_code == 400
    assert client.post(f"/verify/{cert.public_id}").status_code == 405
