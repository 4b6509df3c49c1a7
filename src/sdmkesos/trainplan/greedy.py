"""The baseline: first come, first served.

People are taken in the instance's order (registration order). Each takes the programme that
closes most of their weighted gap, in the nearest venue that has a batch of it with a free seat;
failing that, a new batch opens at the nearest venue in the earliest period where a room and the
trainers are free; failing that, their next programme. The budget is charged as people join. At
the end, batches below their minimum size are cancelled and their people try once more to join a
batch with a free seat. This is how places are usually filled by hand; the optimiser is measured
against it.
"""

from __future__ import annotations

import time
from collections import Counter

from sdmkesos.trainplan.geo import kabkota
from sdmkesos.trainplan.plan import Batch, Plan, evaluate, uncovered
from sdmkesos.trainplan.prepare import VALUE_SCALE, Prepared, prepare

__all__ = ["greedy", "greedy_batches"]


def greedy_batches(prepared: Prepared) -> list[Batch]:
    inst = prepared.instance
    rooms: Counter[tuple[int, int]] = Counter()
    busy: set[tuple[int, int]] = set()
    loads: Counter[int] = Counter()
    days: Counter[int] = Counter()
    left = prepared.budget
    batches: list[Batch] = []
    open_by: dict[tuple[int, int], list[Batch]] = {}

    def pay(amount: int) -> bool:
        nonlocal left
        if left is None:
            return True
        if amount > left:
            return False
        left -= amount
        return True

    def free_trainers(p: int, k: int) -> list[int]:
        prog = inst.programmes[p]
        out = []
        for j, trainer in enumerate(inst.trainers):
            if k not in prepared.trainer_starts.get((j, p), ()):
                continue
            if any((j, u) in busy for u in prepared.starts[p][k].occupies):
                continue
            if trainer.max_batches is not None and loads[j] >= trainer.max_batches:
                continue
            if trainer.max_days is not None and days[j] + prog.duration_days > trainer.max_days:
                continue
            out.append(j)
        return out

    def try_join(i: int, p: int, venues: list[int]) -> bool:
        home = kabkota(inst.people[i].region)
        for v in venues:
            for b in open_by.get((p, v), ()):
                if (len(b.participants) < prepared.seats[(p, v)]
                        and pay(prepared.participant_cost[(home, p, v)])):
                    b.participants.append(i)
                    return True
        return False

    closed: set[tuple[int, int]] = set()  # no room+trainers left: stays so (nothing frees up)

    def try_open(i: int, p: int, venues: list[int]) -> bool:
        prog = inst.programmes[p]
        home = kabkota(inst.people[i].region)
        for v in venues:
            if (p, v) in closed:
                continue
            for k in prepared.venue_starts[(p, v)]:
                occupies = prepared.starts[p][k].occupies
                if any(rooms[(v, u)] >= inst.venues[v].rooms for u in occupies):
                    continue
                trainers = free_trainers(p, k)[: prog.trainers_per_batch]
                if len(trainers) < prog.trainers_per_batch:
                    continue
                price = (prepared.batch_fixed_cost(p) + prepared.participant_cost[(home, p, v)]
                         + sum(prepared.trainer_cost(j, p) for j in trainers))
                if not pay(price):
                    return False
                for u in occupies:
                    rooms[(v, u)] += 1
                    for j in trainers:
                        busy.add((j, u))
                for j in trainers:
                    loads[j] += 1
                    days[j] += prog.duration_days
                batch = Batch(p, v, k, trainers, [i])
                batches.append(batch)
                open_by.setdefault((p, v), []).append(batch)
                return True
            closed.add((p, v))
        return False

    def choices(i: int) -> list[int]:
        values = prepared.person_values[i]
        return sorted((p for p, val in enumerate(values) if val > 0),
                      key=lambda p: (-values[p], p))

    for i in range(len(inst.people)):
        home = kabkota(inst.people[i].region)
        for p in choices(i):
            venues = prepared.reachable(home, p)
            if try_join(i, p, venues) or try_open(i, p, venues):
                break

    # cancel batches below their minimum size; their people try the remaining free seats
    dropped: list[int] = []
    for b in list(batches):
        prog = inst.programmes[b.programme]
        if len(b.participants) >= prog.min_batch:
            continue
        batches.remove(b)
        open_by[(b.programme, b.venue)].remove(b)
        refund = prepared.batch_fixed_cost(b.programme) + sum(
            prepared.trainer_cost(j, b.programme) for j in b.trainers)
        for i in b.participants:
            refund += prepared.participant_cost[(kabkota(inst.people[i].region), b.programme,
                                                 b.venue)]
        if left is not None:
            left += refund
        for u in prepared.starts[b.programme][b.start].occupies:
            rooms[(b.venue, u)] -= 1
            for j in b.trainers:
                busy.discard((j, u))
        for j in b.trainers:
            loads[j] -= 1
            days[j] -= prog.duration_days
        dropped.extend(b.participants)
    for i in sorted(dropped):
        home = kabkota(inst.people[i].region)
        for p in choices(i):
            if try_join(i, p, prepared.reachable(home, p)):
                break
    return batches


def greedy(prepared: Prepared | None = None, *, instance: object = None,
           lang: str = "id") -> Plan:
    """The first-come-first-served plan (pass ``prepared`` or an ``instance``)."""
    if prepared is None:
        from sdmkesos.trainplan.model import Instance

        assert isinstance(instance, Instance)
        prepared = prepare(instance)
    began = time.perf_counter()
    batches = greedy_batches(prepared)
    objective, cost = evaluate(prepared, batches)
    return Plan(method="greedy", batches=batches, status="HEURISTIC",
                objective=objective / VALUE_SCALE, bound=None, gap=None,
                seconds=time.perf_counter() - began, cost=cost,
                uncovered=uncovered(prepared, batches, lang))


