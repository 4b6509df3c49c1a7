"""`sdmkesos gaps`: competency gaps in one account's scope, as a summary (JSON lines) or a
CSV/XLSX file of every person-competency row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdmkesos.competency import actions, queries
from sdmkesos.competency.views import EXPORT_HEADERS
from sdmkesos.competency.webutil import table_bytes
from sdmkesos.core.choices import Channel
from sdmkesos.core.models import Organisation, User


class Command(BaseCommand):
    help = "Competency gaps: `sdmkesos gaps [--by region] [--region 35] [--competency RS.01] " \
           "[-o gaps.xlsx]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="nasional",
                            help="account whose scope applies (default: nasional)")
        parser.add_argument("--region", default="")
        parser.add_argument("--category", default="")
        parser.add_argument("--competency", default="")
        parser.add_argument("--by", default="region", choices=queries.GROUPINGS)
        parser.add_argument("--all", action="store_true", help="rows without a gap too")
        parser.add_argument("-o", "--output", help="write rows to .csv or .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada")
        filters = {k: options[k] for k in ("region", "category", "competency") if options[k]}
        if options["output"]:
            path = Path(options["output"])
            fmt = "xlsx" if path.suffix == ".xlsx" else "csv"
            orgs = dict(Organisation.objects.values_list("id", "name"))
            rows = ([r.person_id, r.person_name, r.region_code or "",
                     orgs.get(r.organisation_id or 0, ""), r.category or "", r.standard,
                     r.competency, r.required, r.current, r.gap]
                    for r in queries.gap_rows(user, only_below=not options["all"], **filters))
            content, count = table_bytes("kesenjangan", fmt, EXPORT_HEADERS, rows)
            path.write_bytes(content)
            actions.record_export(actor=user, channel=Channel.CLI, what="competency.gaps",
                                  note=f"{path.name} {filters}")
            self.stderr.write(f"{count} baris ditulis ke {path}")
            return
        stats: dict[str, int] = {}
        for key, label, agg in queries.gap_summary(user, by=options["by"], stats=stats,
                                                   **filters):
            self.stdout.write(json.dumps({
                "key": key, "label": label, "people": agg.people, "below": agg.below,
                "below_share": round(agg.below_share, 4), "gap_sum": agg.gap_sum,
                "mean_gap": round(agg.mean_gap, 4)}, ensure_ascii=False))
        self.stdout.write(json.dumps({"summary": stats}))
