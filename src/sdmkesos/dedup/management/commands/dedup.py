"""`sdmkesos dedup -o pairs.csv [--threshold P] [--user NAME] [--file FILE] [--propose]`."""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import User
from sdmkesos.dedup import actions, linkage
from sdmkesos.dedup.sheets import SheetProblem, read_sheet
from sdmkesos.imports.readers import UnreadableFile


class Command(BaseCommand):
    help = ("Find likely duplicate people (probabilistic record linkage, Splink on DuckDB) in the "
            "registry, or among the rows of a sheet with --file. Writes "
            "id_left,id_right,probability for pairs at or above the threshold.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="CSV file to write")
        parser.add_argument("--threshold", type=float, default=linkage.DEFAULT_THRESHOLD,
                            help=f"match probability (default {linkage.DEFAULT_THRESHOLD})")
        parser.add_argument("--file", help="link the rows of this sheet instead of the registry "
                            "(nothing is imported; ids from its record_id column or row numbers)")
        parser.add_argument("--user", help="only people this account may change (default: the "
                            "whole registry, national)")
        parser.add_argument("--propose", action="store_true",
                            help="also store the registry pairs in the review queue")
        parser.add_argument("--threads", type=int, default=None, help="DuckDB threads")

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if not 0.0 < threshold <= 1.0:
            raise CommandError("--threshold harus di antara 0 dan 1")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Pengguna {options['user']} tidak ada")
        started = time.perf_counter()

        def progress(stage: str, fraction: float) -> None:
            self.stderr.write(f"  {stage} {fraction:.0%} ({time.perf_counter() - started:.1f} s)")

        if options["file"]:
            if options["propose"]:
                raise CommandError("--propose hanya untuk registri, bukan --file")
            try:
                records = read_sheet(options["file"])
            except (UnreadableFile, SheetProblem) as err:
                raise CommandError(err.message) from err
            source = Path(options["file"]).name
        else:
            records = list(actions.registry_records(user))
            source = f"registri ({actions.scope_label(user)})"
        self.stderr.write(f"{len(records):,} data dari {source}")
        result = linkage.link_records(records, threshold=threshold, threads=options["threads"],
                                      progress=progress)
        with open(options["output"], "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id_left", "id_right", "probability"])
            for pair in result.pairs:
                writer.writerow([pair.id_left, pair.id_right, f"{pair.probability:.6f}"])
        summary: dict[str, Any] = {"records": result.records, "pairs": len(result.pairs),
                                   "threshold": threshold, "trained": result.trained,
                                   "seconds": round(time.perf_counter() - started, 1)}
        if options["propose"]:
            try:
                run = actions.do_store_result(actor=user, channel=Channel.CLI, result=result,
                                              threshold=threshold)
            except DomainError as err:
                raise CommandError(err.message) from err
            summary["proposed"] = run.pairs_new
        self.stdout.write(json.dumps(summary))
        sys.stdout.flush()
