"""De-duplication quality and speed on synthetic Indonesian people with known duplicates.

    python bench/dedup.py                    # 100,000 records, 10% noisy duplicates
    python bench/dedup.py --n 1000000        # the target run (F1 >= 0.95, < 10 minutes)
    python bench/dedup.py --threshold 0.8 --sweep

Generates N records (``sdmkesos.dedup.synthetic``: realistic names, titles and degrees, spelling
variants, dropped/swapped name parts, typos, day/month swaps, region moves, NIK typos or missing),
runs the same linkage as ``sdmkesos dedup`` (``sdmkesos.dedup.linkage.link_records``: u by random
sampling, m by EM, Splink 5 on DuckDB) and prints pairwise precision, recall and F1 at the
threshold, the time of each stage and the peak memory (max RSS of this process, which includes
DuckDB), the CPU time used (all threads) and the load average, since the machine may be shared.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from sdmkesos.dedup import linkage, synthetic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="records (default 100000)")
    parser.add_argument("--share", type=float, default=0.1,
                        help="share of records that are duplicates (default 0.1)")
    parser.add_argument("--threshold", type=float, default=linkage.DEFAULT_THRESHOLD)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--sweep", action="store_true",
                        help="also print precision/recall/F1 at other thresholds")
    parser.add_argument("--misses", type=int, default=0, help="print N missed true pairs")
    args = parser.parse_args()

    t0 = time.perf_counter()
    data = synthetic.generate(args.n, duplicate_share=args.share, seed=args.seed)
    generated = time.perf_counter() - t0
    print(f"generated {len(data.records):,} records, {len(data.true_pairs):,} true pairs "
          f"in {generated:.1f} s", flush=True)

    low = min(args.threshold, 0.3) if args.sweep else args.threshold
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage0.ru_utime + usage0.ru_stime
    t1 = time.perf_counter()
    result = linkage.link_records(data.records, threshold=low, threads=args.threads,
                                  progress=lambda stage, f: print(
                                      f"  {stage} ({time.perf_counter() - t1:.1f} s)",
                                      flush=True))
    elapsed = time.perf_counter() - t1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime - cpu0

    def at(threshold: float) -> dict[str, float]:
        predicted = {(p.id_left, p.id_right) for p in result.pairs
                     if p.probability >= threshold}
        return synthetic.score(predicted, data.true_pairs)

    figures = at(args.threshold)
    print(f"threshold {args.threshold}: precision {figures['precision']:.4f}  "
          f"recall {figures['recall']:.4f}  F1 {figures['f1']:.4f}  "
          f"(tp {figures['true_positives']:,}, fp {figures['false_positives']:,}, "
          f"fn {figures['false_negatives']:,})")
    print(f"linkage time {elapsed:.1f} s (" + ", ".join(
        f"{k} {v:.1f} s" for k, v in result.stages.items()) + f"); CPU time {cpu:.1f} s "
          f"(all threads); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"trained: {result.trained}")
    print(f"peak memory (max RSS) {peak_mb:,.0f} MB")
    if args.sweep:
        for threshold in (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
            s = at(threshold)
            print(f"  at {threshold:<5} precision {s['precision']:.4f} recall "
                  f"{s['recall']:.4f} F1 {s['f1']:.4f}")
    if args.misses:
        found = {(p.id_left, p.id_right) for p in result.pairs
                 if p.probability >= args.threshold}
        by_id = {r.record_id: r for r in data.records}
        for a, b in sorted(data.true_pairs - found)[: args.misses]:
            print("MISS", by_id[a], "\n     ", by_id[b])
        wrong = sorted(found - data.true_pairs)[: args.misses]
        for a, b in wrong:
            print("FALSE", by_id[a], "\n      ", by_id[b])
    print(json.dumps({"n": len(data.records), "threshold": args.threshold,
                      "precision": round(figures["precision"], 4),
                      "recall": round(figures["recall"], 4), "f1": round(figures["f1"], 4),
                      "seconds": round(elapsed, 1), "cpu_seconds": round(cpu, 1),
                      "peak_mb": round(peak_mb)}))


if __name__ == "__main__":
    main()
