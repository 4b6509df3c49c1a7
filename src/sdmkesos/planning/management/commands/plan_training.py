"""`sdmkesos plan-training` (also `plan_training`): the training plan optimiser on an instance
file. See docs/training-plan.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sdmkesos.trainplan import (
    InstanceError,
    dump_instance,
    example_instance,
    greedy,
    load_instance,
    plan_to_json,
    prepare,
    solve,
)
from sdmkesos.trainplan.solve import BACKENDS

EXIT_INVALID = 2


class Command(BaseCommand):
    help = ("Rencana pelatihan: memilih angkatan (program, tempat, periode, pelatih, peserta) yang "
            "menutup kesenjangan kompetensi berbobot terbesar dalam batas kapasitas, pelatih dan "
            "anggaran. Reads --instance FILE.json, prints a summary, writes the plan with --json.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instance", metavar="FILE", help="instance JSON ('-': stdin)")
        parser.add_argument("--json", metavar="OUT", help="write the plan JSON here ('-': stdout)")
        parser.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                            help="solver time limit in seconds (default 60)")
        parser.add_argument("--budget", type=float, default=None, metavar="X",
                            help="override the instance budget (rupiah)")
        parser.add_argument("--gap", type=float, default=0.005,
                            help="stop at this relative optimality gap (default 0.005)")
        parser.add_argument("--solver", choices=BACKENDS, default="cp-sat")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--greedy", action="store_true",
                            help="only the first-come-first-served baseline")
        parser.add_argument("--generate-example", metavar="OUT",
                            help="write a realistic example instance and exit")
        parser.add_argument("--people", type=int, default=9000,
                            help="people in the generated example (default 9000)")
        parser.add_argument("--seed", type=int, default=2027)
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args: Any, **options: Any) -> None:
        lang: str = options["lang"]
        if options["generate_example"]:
            instance = example_instance(options["people"], seed=options["seed"])
            dump_instance(instance, options["generate_example"])
            self.stdout.write(f"{options['generate_example']}: {len(instance.people)} orang, "
                              f"{len(instance.programmes)} program, {len(instance.venues)} "
                              f"tempat, {len(instance.trainers)} pelatih, "
                              f"{len(instance.periods)} periode")
            return
        if not options["instance"]:
            self._fail({"errors": [{"field": "--instance", "code": "required",
                                    "message": "--instance FILE.json wajib diisi."}]})
        try:
            instance = load_instance(options["instance"])
        except InstanceError as error:
            self._fail(error.to_json(lang))
        if options["budget"] is not None:
            instance = instance.with_budget(options["budget"])
        prepared = prepare(instance)
        if options["greedy"]:
            plan = greedy(prepared, lang=lang)
        else:
            plan = solve(instance, time_limit=options["time_limit"], workers=options["workers"],
                         gap_limit=options["gap"], backend=options["solver"], lang=lang,
                         prepared=prepared)
        data = plan_to_json(prepared, plan)
        out = options["json"]
        if out == "-":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        if out:
            Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(_summary(data, lang))

    def _fail(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        self.stdout.flush()
        sys.exit(EXIT_INVALID)


def _summary(data: dict[str, Any], lang: str) -> str:
    en = lang == "en"
    unc = data["uncovered"]
    gap = "-" if data["gap"] is None else f"{100 * data['gap']:.2f}%"
    lines = [
        f"{'method' if en else 'metode'}: {data['method']} ({data['status']}, "
        f"{data['seconds']} s)",
        ("objective (weighted gap levels closed)" if en
         else "tujuan (kesenjangan berbobot tertutup)")
        + f": {data['objective']}; {'bound' if en else 'batas'}: {data['bound']}; gap: {gap}",
        f"{'batches' if en else 'angkatan'}: {len(data['batches'])}; "
        f"{'trained' if en else 'peserta'}: {data['trained']}; "
        f"{'cost' if en else 'biaya'}: Rp {data['cost']['total']:,}"
        + (f" / Rp {data['cost']['budget']:,}" if "budget" in data["cost"] else ""),
        f"{'uncovered' if en else 'belum terlayani'}: {unc['persons']} "
        f"({unc['gap_levels']} {'gap levels' if en else 'level kesenjangan'})",
    ]
    for reason, count in unc["by_reason"].items():
        lines.append(f"  {reason}: {count} ({unc['reasons'][reason]})")
    return "\n".join(lines)
