"""Scoping for partnership records, built on ``core.scoping``.

Agreements, meetings and action items involve several organisations in several regions, so their
scope columns live on child rows (parties, covered regions, owners) and a record is in a user's
scope when any of them is. ``restrict`` returns each row once (``pk IN (subquery)``), whatever the
number of matching children. A model may list several ``ScopeSpec`` (``scope_specs``): any one
matching is enough.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Q

from sdmkesos.core.scoping import VIEW, RestrictedQuerySet, allowed_actions, scope_for, scope_q

_M = TypeVar("_M", bound=models.Model)


class MultiScopeQuerySet(RestrictedQuerySet[_M], Generic[_M]):
    def restrict(self, user: Any, action: str = VIEW) -> MultiScopeQuerySet[_M]:
        if action not in allowed_actions(user):
            return self.none()
        scope = scope_for(user)
        if scope.unrestricted:
            return self
        by_action = getattr(self.model, "scopes_by_action", {})
        specs = (by_action.get(action) or getattr(self.model, "scope_specs", None)
                 or (self.model.scope,))  # type: ignore[attr-defined]
        q = Q(pk__in=[])
        for spec in specs:
            q |= scope_q(spec, scope)
        inner = self.model._default_manager.filter(q).values("pk")
        return self.filter(pk__in=inner)
