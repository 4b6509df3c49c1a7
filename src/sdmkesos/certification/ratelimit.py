"""A small fixed-window rate limiter for the public verification pages.

By default the counters live in this process's memory (a dict under a lock: a few microseconds
per request, no I/O), so each web process counts separately and the effective limit is the
per-minute limit times the number of web processes. Set ``SDMKESOS_VERIFY_RATE_CACHE`` to the
alias of a shared Django cache (e.g. Redis) to count across processes and machines instead.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import caches
from django.http import HttpRequest

from . import conf

_lock = threading.Lock()
_window = -1
_counts: dict[tuple[str, str], int] = {}


def client_key(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def reset() -> None:
    """Forget every in-process counter (tests)."""
    global _window
    with _lock:
        _counts.clear()
        _window = -1


def _allow_local(bucket: str, client: str, limit: int, window: int) -> bool:
    global _window
    current = int(time.time() // window)
    with _lock:
        if current != _window:  # a new window: all old counters are void
            _counts.clear()
            _window = current
        count = _counts.get((bucket, client), 0) + 1
        _counts[(bucket, client)] = count
    return count <= limit


def _allow_shared(alias: str, bucket: str, client: str, limit: int, window: int) -> bool:
    cache = caches[alias]
    key = f"sdmkesos-rl:{bucket}:{client}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
    return count <= limit


def allow(request: HttpRequest, bucket: str = "verify", limit: int | None = None,
          window: int = 60) -> bool:
    """Count this request; False once the client made more than ``limit`` in this window."""
    limit = conf.verify_rate() if limit is None else limit
    if limit <= 0:
        return True
    alias = conf.verify_rate_cache()
    if alias:
        return _allow_shared(alias, bucket, client_key(request), limit, window)
    return _allow_local(bucket, client_key(request), limit, window)