def density_batches(prepared: Prepared) -> list[Batch]:
    """A stronger constructive plan, used as the optimiser's starting point: repeatedly open the
    batch (programme x venue, earliest free room and trainers) whose best candidates give the
    most weighted gap closed per rupiah, then fill free seats by the same ratio."""
    inst = prepared.instance
    rooms: Counter[tuple[int, int]] = Counter()
    busy: set[tuple[int, int]] = set()
    loads: Counter[int] = Counter()
    days: Counter[int] = Counter()
    left = prepared.budget
    assigned: set[int] = set()
    batches: list[Batch] = []

    candidates: dict[tuple[int, int], list[tuple[float, int, int]]] = {}
    for i, person in enumerate(inst.people):
        home = kabkota(person.region)
        for p, value in enumerate(prepared.person_values[i]):
            if value <= 0:
                continue
            for v in prepared.reachable(home, p):
                cost = prepared.participant_cost[(home, p, v)]
                candidates.setdefault((p, v), []).append((value / max(1, cost), i, cost))
    for items in candidates.values():
        items.sort(key=lambda x: (-x[0], x[1]))

    def free_trainers(p: int, k: int) -> list[int]:
        prog = inst.programmes[p]
        out = []
        for j, trainer in enumerate(inst.trainers):
            if k not in prepared.trainer_starts.get((j, p), ()):
                continue
            if any((j, u) in busy for u in prepared.starts[p][k].occupies):
                continue
            if trainer.max_batches is not None and loads[j] >= trainer.max_batches:
                continue
            if trainer.max_days is not None and days[j] + prog.duration_days > trainer.max_days:
                continue
            out.append(j)
        return sorted(out, key=lambda j: (loads[j], j))

    def slot(p: int, v: int) -> tuple[int, list[int]] | None:
        need = inst.programmes[p].trainers_per_batch
        for k in prepared.venue_starts[(p, v)]:
            if any(rooms[(v, u)] >= inst.venues[v].rooms for u in prepared.starts[p][k].occupies):
                continue
            trainers = free_trainers(p, k)
            if len(trainers) >= need:
                return k, trainers[:need]
        return None

    max_fee = {p: max((prepared.trainer_cost(j, p) for j in range(len(inst.trainers))),
                      default=0) for p in range(len(inst.programmes))}
    pointer: Counter[tuple[int, int]] = Counter()

    def best_batch(p: int, v: int) -> tuple[float, list[int], int] | None:
        prog = inst.programmes[p]
        items = candidates.get((p, v), [])
        pos = pointer[(p, v)]
        while pos < len(items) and items[pos][1] in assigned:
            pos += 1
        pointer[(p, v)] = pos
        chosen: list[tuple[int, int, int]] = []
        for _, i, cost in items[pos:]:
            if i in assigned:
                continue
            chosen.append((i, prepared.person_values[i][p], cost))
            if len(chosen) >= prepared.seats[(p, v)]:
                break
        if len(chosen) < max(1, prog.min_batch):
            return None
        fixed = prepared.batch_fixed_cost(p) + prog.trainers_per_batch * max_fee[p]
        while True:
            cost = fixed + sum(c for _, _, c in chosen)
            if left is None or cost <= left:
                break
            chosen.pop()
            if len(chosen) < max(1, prog.min_batch):
                return None
        value = sum(val for _, val, _ in chosen)
        return value / max(1, cost), [i for i, _, _ in chosen], cost

    dead: set[tuple[int, int]] = set()
    cache: dict[tuple[int, int], tuple[float, list[int], int]] = {}
    while True:
        best: tuple[float, int, int, list[int]] | None = None
        for (p, v) in prepared.seats:
            if (p, v) in dead:
                continue
            option = cache.get((p, v))
            if option is None:
                option = best_batch(p, v)
                if option is None:
                    dead.add((p, v))
                    continue
                cache[(p, v)] = option
            if best is None or option[0] > best[0]:
                best = (option[0], p, v, option[1])
        if best is None:
            break
        _, p, v, people = best
        found = slot(p, v)
        if found is None:
            dead.add((p, v))
            continue
        k, trainers = found
        prog = inst.programmes[p]
        price = (prepared.batch_fixed_cost(p) + sum(prepared.trainer_cost(j, p) for j in trainers)
                 + sum(prepared.participant_cost[(kabkota(inst.people[i].region), p, v)]
                       for i in people))
        if left is not None:
            if price > left:
                dead.add((p, v))
                continue
            left -= price
        for u in prepared.starts[p][k].occupies:
            rooms[(v, u)] += 1
            for j in trainers:
                busy.add((j, u))
        for j in trainers:
            loads[j] += 1
            days[j] += prog.duration_days
        taken = set(people)
        assigned.update(taken)
        batches.append(Batch(p, v, k, trainers, list(people)))
        # options that lost people, or no longer fit the budget, are recomputed
        for key, (_, members, cost) in list(cache.items()):
            if (left is not None and cost > left) or not taken.isdisjoint(members):
                del cache[key]

    # fill free seats, best ratio first
    offers = []
    for b in batches:
        if len(b.participants) >= prepared.seats[(b.programme, b.venue)]:
            continue
        for density, i, cost in candidates.get((b.programme, b.venue), ()):
            if i not in assigned:
                offers.append((density, i, cost, b))
    offers.sort(key=lambda x: (-x[0], x[1]))
    for _, i, cost, b in offers:
        if i in assigned or len(b.participants) >= prepared.seats[(b.programme, b.venue)]:
            continue
        if left is not None:
            if cost > left:
                continue
            left -= cost
        b.participants.append(i)
        assigned.add(i)
    return batches
