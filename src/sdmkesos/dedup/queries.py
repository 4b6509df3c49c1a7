"""Public queries of the dedup app, for other apps (the import checks new rows here).

``find_likely_duplicates(records, *, actor=None, threshold=DEFAULT_THRESHOLD)``

- ``records``: a sequence of ``(key, data)``, ``key`` any hashable id of the new row (the import
  uses its sheet row number), ``data`` a dict with the registry's keys: ``name``, ``birth_date``
  (date or ISO string), ``birth_place``, ``sex`` ("L"/"P"), ``nik``, and ``region`` (a region
  code or Region) or ``organisation`` (an Organisation; its managing region is used). Missing
  keys are allowed; the more are given, the better the match. This is the shape
  ``imports.persons.validate_rows`` returns.
- returns a list of :class:`LikelyDuplicate`, most probable first: a new row against a registry
  person (``person_id``) or against another new row (``other_key``). A registry person with the
  very same NIK is not reported (that row is an update by NIK, not a duplicate).
- ``actor``: when given, ``person_name`` is filled only for people in the actor's view scope
  (``in_scope``); the id is always given so the import can refuse or flag the row.

Cost: registry candidates are fetched by index (same NIK, same or day/month-swapped birth date,
NIK with the same region-and-birth-date part), not the whole registry; a sheet of tens of
thousands of rows covers most birth dates, and then costs about as much as a full linkage run.
The model is the one trained by the latest successful linkage run (``LinkageRun.model``);
without one, it is trained on a random sample of the registry (up to 20,000 people) plus the
candidates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from sdmkesos.core.scoping import VIEW
from sdmkesos.people.models import Person

from . import linkage
from .actions import RECORD_COLUMNS, to_link_record
from .models import LinkageRun, RunStatus
from .normalise import LinkRecord, date_key, nik_key, swapped_date_key

TRAINING_SAMPLE = 20_000
CHUNK = 900  # values per IN (...) list
HEAD_CHUNK = 100  # NIK prefixes per query


@dataclass(frozen=True)
class LikelyDuplicate:
    key: Hashable  # the new row's key
    probability: float
    person_id: int | None = None  # a registry person ...
    other_key: Hashable | None = None  # ... or another new row
    in_scope: bool = True
    person_name: str = ""


def latest_model() -> dict[str, Any]:
    run = (LinkageRun.objects.filter(status=RunStatus.DONE).exclude(model={})
           .order_by("-finished_at", "-id").only("model").first())
    return dict(run.model) if run is not None and run.model else {}


def _candidates(new: list[LinkRecord]) -> list[LinkRecord]:
    dates: set[dt.date] = set()
    niks: set[str] = set()
    heads: set[str] = set()
    for record in new:
        iso = date_key(record.birth_date)
        for value in (iso, swapped_date_key(iso)):
            if value:
                dates.add(dt.date.fromisoformat(value))
        nik = nik_key(record.nik)
        if nik:
            niks.add(nik)
            heads.add(nik[:12])
    if not (dates or niks):
        return []
    filters: list[Q] = []
    date_list, nik_list, head_list = sorted(dates), sorted(niks), sorted(heads)
    for i in range(0, len(date_list), CHUNK):
        filters.append(Q(birth_date__in=date_list[i:i + CHUNK]))
    for i in range(0, len(nik_list), CHUNK):
        filters.append(Q(nik__in=nik_list[i:i + CHUNK]))
    for i in range(0, len(head_list), HEAD_CHUNK):
        q = Q(pk__in=[])
        for head in head_list[i:i + HEAD_CHUNK]:
            q |= Q(nik__startswith=head)
        filters.append(q)
    found: dict[int, LinkRecord] = {}
    for q in filters:
        for pk, name, birth, place, sex, nik, region in Person.objects.filter(q).order_by(
                ).values_list(*RECORD_COLUMNS).iterator(chunk_size=5000):
            if pk not in found:
                found[pk] = LinkRecord(f"p{pk}", name, birth, place, sex, nik, region)
    return list(found.values())


def _training_sample() -> list[LinkRecord]:
    ids = list(Person.objects.order_by("?").values_list("id", flat=True)[:TRAINING_SAMPLE])
    rows = Person.objects.filter(pk__in=ids).values_list(*RECORD_COLUMNS)
    return [LinkRecord(f"s{pk}", name, birth, place, sex, nik, region)
            for pk, name, birth, place, sex, nik, region in rows]


def find_likely_duplicates(records: Sequence[tuple[Hashable, dict[str, Any]]], *,
                           actor: Any = None,
                           threshold: float = linkage.DEFAULT_THRESHOLD,
                           ) -> list[LikelyDuplicate]:
    """Likely duplicates of new rows in the registry and among themselves (see module doc)."""
    keys: dict[str, Hashable] = {}
    new: list[LinkRecord] = []
    for index, (key, data) in enumerate(records):
        link_id = f"n{index}"
        keys[link_id] = key
        new.append(to_link_record(link_id, data))
    if not new:
        return []
    existing = _candidates(new)
    model = latest_model()
    if not model:
        training = _training_sample()
        model = linkage.train_model(training + existing + new)
    pairs = linkage.link_new_records(new, existing, threshold=threshold, model=model)
    new_niks = {r.record_id: nik_key(r.nik) for r in new}
    old = {r.record_id: r for r in existing}
    visible: set[int] = set()
    person_ids = [int(p.id_right[1:]) for p in pairs if p.id_right.startswith("p")]
    if actor is not None and person_ids:
        visible = set(Person.objects.restrict(actor, VIEW).filter(pk__in=person_ids)
                      .values_list("id", flat=True))
    out: list[LikelyDuplicate] = []
    for pair in pairs:
        left, right = pair.id_left, pair.id_right
        if right.startswith("p"):
            person = old[right]
            if new_niks.get(left) and new_niks[left] == nik_key(person.nik):
                continue  # same NIK: an update of that person, not a duplicate
            pid = int(right[1:])
            shown = actor is None or pid in visible
            out.append(LikelyDuplicate(keys[left], pair.probability, person_id=pid,
                                       in_scope=shown,
                                       person_name=person.name if shown else ""))
        else:
            out.append(LikelyDuplicate(keys[left], pair.probability, other_key=keys[right]))
    out.sort(key=lambda d: -d.probability)
    return out
