from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sdmkesos.core.identifiers import validate_nik


class Command(BaseCommand):
    help = ("Check NIKs: prints one JSON object per NIK (nik, valid, errors, and when decodable "
            "province_code, province, birth_date, sex). Exit status 0 if all are valid, "
            "1 otherwise.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("niks", nargs="+", metavar="NIK")
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args: Any, **options: Any) -> None:
        all_valid = True
        for raw in options["niks"]:
            result = validate_nik(raw)
            all_valid &= result.valid
            self.stdout.write(json.dumps(result.to_json(lang=options["lang"]), ensure_ascii=False))
        self.stdout.flush()
        if not all_valid:
            sys.exit(1)
