"""The optimisation model (OR-Tools: CP-SAT, or SCIP/CBC through pywraplp), its LP relaxation
and LP-rounding start, and the disaggregation of a solution into batches.

Variables (see docs/training-plan.md for the full statement):

- ``n[p,v,k]`` in 0..rooms: batches of programme p opened at venue v with start k;
  ``N[p,v]`` = sum_k n[p,v,k];
- ``a[j,p,k]`` in {0,1}: trainer j teaches a batch of p with start k (the venue follows after
  solving: every trainer of (p, k) is matched to one of the batches of (p, k));
- ``y[g,p]`` in 0..|g|: people of group g trained in programme p (over the horizon);
- ``w[h,p,v]``: people from home kab/kota h trained in p at venue v (reachable venues only).

Constraints: each room holds one batch per period; each trainer teaches at most one batch per
period, only programmes and periods they are qualified/available for, within max batches/days;
every batch has its trainers; sum_g y[g,p] <= |g| summed over p (one programme per person);
sum_v w[h,p,v] = sum_{g of h} y[g,p]; sum_h w[h,p,v] lies between min_batch x N[p,v] and
seats x N[p,v]; course + travel + batch + trainer costs stay within the budget. Objective:
maximise sum value[g,p] y[g,p].

A total between min x N and seats x N can always be split into N batches each within
[min, seats], and people of one group are interchangeable, so the disaggregation is exact.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from sdmkesos.trainplan.geo import road_km
from sdmkesos.trainplan.greedy import density_batches, greedy_batches
from sdmkesos.trainplan.model import Instance
from sdmkesos.trainplan.plan import Batch, Plan, check, evaluate, uncovered
from sdmkesos.trainplan.prepare import VALUE_SCALE, Prepared, prepare

__all__ = ["BACKENDS", "solve"]

BACKENDS = ("cp-sat", "scip", "cbc")
Terms = list[tuple[int, Any]]


class _CpSat:
    """CP-SAT behind the few calls the model needs."""

    def __init__(self) -> None:
        self.model = cp_model.CpModel()
        self.solver = cp_model.CpSolver()

    def int_var(self, ub: int, name: str) -> Any:
        return (self.model.new_bool_var(name) if ub == 1
                else self.model.new_int_var(0, ub, name))

    def add(self, terms: Terms, lo: float, hi: float) -> None:
        expr = cp_model.LinearExpr.weighted_sum([v for _, v in terms], [c for c, _ in terms])
        if lo == hi:
            self.model.add(expr == int(lo))
        elif lo == -math.inf:
            self.model.add(expr <= int(hi))
        elif hi == math.inf:
            self.model.add(expr >= int(lo))
        else:
            self.model.add_linear_constraint(expr, int(lo), int(hi))

    def maximize(self, terms: Terms) -> None:
        self.model.maximize(cp_model.LinearExpr.weighted_sum([v for _, v in terms],
                                                             [c for c, _ in terms]))

    def hint(self, pairs: list[tuple[Any, int]]) -> None:
        for var, value in pairs:
            self.model.add_hint(var, value)

    def solve(self, seconds: float, workers: int, gap: float, log: bool) -> tuple[str, bool]:
        params = self.solver.parameters
        params.max_time_in_seconds = seconds
        params.num_workers = max(1, workers)
        params.relative_gap_limit = gap
        params.log_search_progress = log
        status = self.solver.solve(self.model)
        return (self.solver.status_name(status),
                status in (cp_model.OPTIMAL, cp_model.FEASIBLE))

    def value(self, var: Any) -> int:
        return int(self.solver.value(var))


    def objective(self) -> tuple[float, float]:
        return self.solver.objective_value, self.solver.best_objective_bound


class _Mip:
    """An OR-Tools MIP solver (SCIP, HiGHS, CBC) through pywraplp."""

    def __init__(self, backend: str) -> None:
        solver = pywraplp.Solver.CreateSolver(backend.upper())
        if solver is None:
            raise ValueError(f"solver {backend} is not available")
        self.solver = solver
        self.backend = backend

    def int_var(self, ub: int, name: str) -> Any:
        return self.solver.IntVar(0, ub, name)

    def add(self, terms: Terms, lo: float, hi: float) -> None:
        ct = self.solver.Constraint(lo, hi)
        for coef, var in terms:
            ct.SetCoefficient(var, coef + ct.GetCoefficient(var))

    def maximize(self, terms: Terms) -> None:
        obj = self.solver.Objective()
        for coef, var in terms:
            obj.SetCoefficient(var, coef + obj.GetCoefficient(var))
        obj.SetMaximization()

    def hint(self, pairs: list[tuple[Any, int]]) -> None:
        self.solver.SetHint([v for v, _ in pairs], [float(x) for _, x in pairs])

    def solve(self, seconds: float, workers: int, gap: float, log: bool) -> tuple[str, bool]:
        self.solver.SetTimeLimit(int(seconds * 1000))
        if self.backend == "scip":
            self.solver.SetNumThreads(max(1, workers))
        if log:
            self.solver.EnableOutput()
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(params.RELATIVE_MIP_GAP, gap)
        status = self.solver.Solve(params)
        names = {pywraplp.Solver.OPTIMAL: "OPTIMAL", pywraplp.Solver.FEASIBLE: "FEASIBLE",
                 pywraplp.Solver.INFEASIBLE: "INFEASIBLE", pywraplp.Solver.UNBOUNDED: "UNBOUNDED",
                 pywraplp.Solver.NOT_SOLVED: "UNKNOWN"}
        return (names.get(status, "UNKNOWN"),
                status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE))

    def value(self, var: Any) -> int:
        return round(var.solution_value())

    def solve_fixed(self, fixed: list[tuple[Any, int]], free: list[Any], seconds: float,
                    workers: int) -> tuple[float, list[int]] | None:
        """Objective and values of ``free`` of the best solution found with ``fixed`` held."""
        saved = [(var, var.lb(), var.ub()) for var, _ in fixed]
        for var, value in fixed:
            var.SetBounds(value, value)
        self.solver.SetTimeLimit(int(seconds * 1000))
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(params.RELATIVE_MIP_GAP, 0.001)
        status = self.solver.Solve(params)
        out = None
        if status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            out = (self.solver.Objective().Value(), [round(v.solution_value()) for v in free])
        for var, lb, ub in saved:
            var.SetBounds(lb, ub)
        return out

    def relaxation(self) -> float | None:
        """Solve as a linear programme (backend GLOP): its optimum, None if not solved."""
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        return float(self.solver.Objective().Value())

    def objective(self) -> tuple[float, float]:
        return self.solver.Objective().Value(), self.solver.Objective().BestBound()


@dataclass
class _Vars:
    n: dict[tuple[int, int, int], Any]
    a: dict[tuple[int, int, int], Any]
    y: dict[tuple[int, int], Any]
    w: dict[tuple[str, int, int], Any]
    count: dict[tuple[int, int], Any]

    def all(self) -> list[Any]:
        return [*self.n.values(), *self.a.values(), *self.y.values(), *self.w.values(),
                *self.count.values()]


def _build(m: _CpSat | _Mip, prep: Prepared) -> _Vars:
    """The model (see the module docstring) in ``m``."""
    inst = prep.instance
    # batches
    n: dict[tuple[int, int, int], Any] = {}
    for (p, v), ks in prep.venue_starts.items():
        for k in ks:
            n[(p, v, k)] = m.int_var(inst.venues[v].rooms, f"n{p}_{v}_{k}")
    by_venue_period: dict[tuple[int, int], list[Any]] = defaultdict(list)
    by_pk: dict[tuple[int, int], list[Any]] = defaultdict(list)
    by_pv: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for (p, v, k), var in n.items():
        for u in prep.starts[p][k].occupies:
            by_venue_period[(v, u)].append(var)
        by_pk[(p, k)].append(var)
        by_pv[(p, v)].append(var)
    for (v, _u), vars_ in by_venue_period.items():
        if len(vars_) > 1:
            m.add([(1, x) for x in vars_], -math.inf, inst.venues[v].rooms)

    # trainers
    a: dict[tuple[int, int, int], Any] = {}
    for (j, p), ks in prep.trainer_starts.items():
        for k in ks:
            if by_pk.get((p, k)):
                a[(j, p, k)] = m.int_var(1, f"a{j}_{p}_{k}")
    trainer_pk: dict[tuple[int, int], list[Any]] = defaultdict(list)
    trainer_period: dict[tuple[int, int], list[Any]] = defaultdict(list)
    trainer_all: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for (j, p, k), var in a.items():
        trainer_pk[(p, k)].append(var)
        for u in prep.starts[p][k].occupies:
            trainer_period[(j, u)].append(var)
        trainer_all[j].append((p, var))
    for (p, k), vars_ in by_pk.items():
        need = inst.programmes[p].trainers_per_batch
        if need > 0:
            m.add([(1, x) for x in trainer_pk.get((p, k), [])] + [(-need, x) for x in vars_],
                  0, 0)
    for vars_ in trainer_period.values():
        if len(vars_) > 1:
            m.add([(1, x) for x in vars_], -math.inf, 1)
    for j, items in trainer_all.items():
        trainer = inst.trainers[j]
        if trainer.max_batches is not None:
            m.add([(1, var) for _, var in items], -math.inf, trainer.max_batches)
        if trainer.max_days is not None:
            m.add([(inst.programmes[p].duration_days, var) for p, var in items], -math.inf,
                  trainer.max_days)

    # participants: y[g,p] people of group g trained in p; w[h,p,v] people from home h
    # trained in p at venue v (the groups of one home share its travel options)
    y: dict[tuple[int, int], Any] = {}
    home_groups: dict[str, list[int]] = defaultdict(list)
    for g, group in enumerate(prep.groups):
        home_groups[group.home].append(g)
        for p, value in enumerate(group.values):
            if value > 0 and prep.reachable(group.home, p):
                y[(g, p)] = m.int_var(group.size, f"y{g}_{p}")
    by_group: dict[int, list[Any]] = defaultdict(list)
    by_home_p: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for (g, p), var in y.items():
        by_group[g].append(var)
        by_home_p[(prep.groups[g].home, p)].append(var)
    for g, vars_ in by_group.items():
        if len(vars_) > 1:
            m.add([(1, x) for x in vars_], -math.inf, prep.groups[g].size)
    w: dict[tuple[str, int, int], Any] = {}
    attend: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for (home, p), vars_ in by_home_p.items():
        limit = sum(prep.groups[g].size for g in home_groups[home])
        flows = []
        for v in prep.reachable(home, p):
            var = m.int_var(min(limit, prep.seats[(p, v)] * len(by_pv[(p, v)])
                                * inst.venues[v].rooms), f"w{home}_{p}_{v}")
            w[(home, p, v)] = var
            attend[(p, v)].append(var)
            flows.append(var)
        m.add([(1, x) for x in flows] + [(-1, x) for x in vars_], 0, 0)
    count: dict[tuple[int, int], Any] = {}
    for (p, v), batches in by_pv.items():
        count[(p, v)] = big = m.int_var(len(batches) * inst.venues[v].rooms, f"N{p}_{v}")
        m.add([(1, x) for x in batches] + [(-1, big)], 0, 0)
        total = [(1, x) for x in attend.get((p, v), [])]
        m.add([*total, (-prep.seats[(p, v)], big)], -math.inf, 0)
        if inst.programmes[p].min_batch > 0:
            m.add([*total, (-inst.programmes[p].min_batch, big)], 0, math.inf)

    # budget
    if prep.budget is not None:
        terms: Terms = []
        for (home, p, v), var in w.items():
            terms.append((prep.participant_cost[(home, p, v)], var))
        for (p, _v, _k), var in n.items():
            if prep.batch_fixed_cost(p):
                terms.append((prep.batch_fixed_cost(p), var))
        for (j, p, _k), var in a.items():
            if prep.trainer_cost(j, p):
                terms.append((prep.trainer_cost(j, p), var))
        m.add(terms, -math.inf, prep.budget)

    m.maximize([(prep.groups[g].values[p], var) for (g, p), var in y.items()])

    return _Vars(n, a, y, w, count)


def solve(instance: Instance, *, time_limit: float = 60.0, workers: int = 2,
          gap_limit: float = 0.005, hint: bool = True, lang: str = "id",
          backend: str = "cp-sat", prepared: Prepared | None = None, log: bool = False,
          rounding: bool = True) -> Plan:
    """The optimised plan. Stops at ``time_limit`` seconds or when the relative gap between the
    best plan and the proven bound is at most ``gap_limit``. ``backend``: ``cp-sat`` (default), or
    ``scip``/``cbc`` (OR-Tools' MIP solvers through pywraplp)."""
    began = time.perf_counter()
    prep = prepared or prepare(instance)
    inst = prep.instance
    m: _CpSat | _Mip = _CpSat() if backend == "cp-sat" else _Mip(backend)

    v = _build(m, prep)
    n, a, y, w, count = v.n, v.a, v.y, v.w, v.count

    greedy_obj = None
    lp_bound: float | None = None
    phase = "solver"
    start_values: dict[Any, int] | None = None
    if hint:
        fcfs = greedy_batches(prep)
        greedy_obj, _ = evaluate(prep, fcfs)
        seed = density_batches(prep)
        seed_value, _ = evaluate(prep, seed)
        if seed_value < greedy_obj:
            seed, seed_value = fcfs, greedy_obj
        pairs = _hint(prep, seed, n, a, y, w, count)
        if rounding:
            found_lp = _lp_rounding(prep, time_limit - (time.perf_counter() - began), log)
            if found_lp is not None:
                lp_bound, rounded = found_lp
                if rounded is not None and rounded[0] > seed_value:
                    seed_value = round(rounded[0])
                    pairs = list(zip(v.all(), rounded[1], strict=True))
                    phase = "lp-rounding"
        start_values = {id(var): value for var, value in pairs}
        m.hint(pairs)

    bound: float | None = None
    if (lp_bound is not None and start_values is not None and lp_bound > 0
            and (lp_bound - seed_value) / lp_bound <= gap_limit):
        # the starting plan is already proven within the gap limit by the LP bound (values are
        # integers, so an LP bound below the next integer proves optimality)
        status_name = "OPTIMAL" if math.floor(lp_bound + 1e-6) <= seed_value else "FEASIBLE"
        values = start_values
        batches_out = _disaggregate(prep, _Values(values), n, a, y, w)
        bound = lp_bound
    else:
        phase = "solver" if phase == "solver" else f"{phase}+solver"
        status_name, found = m.solve(max(0.1, time_limit - (time.perf_counter() - began)),
                                     workers, gap_limit, log)
        if status_name == "INFEASIBLE" and hint:
            # the empty plan is always feasible: SCIP occasionally mishandles a hint on tiny
            # presolved models; build and solve again without it
            return solve(instance,
                         time_limit=max(0.1, time_limit - (time.perf_counter() - began)),
                         workers=workers, gap_limit=gap_limit, hint=False, lang=lang,
                         backend=backend, prepared=prep, log=log, rounding=False)
        if found:
            batches_out = _disaggregate(prep, m, n, a, y, w)
            bound = m.objective()[1]
            if lp_bound is not None:
                bound = min(bound, lp_bound)
        elif start_values is not None:
            # out of time before the solver found a plan: the (feasible) start stands
            status_name = "FEASIBLE"
            batches_out = _disaggregate(prep, _Values(start_values), n, a, y, w)
            bound = lp_bound
        else:
            batches_out = []
    problems = check(prep, batches_out)
    if problems:  # a bug, never a user error: refuse to hand out an infeasible plan
        raise AssertionError("infeasible plan: " + "; ".join(problems[:5]))
    obj_value, cost = evaluate(prep, batches_out)
    gap = None
    if bound is not None:
        bound = max(bound, obj_value)
        gap = 0.0 if bound <= 0 else (bound - obj_value) / bound
        if gap < 1e-9:
            gap = 0.0
        if status_name in ("OPTIMAL", "FEASIBLE"):
            # CP-SAT says OPTIMAL once its gap limit is reached: only a zero gap is optimal here
            status_name = "OPTIMAL" if gap == 0.0 else "FEASIBLE"
    return Plan(
        method=backend, batches=batches_out, status=status_name,
        objective=obj_value / VALUE_SCALE,
        bound=None if bound is None else bound / VALUE_SCALE, gap=gap,
        seconds=time.perf_counter() - began, cost=cost,
        uncovered=uncovered(prep, batches_out, lang),
        stats={"people": len(inst.people),
               "people_with_value": sum(g.size for g in prep.groups),
               "groups": len(prep.groups), "batch_vars": len(n), "trainer_vars": len(a),
               "group_vars": len(y), "flow_vars": len(w),
               "greedy_objective": None if greedy_obj is None else greedy_obj / VALUE_SCALE,
               "lp_bound": None if lp_bound is None else lp_bound / VALUE_SCALE,
               "phase": phase})


class _Values:
    """Variable values of a plan found outside the solver (for the disaggregation)."""

    def __init__(self, values: dict[int, int]) -> None:
        self.values = values

    def value(self, var: Any) -> int:
        return self.values.get(id(var), 0)


def _lp_rounding(prep: Prepared, seconds: float,
                 log: bool) -> tuple[float, tuple[float, list[int]] | None] | None:
    """The LP relaxation's bound (GLOP) and, when found, a plan with the LP's number of batches
    per programme and venue rounded (then floored) and everything else left to CBC: objective and
    values in :meth:`_Vars.all` order. None if the LP could not be solved."""
    lp = _Mip("glop")
    lv = _build(lp, prep)
    if lp.relaxation() is None:
        return None
    bound = lp.objective()[0]
    sub = _Mip("cbc")
    sv = _build(sub, prep)
    began = time.perf_counter()
    for rounder in (round, math.floor):
        target = [(sv.count[key], int(rounder(var.solution_value())))
                  for key, var in lv.count.items()]
        left = seconds - (time.perf_counter() - began)
        if left < 1:
            break
        found = sub.solve_fixed(target, sv.all(), min(0.35 * left, 20.0), 1)
        if log:
            print(f"LP bound {bound}; rounded with {rounder.__name__}: "
                  f"{None if found is None else found[0]}")
        if found is not None:
            return bound, found
    return bound, None


def _hint(prep: Prepared, batches: list[Batch], n: dict[tuple[int, int, int], Any],
          a: dict[tuple[int, int, int], Any], y: dict[tuple[int, int], Any],
          w: dict[tuple[str, int, int], Any],
          count: dict[tuple[int, int], Any]) -> list[tuple[Any, int]]:
    """A complete, feasible hint from the greedy plan."""
    group_of = {}
    for g, group in enumerate(prep.groups):
        for i in group.people:
            group_of[i] = g
    values: dict[tuple[Any, ...], int] = defaultdict(int)
    for b in batches:
        values[("n", b.programme, b.venue, b.start)] += 1
        values[("N", b.programme, b.venue)] += 1
        for j in b.trainers:
            values[("a", j, b.programme, b.start)] = 1
        for i in b.participants:
            values[("y", group_of[i], b.programme)] += 1
            values[("w", prep.groups[group_of[i]].home, b.programme, b.venue)] += 1
    pairs: list[tuple[Any, int]] = []
    tables: tuple[tuple[str, dict[Any, Any]], ...] = (
        ("n", n), ("a", a), ("y", y), ("w", w), ("N", count))
    for tag, table in tables:
        for key, var in table.items():
            pairs.append((var, values.get((tag, *key), 0)))
    return pairs


def _disaggregate(prep: Prepared, solver: _CpSat | _Mip | _Values,
                  n: dict[tuple[int, int, int], Any],
                  a: dict[tuple[int, int, int], Any],
                  y: dict[tuple[int, int], Any],
                  w: dict[tuple[str, int, int], Any]) -> list[Batch]:
    inst = prep.instance
    batches_of: dict[tuple[int, int], list[Batch]] = defaultdict(list)
    by_pk: dict[tuple[int, int], list[Batch]] = defaultdict(list)
    for (p, v, k), var in sorted(n.items()):
        for _ in range(solver.value(var)):
            batch = Batch(p, v, k)
            batches_of[(p, v)].append(batch)
            by_pk[(p, k)].append(batch)
    # trainers: those chosen for (p, k) share out over its batches, nearest venue first
    chosen: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (j, p, k), var in a.items():
        if solver.value(var):
            chosen[(p, k)].append(j)
    for (p, k), batches in by_pk.items():
        need = inst.programmes[p].trainers_per_batch
        pool = chosen[(p, k)]
        for batch in batches:
            venue_region = inst.venues[batch.venue].region
            dist = {j: _trainer_km(prep, j, venue_region) for j in pool}
            pool.sort(key=lambda j: (dist[j], j))
            batch.trainers, pool[:] = pool[:need], pool[need:]
    # participants: per home and programme, the chosen people of its groups (input order) go
    # to the venues in the solver's numbers
    chosen_people: dict[tuple[str, int], list[int]] = defaultdict(list)
    taken = [0] * len(prep.groups)
    for (g, p), var in sorted(y.items()):
        count = solver.value(var)
        if count:
            people = prep.groups[g].people
            chosen_people[(prep.groups[g].home, p)].extend(people[taken[g]: taken[g] + count])
            taken[g] += count
    queue: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (home, p), people in chosen_people.items():
        people.sort()
        pos = 0
        for v in prep.reachable(home, p):
            count = solver.value(w[(home, p, v)])
            queue[(p, v)].extend(people[pos: pos + count])
            pos += count
    result: list[Batch] = []
    for (p, v), batches in batches_of.items():
        members = queue.get((p, v), [])
        size, extra = divmod(len(members), len(batches))
        pos = 0
        for m, batch in enumerate(batches):
            take = size + (1 if m < extra else 0)
            batch.participants = members[pos: pos + take]
            pos += take
            result.append(batch)
    return result


def _trainer_km(prep: Prepared, j: int, venue_region: str) -> float:
    home = prep.instance.trainers[j].region
    if not home:
        return 0.0
    travel = prep.instance.travel
    return road_km(home, venue_region, road_factor=travel.road_factor,
                   coordinates=travel.coordinates)
