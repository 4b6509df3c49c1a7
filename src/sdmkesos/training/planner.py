"""Build a training-plan optimiser instance (``sdmkesos.trainplan``) from the registry, and read a
plan back into database objects. Shared by the web page (``/pelatihan/rencana/``, through the
background task) and ``sdmkesos plan-training --from-registry``.

- people: ``queries.gap_rows(user, ...)`` (scoped to the user) — one instance person per person
  below standard, ``gaps`` = {competency: {current, required}}; gaps already being closed by an
  active nomination (``in_training``) are left out; the person's id is the database id;
- eligibility: a programme is open to the person when ``gap_rows`` lists it for one of their
  gaps (eligible and reaching the required level); encoded as the attribute
  ``programme:<code>`` = "1" and one rule per programme;
- priority: civil servants (ASN) weigh ``asn_weight`` (default 2), everyone else 1;
- programmes: active programmes (or the ones chosen) with their levels, days and cost per
  participant; batch size between ``min_batch`` and ``max_batch`` (parameters);
- venues: active venues (id = database id), capacity, closed in the periods where another batch
  already uses them;
- trainers: active trainers (id = database id) qualified for a programme when they teach one of
  its competencies (or, with none listed, when they belong to the programme's provider);
  available in the periods their availability windows allow and no batch of theirs overlaps;
  ``max_days`` = their yearly limit minus the days already booked in the horizon's first year;
- periods: Monday-Friday weeks of the horizon (``trainplan.generate.weekly_periods``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sdmkesos.core.models import Region
from sdmkesos.trainplan import (
    Gap,
    Instance,
    Period,
    Rule,
    Travel,
)
from sdmkesos.trainplan import Person as PlanPerson
from sdmkesos.trainplan import Programme as PlanProgramme
from sdmkesos.trainplan import Trainer as PlanTrainer
from sdmkesos.trainplan import Venue as PlanVenue
from sdmkesos.trainplan.generate import weekly_periods

from . import queries, rules
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

DEFAULTS: dict[str, Any] = {
    "region": "", "category": "", "competency": "", "programmes": [], "without_programme": "",
    "start": "", "end": "", "budget": None, "time_limit": 60, "min_batch": 10, "max_batch": 30,
    "asn_weight": 2.0, "max_km": 250, "cost_per_km": 1500, "travel_fixed": 150000,
}


@dataclass
class Parameters:
    """What the user asked for (the form's cleaned data, also stored on the plan)."""

    start: dt.date
    end: dt.date
    region: str = ""
    category: str = ""
    competency: str = ""
    programmes: list[str] = field(default_factory=list)
    without_programme: str = ""
    budget: float | None = None
    time_limit: float = 60.0
    min_batch: int = 10
    max_batch: int = 30
    asn_weight: float = 2.0
    max_km: float | None = 250.0
    cost_per_km: float = 1500.0
    travel_fixed: float = 150000.0

    def to_json(self) -> dict[str, Any]:
        return {"region": self.region, "category": self.category, "competency": self.competency,
                "programmes": list(self.programmes),
                "without_programme": self.without_programme, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "budget": self.budget,
                "time_limit": self.time_limit, "min_batch": self.min_batch,
                "max_batch": self.max_batch, "asn_weight": self.asn_weight,
                "max_km": self.max_km, "cost_per_km": self.cost_per_km,
                "travel_fixed": self.travel_fixed}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Parameters:
        merged = {**DEFAULTS, **data}
        return cls(start=dt.date.fromisoformat(merged["start"]),
                   end=dt.date.fromisoformat(merged["end"]), region=merged["region"] or "",
                   category=merged["category"] or "", competency=merged["competency"] or "",
                   programmes=list(merged["programmes"] or []),
                   without_programme=merged["without_programme"] or "",
                   budget=None if merged["budget"] in (None, "") else float(merged["budget"]),
                   time_limit=float(merged["time_limit"]), min_batch=int(merged["min_batch"]),
                   max_batch=int(merged["max_batch"]), asn_weight=float(merged["asn_weight"]),
                   max_km=None if merged["max_km"] in (None, "") else float(merged["max_km"]),
                   cost_per_km=float(merged["cost_per_km"]),
                   travel_fixed=float(merged["travel_fixed"]))


def _overlapping(periods: list[Period], ranges: list[tuple[dt.date, dt.date]]) -> set[str]:
    return {p.id for p in periods
            if any(rules.overlaps(p.start, p.end, s, e) for s, e in ranges)}


def build_instance(user: Any, params: Parameters,
                   name: str = "") -> tuple[Instance, dict[str, Any]]:
    """The optimiser instance for ``params``, from the data ``user`` may see, and a summary
    (counts) for the page."""
    programmes = list(Programme.objects.filter(is_active=True).select_related("organisation")
                      .prefetch_related("competencies__competency").order_by("code"))
    if params.programmes:
        programmes = [p for p in programmes if p.code in set(params.programmes)]
    codes = [p.code for p in programmes]
    excluded: set[int] = set()
    if params.without_programme:
        excluded = set(Nomination.objects.filter(
            batch__programme__code=params.without_programme,
            status__in=(*ACTIVE_STATUSES, NominationStatus.COMPLETED),
        ).values_list("person_id", flat=True))

    gaps: dict[int, dict[str, Gap]] = defaultdict(dict)
    eligible: dict[int, set[str]] = defaultdict(set)
    facts: dict[int, tuple[str, str, bool]] = {}
    in_training = 0
    skipped: set[int] = set()
    for row in queries.gap_rows(user, region=params.region, category=params.category,
                                competency=params.competency, programmes=codes or None):
        if row.person_id in excluded:
            skipped.add(row.person_id)
            continue
        if row.in_training:
            in_training += 1
            continue
        gaps[row.person_id][row.competency] = Gap(row.current, row.required)
        eligible[row.person_id].update(row.programmes)
        facts[row.person_id] = (row.home_region or "", row.category or "", row.is_asn)
    people = []
    for pid in sorted(gaps):
        region, category, asn = facts[pid]
        people.append(PlanPerson(
            id=str(pid), region=region, category=category or "-", gaps=gaps[pid],
            weight=params.asn_weight if asn else 1.0,
            attributes={f"programme:{code}": "1" for code in sorted(eligible[pid])}))

    periods = weekly_periods(params.start, params.end)
    plan_programmes = []
    for p in programmes:
        levels = {pc.competency.code: pc.resulting_level for pc in p.competencies.all()}
        if not levels:
            continue
        plan_programmes.append(PlanProgramme(
            id=p.code, name=p.name, competencies=levels, duration_days=max(1, p.days),
            cost_per_participant=float(p.cost_per_participant),
            min_batch=max(1, params.min_batch), max_batch=max(params.min_batch,
                                                              params.max_batch),
            eligibility=(Rule(field=f"attributes.programme:{p.code}", in_=("1",)),)))

    horizon = (params.start, params.end)
    busy_venue: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for venue_id, s, e in Batch.objects.exclude(status=BatchStatus.CANCELLED).filter(
            venue__isnull=False, start_date__lte=horizon[1], end_date__gte=horizon[0]
    ).values_list("venue_id", "start_date", "end_date"):
        busy_venue[venue_id].append((s, e))
    venues = []
    for v in Venue.objects.filter(is_active=True).order_by("pk"):
        closed = _overlapping(periods, busy_venue[v.pk])
        venues.append(PlanVenue(id=str(v.pk), name=v.name, region=v.venue_region_id,
                                capacity=v.capacity,
                                available=tuple(p.id for p in periods if p.id not in closed)))

    trainers = []
    programme_comps = {p.code: {pc.competency.code for pc in p.competencies.all()}
                       for p in programmes}
    providers = {p.code: p.organisation.path for p in programmes}
    for t in Trainer.objects.filter(is_active=True).select_related("organisation"
                                                                   ).prefetch_related(
            "availability", "competencies").order_by("pk"):
        taught = {c.code for c in t.competencies.all()}
        qualified = tuple(code for code in programme_comps if (
            taught & programme_comps[code] if taught
            else t.organisation.path.startswith(providers[code])))
        if not qualified:
            continue
        booked = list(Batch.objects.filter(trainer_links__trainer=t).exclude(
            status=BatchStatus.CANCELLED).values_list("start_date", "end_date"))
        windows = [rules.Window(w.start_date, w.end_date, w.available)
                   for w in t.availability.all()]
        blocked = _overlapping(periods, booked)
        free = tuple(p.id for p in periods if p.id not in blocked
                     and not rules.availability_problem(windows, p.start, p.end))
        used = rules.days_in_year(booked, params.start.year)
        trainers.append(PlanTrainer(
            id=str(t.pk), name=t.name, programmes=qualified, available=free,
            max_days=max(0, t.max_days_per_year - used), region=t.home_region_id))

    travel = Travel(cost_per_km=params.cost_per_km, fixed=params.travel_fixed,
                    max_km=params.max_km)
    instance = Instance(
        name=name or "Rencana pelatihan", people=tuple(people),
        programmes=tuple(plan_programmes), venues=tuple(venues), trainers=tuple(trainers),
        periods=tuple(periods), budget=params.budget, travel=travel)
    summary = {"people": len(people), "gap_levels": sum(g.size for gs in gaps.values()
                                                        for g in gs.values()),
               "excluded_without_programme": len(skipped),
               "gaps_in_training": in_training, "programmes": len(plan_programmes),
               "venues": len(venues), "trainers": len(trainers), "periods": len(periods)}
    return instance, summary


def region_name(code: str) -> str:
    if not code:
        return ""
    region = Region.objects.filter(code=code).first()
    return region.name if region else code
