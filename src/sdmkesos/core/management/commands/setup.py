from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from sdmkesos.core.reference import setup_reference_data


class Command(BaseCommand):
    help = ("Migrate the database named by DATABASE_URL and load the reference data (regions, "
            "organisations, code lists). Safe to run again.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        self.stdout.write("Memuat data referensi (wilayah, organisasi, daftar kode)...")
        counts = setup_reference_data(
            progress=(lambda msg: self.stdout.write("  " + msg)) if verbosity > 1 else None)
        self.stdout.write(self.style.SUCCESS(
            f"Selesai dalam {time.monotonic() - started:.1f} s: {counts['regions']} wilayah, "
            f"{counts['organisations']} organisasi."))
