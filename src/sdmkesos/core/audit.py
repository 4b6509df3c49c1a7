"""Writing audit events. Only actions call ``record``; nothing updates or deletes events."""

from __future__ import annotations

import contextvars
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditEvent

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "sdmkesos_request_id", default=""
)


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Field values by attname (foreign keys as their ids)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = jsonable(getattr(obj, field.attname))  # type: ignore[union-attr]
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    *,
    actor: Any,
    channel: str,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    region_code: str | None = "",
    request_id: str | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    label = ""
    actor_obj = None
    if actor is not None and getattr(actor, "pk", None) is not None:
        actor_obj = actor
        label = actor.get_username()
    elif isinstance(actor, str):
        label = actor
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=label or "system",
        channel=channel,
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_repr=(str(obj) if obj is not None else "")[:200],
        changes=changes or {},
        note=note[:255],
        region_code=region_code or "",
        request_id=request_id or current_request_id.get(),
    )


def created_values(later: list[AuditEvent], current: dict[str, Any] | None,
                   fields: list[str]) -> dict[str, Any]:
    """The values an object was created with, for a creation event that stored none (a bulk
    import's, which records the file and row instead): the object's values now (``current``,
    as :func:`snapshot` gives them; None once it is gone) taken back through the
    ``[before, after]`` pairs of every later event of the object (``later``, newest first).
    Every change goes through an action that records such a pair, so nothing is guessed.
    Empty values are left out, as a creation event leaves them out."""
    state = dict(current or {})
    for event in later:
        for key, pair in (event.changes or {}).items():
            if key in fields and isinstance(pair, list) and len(pair) == 2:
                state[key] = pair[0]
    return {k: v for k, v in state.items() if k in fields and v not in (None, "", False)}


def history(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
