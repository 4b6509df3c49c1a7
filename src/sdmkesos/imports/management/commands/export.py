from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdmkesos.core.models import User
from sdmkesos.imports.exporting import export_persons
from sdmkesos.people.filters import PersonFilter


class Command(BaseCommand):
    help = "Export the registry: `sdmkesos export persons -o FILE [--format csv|xlsx]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["persons"])
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"])
        parser.add_argument("--region", default="", help="region code (with sub-regions)")
        parser.add_argument("--user", default="nasional",
                            help="account whose scope applies (default: nasional)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada")
        fmt = options["format"] or ("xlsx" if options["output"].endswith(".xlsx") else "csv")
        count = export_persons(user, options["output"], fmt,
                               PersonFilter(region=options["region"]))
        self.stderr.write(f"{count} pekerja diekspor ke {options['output']}")
