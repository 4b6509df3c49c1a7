from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from sdmkesos.core.hooks import available
from sdmkesos.core.reference import setup_reference_data

# Reference data of the domain apps, loaded after the core's: (module, function, label).
APP_STEPS = [
    ("sdmkesos.competency.reference", "load_competency_dictionary", "kamus kompetensi"),
    ("sdmkesos.careers.reference", "load_jf_reference", "jabatan fungsional"),
    ("sdmkesos.certification.reference", "load_schemes", "skema sertifikasi"),
]


def app_steps() -> list[tuple[str, Any]]:
    return available(APP_STEPS)


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
        for label, step in app_steps():
            self.stdout.write(f"Memuat {label}...")
            step()
        # Foreign keys a bulk import restored NOT VALID whose validation task never ran.
        from sdmkesos.imports.bulk import validate_foreign_keys

        validated = validate_foreign_keys()
        if validated:
            self.stdout.write(f"Memvalidasi {len(validated)} kunci asing dari impor besar.")
        if "credentials" in get_commands():
            # The demo/first signing key for certificates (a file, never in the database).
            call_command("credentials", "init-key", verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            f"Selesai dalam {time.monotonic() - started:.1f} s: {counts['regions']} wilayah, "
            f"{counts['organisations']} organisasi."))
