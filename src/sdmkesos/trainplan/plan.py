"""A training plan: its batches, what it achieves and costs, what it leaves uncovered and why,
a checker of every constraint, and its JSON form."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Final

from sdmkesos.trainplan.geo import kabkota
from sdmkesos.trainplan.prepare import VALUE_SCALE, Prepared

__all__ = ["REASONS", "Batch", "Plan", "check", "evaluate", "plan_to_json", "uncovered"]

REASONS: Final = {
    "capacity": ("tidak ada ruang/periode tempat pelatihan yang tersisa dalam jangkauan",
                 "no venue room/period left within reach"),
    "trainers": ("tidak ada pelatih yang memenuhi syarat dan tersedia",
                 "no qualified trainer available"),
    "budget": ("anggaran tidak cukup", "budget exhausted"),
    "eligibility": ("tidak memenuhi syarat program yang menangani kesenjangannya",
                    "not eligible for the programmes that address the gap"),
    "no_programme": ("tidak ada program yang menangani kesenjangannya",
                     "no programme addresses the gap"),
    "travel": ("tempat pelatihan terdekat melebihi jarak maksimum",
               "nearest venue is beyond the maximum travel distance"),
    "min_batch": ("peminat terlalu sedikit untuk membuka angkatan baru (ukuran minimum)",
                  "too few candidates to open another batch (minimum size)"),
    "not_selected": ("kapasitas dan anggaran masih ada tetapi tidak dipilih oleh rencana ini",
                     "capacity and budget remain but this plan did not use them"),
}


@dataclass
class Batch:
    programme: int
    venue: int
    start: int  # index into prepared.starts[programme]
    trainers: list[int] = field(default_factory=list)
    participants: list[int] = field(default_factory=list)


@dataclass
class Plan:
    method: str
    batches: list[Batch]
    status: str
    objective: float  # weighted gap levels closed
    bound: float | None
    gap: float | None  # relative: (bound - objective) / bound
    seconds: float
    cost: dict[str, int]
    uncovered: dict[str, Any]
    stats: dict[str, Any] = field(default_factory=dict)


def evaluate(prepared: Prepared, batches: list[Batch]) -> tuple[int, dict[str, int]]:
    """Scaled objective and cost breakdown (rupiah) of ``batches``."""
    objective = 0
    course = travel = fixed = fees = 0
    inst = prepared.instance
    for b in batches:
        fixed += prepared.batch_fixed_cost(b.programme)
        fees += sum(prepared.trainer_cost(j, b.programme) for j in b.trainers)
        for i in b.participants:
            objective += prepared.person_values[i][b.programme]
            home = kabkota(inst.people[i].region)
            total = prepared.participant_cost.get((home, b.programme, b.venue))
            own = math.ceil(inst.programmes[b.programme].cost_per_participant)
            if total is None:  # unreachable: check() reports it
                total = own
            course += own
            travel += total - own
    cost = {"course": course, "travel": travel, "batch_fixed": fixed, "trainer_fees": fees,
            "total": course + travel + fixed + fees}
    if prepared.budget is not None:
        cost["budget"] = prepared.budget
    return objective, cost


def check(prepared: Prepared, batches: list[Batch]) -> list[str]:
    """Every constraint the plan violates (empty: the plan is feasible)."""
    inst = prepared.instance
    problems: list[str] = []
    seen: dict[int, int] = {}
    room_use: Counter[tuple[int, int]] = Counter()
    trainer_use: Counter[tuple[int, int]] = Counter()
    trainer_batches: Counter[int] = Counter()
    trainer_days: Counter[int] = Counter()
    for n, b in enumerate(batches):
        prog = inst.programmes[b.programme]
        name = f"batch {n} ({prog.id} @ {inst.venues[b.venue].id})"
        if (b.programme, b.venue) not in prepared.seats:
            problems.append(f"{name}: venue cannot host the programme")
            continue
        if b.start not in prepared.venue_starts[(b.programme, b.venue)]:
            problems.append(f"{name}: venue not available in those periods")
        size = len(b.participants)
        if size < prog.min_batch or size > prepared.seats[(b.programme, b.venue)]:
            problems.append(f"{name}: {size} participants outside "
                            f"[{prog.min_batch}, {prepared.seats[(b.programme, b.venue)]}]")
        start = prepared.starts[b.programme][b.start]
        for u in start.occupies:
            room_use[(b.venue, u)] += 1
        if len(b.trainers) != prog.trainers_per_batch or len(set(b.trainers)) != len(b.trainers):
            problems.append(f"{name}: {len(b.trainers)} trainers, needs "
                            f"{prog.trainers_per_batch}")
        for j in b.trainers:
            if b.start not in prepared.trainer_starts.get((j, b.programme), ()):
                problems.append(f"{name}: trainer {inst.trainers[j].id} not qualified/available")
            for u in start.occupies:
                trainer_use[(j, u)] += 1
            trainer_batches[j] += 1
            trainer_days[j] += prog.duration_days
        for i in b.participants:
            person = inst.people[i]
            if i in seen:
                problems.append(f"{name}: person {person.id} already in batch {seen[i]}")
            seen[i] = n
            if not prog.eligible(person):
                problems.append(f"{name}: person {person.id} is not eligible")
            if (kabkota(person.region), b.programme, b.venue) not in prepared.participant_cost:
                problems.append(f"{name}: person {person.id} lives beyond the travel limit")
    for (v, u), count in room_use.items():
        if count > inst.venues[v].rooms:
            problems.append(f"venue {inst.venues[v].id}: {count} batches in period "
                            f"{inst.periods[u].id}, rooms {inst.venues[v].rooms}")
    for (j, u), count in trainer_use.items():
        if count > 1:
            problems.append(f"trainer {inst.trainers[j].id}: {count} batches in period "
                            f"{inst.periods[u].id}")
    for j, trainer in enumerate(inst.trainers):
        if trainer.max_batches is not None and trainer_batches[j] > trainer.max_batches:
            problems.append(f"trainer {trainer.id}: {trainer_batches[j]} batches > max")
        if trainer.max_days is not None and trainer_days[j] > trainer.max_days:
            problems.append(f"trainer {trainer.id}: {trainer_days[j]} days > max")
    _, cost = evaluate(prepared, batches)
    if prepared.budget is not None and cost["total"] > prepared.budget:
        problems.append(f"cost {cost['total']} exceeds the budget {prepared.budget}")
    return problems


def uncovered(prepared: Prepared, batches: list[Batch], lang: str = "id") -> dict[str, Any]:
    """Who keeps a gap after the plan, and why.

    For each untrained person with a gap: ``eligibility``/``no_programme``/``travel`` when no
    programme can help them at all; otherwise, per programme that would help, the first resource
    that stops the plan from taking them: ``budget`` (a seat is free but the money is not),
    ``capacity`` (no room/period free at a venue within reach), ``trainers`` (rooms are free but
    no qualified trainer is free then), ``budget`` (a new batch cannot be paid), ``min_batch``
    or ``not_selected``. Trained people may keep a gap on competencies their programme does not
    address (``residual``): the model gives each person at most one programme per plan."""
    inst = prepared.instance
    english = lang.lower().startswith("en")
    _, cost = evaluate(prepared, batches)
    left = None if prepared.budget is None else prepared.budget - cost["total"]
    assigned: dict[int, int] = {}
    spare: dict[tuple[int, int], int] = defaultdict(int)
    for b in batches:
        for i in b.participants:
            assigned[i] = b.programme
        spare[(b.programme, b.venue)] += (prepared.seats.get((b.programme, b.venue), 0)
                                          - len(b.participants))

    # free resources: can a new batch of p open at v (venue slot; + trainers)?
    room_use: Counter[tuple[int, int]] = Counter()
    busy: set[tuple[int, int]] = set()
    loads: Counter[int] = Counter()
    days: Counter[int] = Counter()
    for b in batches:
        for u in prepared.starts[b.programme][b.start].occupies:
            room_use[(b.venue, u)] += 1
            for j in b.trainers:
                busy.add((j, u))
        for j in b.trainers:
            loads[j] += 1
            days[j] += inst.programmes[b.programme].duration_days

    def trainers_free(p: int, k: int) -> int:
        prog = inst.programmes[p]
        count = 0
        for j, trainer in enumerate(inst.trainers):
            if k not in prepared.trainer_starts.get((j, p), ()):
                continue
            if any((j, u) in busy for u in prepared.starts[p][k].occupies):
                continue
            if trainer.max_batches is not None and loads[j] >= trainer.max_batches:
                continue
            if trainer.max_days is not None and days[j] + prog.duration_days > trainer.max_days:
                continue
            count += 1
        return count

    slot_state: dict[tuple[int, int], str] = {}  # (p, v) -> "capacity" | "trainers" | "open"
    for (p, v), ks in prepared.venue_starts.items():
        state = "capacity"
        for k in ks:
            occupies = prepared.starts[p][k].occupies
            if all(room_use[(v, u)] < inst.venues[v].rooms for u in occupies):
                if trainers_free(p, k) >= inst.programmes[p].trainers_per_batch:
                    state = "open"
                    break
                state = "trainers"
        slot_state[(p, v)] = state

    people: list[dict[str, Any]] = []
    by_reason: Counter[str] = Counter()
    gap_points = 0
    weighted = 0.0
    residual_people = residual_points = 0
    addressed = {c for prog in inst.programmes for c in prog.competencies}
    for i, person in enumerate(inst.people):
        gap = prepared.person_gap[i]
        if gap == 0:
            continue
        if i in assigned:
            closed = inst.programmes[assigned[i]].closes(person)
            if gap > closed:
                residual_people += 1
                residual_points += gap - closed
            continue
        values = prepared.person_values[i]
        home = kabkota(person.region)
        reasons: list[str] = []
        if not any(values):
            helpful = any(c in addressed and g.size > 0 for c, g in person.gaps.items())
            reasons.append("eligibility" if helpful else "no_programme")
        else:
            for p, value in enumerate(values):
                if value == 0:
                    continue
                reach = prepared.reachable(home, p)
                if not reach:
                    reasons.append("travel")
                    continue
                cheapest = min(prepared.participant_cost[(home, p, v)] for v in reach)
                if any(spare[(p, v)] > 0 for v in reach):
                    reasons.append("budget" if left is not None and left < cheapest
                                   else "not_selected")
                    continue
                states = {slot_state[(p, v)] for v in reach}
                if "open" not in states:
                    reasons.append("trainers" if "trainers" in states else "capacity")
                elif left is not None and left < (prepared.batch_fixed_cost(p) + cheapest
                                                  * max(1, inst.programmes[p].min_batch)):
                    reasons.append("budget")
                else:
                    reasons.append("min_batch" if inst.programmes[p].min_batch > 1
                                   else "not_selected")
        unique = sorted(set(reasons))
        for reason in unique:
            by_reason[reason] += 1
        gap_points += gap
        weighted += inst.weight(person) * gap
        people.append({"person": person.id, "region": person.region, "gap": gap,
                       "reasons": unique})
    return {
        "persons": len(people),
        "gap_levels": gap_points,
        "weighted_gap": round(weighted, 2),
        "by_reason": dict(sorted(by_reason.items())),
        "reasons": {k: v[1 if english else 0] for k, v in REASONS.items() if k in by_reason},
        "residual": {"persons": residual_people, "gap_levels": residual_points},
        "people": people,
    }


def plan_to_json(prepared: Prepared, plan: Plan) -> dict[str, Any]:
    inst = prepared.instance
    batches = []
    ordered = sorted(plan.batches, key=lambda b: (prepared.starts[b.programme][b.start].start,
                                                  inst.programmes[b.programme].id,
                                                  inst.venues[b.venue].id))
    for n, b in enumerate(ordered, start=1):
        start = prepared.starts[b.programme][b.start]
        venue = inst.venues[b.venue]
        batches.append({
            "id": f"B{n:04d}",
            "programme": inst.programmes[b.programme].id,
            "venue": venue.id,
            "venue_region": venue.region,
            "start": start.start.isoformat(),
            "end": start.end.isoformat(),
            "trainers": [inst.trainers[j].id for j in b.trainers],
            "participants": [inst.people[i].id for i in b.participants],
        })
    return {
        "instance": inst.name,
        "method": plan.method,
        "status": plan.status,
        "objective": round(plan.objective, 2),
        "bound": None if plan.bound is None else round(plan.bound, 2),
        "gap": None if plan.gap is None else round(plan.gap, 6),
        "seconds": round(plan.seconds, 2),
        "trained": sum(len(b.participants) for b in plan.batches),
        "cost": plan.cost,
        "stats": plan.stats,
        "batches": batches,
        "uncovered": plan.uncovered,
    }


def scaled(value: int) -> float:
    return value / VALUE_SCALE
