"""Small helpers shared by the competency and training APIs: refusals mapped to HTTP statuses
(conflicts 409, permission 403) in the API's one error shape, and code look-ups."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

from ninja import Status

from sdmkesos.core.errors import DomainError, ValidationFailed

FORBIDDEN_CODES = frozenset({"admin_only", "not_manager", "self_only_self", "not_participant"})


def refusals(conflicts: frozenset[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return conflicts as 409 and permission refusals as 403 (the API's global handler maps
    only the core codes); everything else goes to the global handler."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except ValidationFailed:
                raise
            except DomainError as exc:
                status = (409 if exc.code in conflicts else 403 if exc.code in FORBIDDEN_CODES
                          else None)
                if status is None:
                    raise
                item = {"field": exc.field, "code": exc.code, "message": exc.message,
                        "params": {k: str(v) for k, v in exc.params.items()}}
                return Status(status, {"code": exc.code, "message": exc.message,
                                       "errors": [item] if exc.field else []})

        # The API modules use postponed annotations; resolve them against the view's own module
        # (the wrapper's globals are this module's, where the schemas are unknown).
        hints = typing.get_type_hints(func, include_extras=True)
        signature = inspect.signature(func)
        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p.replace(annotation=hints.get(p.name, p.annotation))
                        for p in signature.parameters.values()],
            return_annotation=hints.get("return", signature.return_annotation))
        wrapper.__annotations__ = hints
        return wrapper

    return decorate
