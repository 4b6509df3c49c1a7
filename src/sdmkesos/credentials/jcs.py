"""RFC 8785 (JCS) canonical JSON, fast path.

For JSON made of strings, booleans, null and integers within ±2**53 whose object keys are all in
the Basic Multilingual Plane, the standard library's ``json.dumps(sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`` produces exactly the JCS bytes: same escapes
(short forms for \\b \\t \\n \\f \\r, ``\\u00xx`` for other controls), keys in the same order
(UTF-16 and code point order agree inside the BMP) and integers printed the same way as
ECMAScript. Anything else (floats, big integers, keys outside the BMP, lone surrogates) goes to
the reference implementation (``rfc8785``). Property-tested against it.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

_MAX_SAFE = 2**53
_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                            allow_nan=False)


def _simple(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) or item is None or item is True or item is False:
            continue
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str) or (not key.isascii()
                                                and any(ord(c) > 0xFFFF for c in key)):
                    return False
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
        elif type(item) is int:
            if not -_MAX_SAFE < item < _MAX_SAFE:
                return False
        else:
            return False
    return True


def canonicalize(value: Any) -> bytes:
    if _simple(value):
        try:
            return _encoder.encode(value).encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: let the reference refuse them
            pass
    return rfc8785.dumps(value)
