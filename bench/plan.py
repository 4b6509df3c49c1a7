"""Training plan optimiser at East Java scale: 9,000 volunteers across the 38 kab/kota, 5
programmes, 12 venues, 20 trainers, one year of weekly periods (the generated example instance).

Prints the solve time, the optimality gap (plan vs proven bound) and what the first-come-first-
served baseline achieves on the same instance. Target: gap <= 1% within 60 s on 2 cores.

    .venv/bin/python bench/plan.py [--people 9000] [--time-limit 60] [--solver cp-sat scip]
                                   [--budget 15000000000|none] [--trainers 20]
"""

from __future__ import annotations

import argparse
import time

from sdmkesos.trainplan import check, example_instance, greedy, prepare, solve


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=9000)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--solver", nargs="+", default=["cp-sat", "scip"])
    parser.add_argument("--gap", type=float, default=0.005)
    parser.add_argument("--trainers", type=int, default=20)
    parser.add_argument("--budget", default="15000000000",
                        help="rupiah, or 'none' for no budget limit (default 15 billion)")
    args = parser.parse_args()

    began = time.perf_counter()
    budget = None if args.budget == "none" else float(args.budget)
    instance = example_instance(args.people, budget=budget, trainers=args.trainers)
    prepared = prepare(instance)
    print(f"instance: {len(instance.people)} people, {len(instance.programmes)} programmes, "
          f"{len(instance.venues)} venues, {len(instance.trainers)} trainers, "
          f"{len(instance.periods)} periods, budget "
          f"{'none' if budget is None else f'Rp {budget:,.0f}'}; "
          f"{len(prepared.groups)} groups; built in {time.perf_counter() - began:.1f} s")
    base = greedy(prepared)
    assert not check(prepared, base.batches)
    print(f"greedy (FCFS): objective {base.objective:.1f}, {len(base.batches)} batches, "
          f"{sum(len(b.participants) for b in base.batches)} trained, "
          f"cost Rp {base.cost['total']:,}, {base.seconds:.2f} s")
    for backend in args.solver:
        plan = solve(instance, time_limit=args.time_limit, workers=args.workers,
                     gap_limit=args.gap, backend=backend, prepared=prepared)
        trained = sum(len(b.participants) for b in plan.batches)
        gap = "-" if plan.gap is None else f"{100 * plan.gap:.2f}%"
        ratio = plan.objective / base.objective if base.objective else float("nan")
        print(f"{backend}: {plan.status}, solve time {plan.seconds:.1f} s, objective "
              f"{plan.objective:.1f}, bound {plan.bound}, gap {gap}, {len(plan.batches)} batches,"
              f" {trained} trained, cost Rp {plan.cost['total']:,}, via {plan.stats['phase']}; "
              f"optimiser/greedy gap closed = {ratio:.3f}")
        print(f"  uncovered: {plan.uncovered['persons']} persons, by reason "
              f"{plan.uncovered['by_reason']}; residual on trained: {plan.uncovered['residual']}")


if __name__ == "__main__":
    main()
