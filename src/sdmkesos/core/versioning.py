"""Data versions for caches: a counter per data set (e.g. "registry") that changes, after commit,
whenever the data changes. A cached result keyed by the version is never served stale: a write
moves the version on and the old entries are simply not asked for again."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

KEY = "data-version:{}"


def current(name: str) -> int:
    key = KEY.format(name)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key, 0)
    return int(value)


def _bump_now(name: str) -> None:
    key = KEY.format(name)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), timeout=None)


def bump(name: str) -> None:
    """Move ``name``'s version on once the current transaction commits (at once outside one):
    bumping before the commit would let a reader cache the old data under the new version."""
    transaction.on_commit(lambda: _bump_now(name))
