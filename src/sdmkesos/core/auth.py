"""API bearer tokens: creation and verification.

Only the SHA-256 digest of a token is stored (``ApiToken.digest``); the raw token is shown once,
when it is issued. Tokens expire after ``settings.SDMKESOS_TOKEN_DAYS`` days (0: never).
``last_used_at`` is written at most once a minute per token, so a busy script does not turn every
read into a write.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import audit
from .choices import Channel
from .models import ApiToken, User

TOKEN_BYTES = 32
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_lifetime() -> dt.timedelta | None:
    days = int(getattr(settings, "SDMKESOS_TOKEN_DAYS", 30) or 0)
    return dt.timedelta(days=days) if days > 0 else None


def create_token(user: User, *, channel: str = Channel.API, note: str = "") -> tuple[str, ApiToken]:
    """Issue a new token for ``user``: returns (raw token, stored row). Audited."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    lifetime = token_lifetime()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            digest=ApiToken.hash(raw),
            expires_at=timezone.now() + lifetime if lifetime else None,
        )
        audit.record(actor=user, channel=channel, action="token.create", obj=token,
                     changes={"expires_at": [None, audit.jsonable(token.expires_at)]},
                     note=note)
    return raw, token


def find_token(raw: str | None) -> ApiToken | None:
    """The stored, unexpired token of an active user matching ``raw``, or None."""
    if not raw:
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(digest=ApiToken.hash(raw.strip())).first())
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def verify_token(raw: str | None) -> User | None:
    """The user a raw bearer token authenticates, or None (unknown, expired, inactive)."""
    token = find_token(raw)
    return token.user if token is not None else None


def revoke_token(token: ApiToken, *, actor: Any, channel: str = Channel.API) -> None:
    """Delete ``token`` (the user signs out a script). Audited."""
    with transaction.atomic():
        audit.record(actor=actor, channel=channel, action="token.revoke", obj=token,
                     changes={"expires_at": [audit.jsonable(token.expires_at), None]})
        token.delete()
