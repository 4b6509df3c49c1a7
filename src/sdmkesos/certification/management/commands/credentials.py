"""sdmkesos credentials verify FILE [--did-document FILE] [--status-list FILE] [--fetch]
sdmkesos credentials init-key | rotate-key | withdraw-key KID --reason R | keys
sdmkesos credentials did-document

``verify`` prints one JSON object ``{"verified": bool, "state": ..., "checks": {...}}`` and
exits 0 only when verified. Keys come from did:key itself, from ``--did-document`` files, from
this deployment's database when the issuer is this deployment, or (``--fetch``) from the
did:web URL. Status lists: ``--status-list`` files, this deployment's own lists, or
``--fetch``.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from argparse import ArgumentParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from sdmkesos.core.errors import DomainError
from sdmkesos.credentials.dids import DidError, Resolver, did_web_url
from sdmkesos.credentials.verify import verify_credential

MAX_FETCH = 4 * 1024 * 1024


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}: bukan JSON yang valid ({exc})") from None


def fetch_json(url: str) -> dict[str, Any]:
    host = urlsplit(url).hostname or ""
    if host in ("localhost", "127.0.0.1") and url.startswith("https://"):
        url = "http://" + url[len("https://"):]
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read(MAX_FETCH + 1)
    if len(body) > MAX_FETCH:
        raise ValueError(f"{url}: response too large")
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError(f"{url}: not a JSON object")
    return data


class Command(BaseCommand):
    help = "Verifiable credentials: verify a credential file; manage the issuer's signing keys."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="verify a credential file (JSON)")
        verify.add_argument("file")
        verify.add_argument("--did-document", action="append", default=[],
                            help="a DID document file (repeatable)")
        verify.add_argument("--status-list", action="append", default=[],
                            help="a status list credential file (repeatable)")
        verify.add_argument("--fetch", action="store_true",
                            help="fetch did:web documents and status lists over HTTPS")
        verify.add_argument("--require-status", action="store_true",
                            help="fail when the status cannot be checked")
        sub.add_parser("init-key", help="create the signing key if there is none (idempotent)")
        sub.add_parser("rotate-key", help="a new signing key from now on")
        withdraw = sub.add_parser("withdraw-key", help="withdraw a compromised key")
        withdraw.add_argument("kid")
        withdraw.add_argument("--reason", required=True)
        sub.add_parser("keys", help="list the issuer keys")
        sub.add_parser("did-document", help="print this deployment's DID document")
        sub.add_parser("rebuild-status-lists", help="re-sign every status list")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        try:
            if verb == "verify":
                self.verify(options)
            elif verb == "init-key":
                self.init_key()
            elif verb == "rotate-key":
                from sdmkesos.certification.actions import do_rotate_key

                key = do_rotate_key(actor=None, channel="cli")
                self.stdout.write(json.dumps({"kid": key.kid, "rotated": True}))
            elif verb == "withdraw-key":
                from sdmkesos.certification.actions import do_withdraw_key

                out = do_withdraw_key(actor=None, channel="cli", kid=options["kid"],
                                      reason=options["reason"])
                self.stdout.write(json.dumps({**out, "withdrawn": True}))
            elif verb == "keys":
                from sdmkesos.certification.models import IssuerKey

                for key in IssuerKey.objects.all():
                    self.stdout.write(json.dumps({
                        "kid": key.kid, "state": key.state,
                        "publicKeyMultibase": key.public_key_multibase,
                        "created": key.created_at.isoformat(),
                        "keep_until": key.keep_until.isoformat() if key.keep_until else None}))
            elif verb == "did-document":
                from sdmkesos.certification.keyring import did_document

                self.stdout.write(json.dumps(did_document(), indent=2))
            elif verb == "rebuild-status-lists":
                from django.db import transaction

                from sdmkesos.certification import issuing

                with transaction.atomic():
                    numbers = issuing.all_list_numbers() or [1]
                    for number in numbers:
                        issuing.rebuild_status_lists(number)
                self.stdout.write(json.dumps({"lists": numbers}))
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None

    def init_key(self) -> None:
        from sdmkesos.certification import conf
        from sdmkesos.certification.actions import do_init_key

        key, created = do_init_key(actor=None, channel="cli")
        self.stdout.write(json.dumps({"kid": key.kid, "created": created,
                                      "key_dir": str(conf.key_dir()),
                                      "did": conf.issuer_did()}))

    def verify(self, options: dict[str, Any]) -> None:
        credential = _read_json(options["file"])
        resolver = Resolver()
        for path in options["did_document"]:
            resolver.add(_read_json(path))
        status_files: dict[str, dict[str, Any]] = {}
        for path in options["status_list"]:
            doc = _read_json(path)
            status_files[str(doc.get("id"))] = doc
        local = _local_service()
        fetch = options["fetch"]

        def fetch_did(did: str) -> dict[str, Any]:
            if local is not None and did == local["did"]:
                return dict(local["document"]())
            if fetch and did.startswith("did:web:"):
                try:
                    return fetch_json(did_web_url(did))
                except (OSError, ValueError) as exc:
                    raise DidError(f"{did}: {exc}") from None
            raise DidError(f"no DID document for {did} (give --did-document or --fetch)")

        resolver.fetch = fetch_did

        def fetch_status(url: str) -> dict[str, Any]:
            if url in status_files:
                return status_files[url]
            if local is not None:
                try:
                    return dict(local["status"](url))
                except LookupError:
                    pass
            if fetch:
                return fetch_json(url)
            raise LookupError(f"status list {url} not available offline")

        result = verify_credential(credential, resolver=resolver, fetch_status=fetch_status,
                                   require_status=options["require_status"])
        self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        if not result.verified:
            sys.exit(1)


def _local_service() -> dict[str, Any] | None:
    """This deployment's DID and status lists, when its database is reachable."""
    try:
        from sdmkesos.certification import conf, issuing, keyring

        keyring.active_key()
    except (DatabaseError, ImportError):
        return None

    def status(url: str) -> dict[str, Any]:
        try:
            return issuing.local_status(url)
        except DatabaseError as exc:
            raise LookupError(str(exc)) from None

    return {"did": conf.issuer_did(), "document": keyring.did_document, "status": status}
