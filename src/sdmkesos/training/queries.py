"""Public read functions of the training app, for pages, exports and the training-plan
optimiser (``planning``/``trainplan``). Everything the user sees starts from ``restrict``.

``gap_rows(user, ...)``: per person and competency below standard, with what a planner needs —
home region, category, ASN or not, and the active programmes that would close the gap and the
person is eligible for. ``catalogue()``: programmes, venues and trainers as plain data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from sdmkesos.competency import queries as competency_queries
from sdmkesos.core.models import Organisation
from sdmkesos.core.scoping import VIEW
from sdmkesos.people.models import Person

from . import rules
from .models import (
    ACTIVE_STATUSES,
    Batch,
    BatchStatus,
    Nomination,
    NominationStatus,
    Programme,
    Trainer,
    Venue,
)
from .permissions import can_manage

CHUNK = 2000


@dataclass(frozen=True)
class ProgrammeRules:
    code: str
    cost: Decimal
    days: int
    levels: dict[str, int]  # competency code → resulting level
    eligibility: rules.Eligibility


@dataclass(frozen=True)
class TrainingGap:
    person_id: int
    person_name: str
    home_region: str | None  # the person's managing region (kab/kota or deeper)
    province: str
    category: str | None
    is_asn: bool
    competency: str
    required: int
    current: int
    gap: int
    programmes: tuple[str, ...]  # eligible active programmes reaching ≥ required
    in_training: bool  # already nominated/enrolled in a batch of such a programme


def programme_rules(codes: list[str] | None = None) -> dict[str, ProgrammeRules]:
    qs = Programme.objects.filter(is_active=True).select_related("min_education").prefetch_related(
        "competencies__competency", "eligible_categories", "prerequisites")
    if codes:
        qs = qs.filter(code__in=codes)
    out = {}
    for p in qs:
        minimum = p.min_education
        out[p.code] = ProgrammeRules(
            p.code, p.cost_per_participant, p.days,
            {pc.competency.code: pc.resulting_level for pc in p.competencies.all()},
            rules.Eligibility(
                categories=frozenset(c.code for c in p.eligible_categories.all()),
                min_education_rank=minimum.rank if minimum else None,
                min_education_name=minimum.name if minimum else "", asn_only=p.asn_only,
                prerequisites=frozenset(q.code for q in p.prerequisites.all())))
    return out


def gap_rows(user: Any, *, region: str = "", organisation: Organisation | None = None,
             category: str = "", competency: str = "", programmes: list[str] | None = None,
             today: dt.date | None = None) -> Iterator[TrainingGap]:
    """Rows of people below standard (visible to ``user``), one per person and competency."""
    catalogue = programme_rules(programmes)
    source = competency_queries.gap_rows(user, region=region, organisation=organisation,
                                         category=category, competency=competency,
                                         only_below=True, today=today)
    chunk: list[competency_queries.GapRow] = []

    def flush() -> Iterator[TrainingGap]:
        ids = list({r.person_id for r in chunk})
        facts: dict[int, tuple[int | None, bool]] = {
            pid: (rank, bool(asn)) for pid, rank, asn in Person.objects.filter(
                pk__in=ids).values_list("id", "education_level__rank",
                                        "employment_status__is_asn")}
        completed: dict[int, set[str]] = defaultdict(set)
        active: dict[int, set[str]] = defaultdict(set)
        for pid, code, status in Nomination.objects.filter(
                person_id__in=ids, status__in=(*ACTIVE_STATUSES, NominationStatus.COMPLETED)
        ).values_list("person_id", "batch__programme__code", "status"):
            (completed if status == NominationStatus.COMPLETED else active)[pid].add(code)
        for row in chunk:
            rank, asn = facts.get(row.person_id, (None, False))
            person = rules.PersonFacts(row.category, rank, asn,
                                       frozenset(completed[row.person_id]))
            fits = tuple(sorted(
                p.code for p in catalogue.values()
                if p.levels.get(row.competency, 0) >= row.required
                and not rules.eligibility_problems(person, p.eligibility)))
            yield TrainingGap(row.person_id, row.person_name, row.region_code,
                              (row.region_code or "")[:2], row.category, asn, row.competency,
                              row.required, row.current, row.gap, fits,
                              bool(set(fits) & active[row.person_id]))

    for row in source:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def visible_nominations(user: Any, batch: Batch | None = None) -> QuerySet[Nomination]:
    qs = Nomination.objects.select_related("person", "nominated_by", "batch")
    if batch is not None:
        qs = qs.filter(batch=batch)
        if can_manage(user, batch.organisation):
            return qs
    return qs.restrict(user, VIEW)


def catalogue(year: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Programmes, venues and trainers (with availability and days already booked in ``year``)
    as plain data for a planner. Reference data: not scoped."""
    year = year or dt.date.today().year
    programmes = [
        {"code": p.code, "name": p.name, "type": p.type, "mode": p.mode, "jp": p.jp,
         "days": p.days, "cost_per_participant": float(p.cost_per_participant),
         "provider": p.organisation.code, "levels": r.levels,
         "eligible_categories": sorted(r.eligibility.categories),
         "min_education_rank": r.eligibility.min_education_rank,
         "asn_only": r.eligibility.asn_only, "prerequisites": sorted(r.eligibility.prerequisites)}
        for p, r in ((p, programme_rules([p.code])[p.code]) for p in
                     Programme.objects.filter(is_active=True).select_related("organisation"))]
    venues = [{"id": v.pk, "name": v.name, "region": v.venue_region_id, "capacity": v.capacity,
               "daily_cost": float(v.daily_cost), "organisation": v.organisation.code}
              for v in Venue.objects.filter(is_active=True).select_related("organisation")]
    trainers = []
    for t in Trainer.objects.filter(is_active=True).prefetch_related("availability",
                                                                     "competencies"):
        booked = list(Batch.objects.filter(trainer_links__trainer=t).exclude(
            status=BatchStatus.CANCELLED).values_list("start_date", "end_date"))
        trainers.append({
            "id": t.pk, "name": t.name, "kind": t.kind, "home_region": t.home_region_id,
            "max_days_per_year": t.max_days_per_year,
            "days_booked": rules.days_in_year(booked, year),
            "booked": [(s.isoformat(), e.isoformat()) for s, e in booked],
            "competencies": sorted(c.code for c in t.competencies.all()),
            "availability": [{"start": w.start_date.isoformat(), "end": w.end_date.isoformat(),
                              "available": w.available} for w in t.availability.all()]})
    return {"programmes": programmes, "venues": venues, "trainers": trainers}
