"""Precomputation shared by the optimiser, the greedy baseline and the plan checker.

- *Starts*: a batch of programme p starting in period t occupies the consecutive periods needed
  for ``duration_days`` (counting the calendar days of each period); its end date is the last
  training day.
- *Groups*: people with the same home kab/kota and the same weighted value for every programme
  (value = priority weight x gap levels the programme closes, 0 when ineligible) are
  interchangeable for the model; it decides integer counts per group, and
  :func:`sdmkesos.trainplan.solve.solve` hands out person ids afterwards.
- Money is handled in whole rupiah: costs are rounded up and the budget down, so a plan that
  fits the model's budget fits the real one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Final

from sdmkesos.trainplan.geo import kabkota, road_km
from sdmkesos.trainplan.model import Instance, Person, Programme

__all__ = ["VALUE_SCALE", "Group", "Prepared", "Start", "prepare"]

VALUE_SCALE: Final = 100
"""Values are weight x levels x VALUE_SCALE, rounded to integers for CP-SAT."""


@dataclass(frozen=True)
class Start:
    period: int  # index of the first period
    occupies: tuple[int, ...]  # period indices
    start: dt.date
    end: dt.date


@dataclass
class Group:
    home: str  # kab/kota code
    values: tuple[int, ...]  # scaled value per programme index (0: nothing to gain / ineligible)
    people: list[int] = field(default_factory=list)  # person indices, in input order

    @property
    def size(self) -> int:
        return len(self.people)


@dataclass
class Prepared:
    instance: Instance
    starts: list[list[Start]]  # per programme: possible starts (ignoring venue and trainers)
    venue_starts: dict[tuple[int, int], list[int]]  # (p, v) -> indices into starts[p]
    seats: dict[tuple[int, int], int]  # (p, v) -> seats per batch
    trainer_starts: dict[tuple[int, int], list[int]]  # (j, p) -> indices into starts[p]
    groups: list[Group]
    person_values: list[tuple[int, ...]]  # per person: scaled value per programme
    person_gap: list[int]  # per person: total gap levels
    km: dict[tuple[str, int], float]  # (home kab/kota, venue) -> road km
    participant_cost: dict[tuple[str, int, int], int]  # (home, p, v) -> rupiah, reachable only
    reach: dict[str, list[int]]  # home kab/kota -> venues within max_km, nearest first
    budget: int | None

    def reachable(self, home: str, p: int) -> list[int]:
        return [v for v in self.reach[home] if (p, v) in self.seats]

    def batch_fixed_cost(self, p: int) -> int:
        return math.ceil(self.instance.programmes[p].fixed_cost_per_batch)

    def trainer_cost(self, j: int, p: int) -> int:
        return math.ceil(self.instance.trainers[j].fee_per_day
                         * self.instance.programmes[p].duration_days)


def _starts(instance: Instance, programme: Programme) -> list[Start]:
    periods = instance.periods
    out = []
    for t in range(len(periods)):
        remaining = programme.duration_days
        occupied = []
        end = None
        for u in range(t, len(periods)):
            occupied.append(u)
            if periods[u].days >= remaining:
                end = periods[u].start + dt.timedelta(days=remaining - 1)
                break
            remaining -= periods[u].days
        if end is not None:
            out.append(Start(t, tuple(occupied), periods[t].start, end))
    return out


def person_value(instance: Instance, person: Person, programme: Programme) -> int:
    if not programme.eligible(person):
        return 0
    return round(instance.weight(person) * programme.closes(person) * VALUE_SCALE)


def prepare(instance: Instance) -> Prepared:
    period_index = {p.id: i for i, p in enumerate(instance.periods)}
    starts = [_starts(instance, p) for p in instance.programmes]

    venue_starts: dict[tuple[int, int], list[int]] = {}
    seats: dict[tuple[int, int], int] = {}
    for v, venue in enumerate(instance.venues):
        free = (set(range(len(instance.periods))) if venue.available is None
                else {period_index[x] for x in venue.available})
        for p, programme in enumerate(instance.programmes):
            if venue.programmes is not None and programme.id not in venue.programmes:
                continue
            cap = min(venue.capacity, programme.max_batch)
            if cap < max(1, programme.min_batch) or venue.rooms < 1:
                continue
            ok = [k for k, s in enumerate(starts[p]) if all(u in free for u in s.occupies)]
            if ok:
                venue_starts[(p, v)] = ok
                seats[(p, v)] = cap

    trainer_starts: dict[tuple[int, int], list[int]] = {}
    for j, trainer in enumerate(instance.trainers):
        free = (set(range(len(instance.periods))) if trainer.available is None
                else {period_index[x] for x in trainer.available})
        for p, programme in enumerate(instance.programmes):
            if programme.id not in trainer.programmes:
                continue
            ok = [k for k, s in enumerate(starts[p]) if all(u in free for u in s.occupies)]
            if ok:
                trainer_starts[(j, p)] = ok

    travel = instance.travel
    homes = sorted({kabkota(person.region) for person in instance.people})
    km: dict[tuple[str, int], float] = {}
    reach: dict[str, list[int]] = {}
    for home in homes:
        dist = []
        for v, venue in enumerate(instance.venues):
            d = road_km(home, venue.region, road_factor=travel.road_factor,
                        coordinates=travel.coordinates)
            km[(home, v)] = d
            if travel.max_km is None or d <= travel.max_km:
                dist.append((d, v))
        reach[home] = [v for _, v in sorted(dist)]

    participant_cost: dict[tuple[str, int, int], int] = {}
    for home in homes:
        for v in reach[home]:
            d = km[(home, v)]
            trip = 0.0 if d == 0 else travel.fixed + travel.cost_per_km * 2 * d
            for p, programme in enumerate(instance.programmes):
                if (p, v) in seats:
                    participant_cost[(home, p, v)] = math.ceil(programme.cost_per_participant
                                                               + trip)

    person_values = []
    person_gap = []
    by_key: dict[tuple[str, tuple[int, ...]], Group] = {}
    for i, person in enumerate(instance.people):
        values = tuple(person_value(instance, person, prog) for prog in instance.programmes)
        person_values.append(values)
        person_gap.append(sum(g.size for g in person.gaps.values()))
        if not any(values):
            continue
        home = kabkota(person.region)
        key = (home, values)
        if key not in by_key:
            by_key[key] = Group(home, values)
        by_key[key].people.append(i)

    budget = None if instance.budget is None else math.floor(instance.budget)
    return Prepared(instance, starts, venue_starts, seats, trainer_starts, list(by_key.values()),
                    person_values, person_gap, km, participant_cost, reach, budget)


def occupancy(prepared: Prepared) -> dict[int, dict[int, list[int]]]:
    """Per programme: period index -> indices of the starts that occupy it."""
    out: dict[int, dict[int, list[int]]] = {}
    for p, starts in enumerate(prepared.starts):
        table: dict[int, list[int]] = defaultdict(list)
        for k, s in enumerate(starts):
            for u in s.occupies:
                table[u].append(k)
        out[p] = table
    return out
