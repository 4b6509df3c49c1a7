from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import User
from sdmkesos.imports.engine import run_import
from sdmkesos.imports.kinds import KINDS
from sdmkesos.imports.readers import UnreadableFile
from sdmkesos.imports.report import write_report


def load_mapping(name: str, kind: str) -> dict[str, str]:
    from sdmkesos.imports.models import SavedMapping

    path = Path(name)
    if path.suffix == ".json" or path.exists():
        return dict(json.loads(path.read_text("utf-8")))
    saved = SavedMapping.objects.filter(kind=kind, name=name).first()
    if saved is None:
        raise CommandError(f"Pemetaan '{name}' tidak ditemukan / mapping not found")
    return dict(saved.mapping)


class Command(BaseCommand):
    help = ("Import an office sheet (.xlsx, .xls, .ods, .csv): `sdmkesos import persons FILE` "
            "(also `education`, `employment`). "
            "Prints a JSON summary as its last line; exit 0 when nothing was rejected.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--user", default="nasional",
                            help="account whose scope applies (default: nasional)")
        parser.add_argument("--dry-run", action="store_true", help="validate only")
        parser.add_argument("--keep-valid", action="store_true",
                            help="import valid rows, report the rest (default: all or nothing)")
        parser.add_argument("--report", help="write the annotated .xlsx here")
        parser.add_argument("--map", action="append", default=[], metavar="HEADER=COLUMN",
                            help="map a header to a column key (repeatable), e.g. 'No Induk=nik'")
        parser.add_argument("--mapping", help="a saved mapping: a JSON file {header: column}, "
                            "or the name of a mapping saved in the web UI")
        parser.add_argument("--save-mapping", help="save the mapping used to this JSON file")
        parser.add_argument("--no-duplicate-check", action="store_true",
                            help="do not flag new rows that look like people already registered")

    def show_progress(self, done: int, total: int | None) -> None:
        share = f" ({min(done / total, 1):.0%})" if total else ""
        self.stderr.write(f"  baris / rows {done:,}{share}")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada")
        overrides: dict[str, str] = {}
        if options["mapping"]:
            overrides.update(load_mapping(options["mapping"], options["kind"]))
        for item in options["map"]:
            header, _, key = item.partition("=")
            overrides[header] = key
        try:
            result = run_import(options["kind"], options["file"], actor=user,
                                channel=Channel.IMPORT, dry_run=options["dry_run"],
                                keep_valid=options["keep_valid"], overrides=overrides,
                                progress=self.show_progress,
                                check_duplicates=not options["no_duplicate_check"])
        except UnreadableFile as err:
            raise CommandError(err.message) from err
        except DomainError as err:
            raise CommandError(err.message) from err
        if result.mapping is not None:
            self.stderr.write("Pemetaan kolom / column mapping:")
            for header, key in result.mapping.describe():
                self.stderr.write(f"  {header!r} -> {key}")
            if options["save_mapping"]:
                Path(options["save_mapping"]).write_text(json.dumps(
                    dict(result.mapping.describe()), ensure_ascii=False, indent=1), "utf-8")
        for row_error in result.errors[:50]:
            self.stderr.write(f"  baris {row_error.row}, {row_error.column}: "
                              f"{row_error.message} ({row_error.value})")
        for warning in result.warnings[:50]:
            self.stderr.write(f"  baris {warning.row}: {warning.message}")
        if result.duplicate_check == "skipped":
            self.stderr.write("  Pemeriksaan duplikat dilewati (berkas besar); jalankan `sdmkesos "
                              "dedup` / duplicate check skipped (large file); run `sdmkesos dedup`")
        if options["report"]:
            write_report(result, options["report"])
        if result.errors and not result.committed and not result.dry_run:
            self.stderr.write("Tidak ada yang diimpor (semua atau tidak sama sekali); "
                              "gunakan --keep-valid untuk mengimpor baris yang valid.")
        self.stdout.write(result.summary_json())
        self.stdout.flush()
        if result.errors:
            sys.exit(1)
