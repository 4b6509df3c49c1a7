"""A small fixed-window rate limiter on Django's cache (shared when the cache is shared)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from . import conf


def client_key(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def allow(request: HttpRequest, bucket: str = "verify", limit: int | None = None,
          window: int = 60) -> bool:
    """Count this request; False once the client made more than ``limit`` in this window."""
    limit = conf.verify_rate() if limit is None else limit
    if limit <= 0:
        return True
    key = f"sdmkesos-rl:{bucket}:{client_key(request)}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
    return count <= limit
