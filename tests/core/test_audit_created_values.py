"""``audit.created_values``: a creation event that stored no values (a bulk import's) reads
the same as one that did, whatever happened to the object afterwards."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.core import audit
from sdmkesos.core.models import AuditEvent

FIELDS = ["name", "phone", "region", "category", "kesos_background"]
VALUES = st.one_of(st.none(), st.sampled_from(["", "a", "b", "35.07"]), st.integers(1, 3),
                   st.booleans())
STATES = st.fixed_dictionaries({key: VALUES for key in FIELDS})


def _event(action: str, changes: dict[str, Any]) -> AuditEvent:
    return AuditEvent(action=action, changes=changes)  # never saved


def _filled(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if v not in (None, "", False)}


@given(created=STATES, updates=st.lists(STATES, max_size=6), deleted=st.booleans())
def test_reconstructs_what_a_full_creation_event_would_have_stored(created, updates, deleted):
    state, later = dict(created), []
    for update in updates:
        changes = audit.diff(state, update)
        if changes:
            # Events carry other keys too (a merge's "merged_from"): they are not fields.
            later.insert(0, _event("update", {**changes, "moved": [None, {"x": 1}]}))
        state = dict(update)
    current: dict[str, Any] | None = state
    if deleted:
        later.insert(0, _event("delete", {k: [v, None] for k, v in _filled(state).items()}))
        current = None
    assert audit.created_values(later, current, FIELDS) == _filled(created)
