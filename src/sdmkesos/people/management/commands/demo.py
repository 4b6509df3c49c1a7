"""`sdmkesos demo`: demo data and demo logins, then the web app on http://127.0.0.1:8000.

    sdmkesos demo                       # 20,000 people (seed 2025), demo users, serve
    sdmkesos demo --no-serve            # data and users only
    sdmkesos demo --reset --persons 50000 --seed 7

Runs `sdmkesos setup` first when the database or its reference data is missing. Running it again
keeps the existing demo people (``--reset`` replaces them) and never duplicates the demo users;
their password is reset to ``sdmkesos-demo``.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.db.models import ProtectedError, RestrictedError

from sdmkesos.core.hooks import available
from sdmkesos.core.management.commands.serve import (
    DEFAULT_ADDR,
    collect_static,
    ensure_assets,
    local_url,
    serve,
)

# Demo data of the domain apps, seeded after the demo users: (module, function, label).
DEMO_STEPS = [
    ("sdmkesos.competency.demo", "seed_demo", "kompetensi / competencies"),
    ("sdmkesos.training.demo", "seed_demo", "pelatihan / training"),
    ("sdmkesos.certification.demo", "seed_demo", "sertifikasi / certification"),
    ("sdmkesos.careers.demo", "seed_demo", "karier / careers"),
    ("sdmkesos.partnerships.demo", "seed_demo", "kemitraan / partnerships"),
]


def demo_steps() -> list[tuple[str, Any]]:
    return available(DEMO_STEPS)


class Command(BaseCommand):
    help = ("Create realistic synthetic workers and demo users, print the demo logins and serve "
            "the web app (unless --no-serve).")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        from sdmkesos.people.demo import DEFAULT_PERSONS, DEFAULT_SEED

        parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS,
                            help="number of demo people (default %(default)s)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="random seed; the same seed gives the same people "
                                 "(default %(default)s)")
        parser.add_argument("--reset", action="store_true",
                            help="delete the existing demo people first")
        parser.add_argument("--no-serve", action="store_true",
                            help="only create the data and the users")
        parser.add_argument("--addr", default=DEFAULT_ADDR,
                            help="where to serve (default %(default)s)")
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start a task worker next to the server")

    def handle(self, *args: Any, **options: Any) -> None:
        # The registry lives in the people app; core only drives it here (a lazy import keeps
        # core's modules free of feature-app imports).
        from sdmkesos.people.demo import (
            DEMO_PASSWORD,
            DEMO_USERS,
            ensure_demo_users,
            reference_data_ready,
            scope_label,
            seed_demo,
        )
        from sdmkesos.people.models import Person

        verbosity = options["verbosity"]
        persons = options["persons"]
        if persons < 0:
            raise CommandError("--persons must be 0 or more")
        if not reference_data_ready():
            self.say("Basis data belum siap: menjalankan `sdmkesos setup`... / "
                     "Database not ready: running `sdmkesos setup`...")
            call_command("setup", verbosity=verbosity)

        self.say(f"Membuat {persons:,} pekerja demo (seed {options['seed']})... / "
                 f"Creating {persons:,} demo workers...")
        try:
            report = seed_demo(
                persons=persons, seed=options["seed"], reset=options["reset"],
                progress=(lambda msg: self.say("  " + msg)) if verbosity > 1 else None)
        except (DatabaseError, ProtectedError, RestrictedError) as exc:
            raise CommandError(f"Gagal menulis data demo / could not write demo data: {exc}"
                               ) from exc
        if report.deleted:
            self.say(f"  {report.deleted:,} pekerja demo lama dihapus / old demo workers deleted")
        if report.skipped:
            self.say(self.style.WARNING(
                f"  Sudah ada {report.existing:,} pekerja demo; tidak dibuat ulang (pakai --reset "
                f"untuk mengganti). / {report.existing:,} demo workers already exist; skipped "
                "(use --reset to replace them)."))
        else:
            self.say(self.style.SUCCESS(
                f"  {report.created:,} pekerja, {report.education:,} riwayat pendidikan, "
                f"{report.created:,} riwayat pekerjaan dalam {report.seconds:.1f} s / "
                f"workers, education and employment records in {report.seconds:.1f} s"))
            if verbosity > 1:
                self.say("  " + ", ".join(f"{k}: {v}" for k, v in report.by_province.items()))

        users = ensure_demo_users()
        for label, step in demo_steps():
            counts = step()
            summary = ", ".join(f"{k}: {v}" for k, v in (counts or {}).items())
            self.say(f"  {label}: {summary}" if summary else f"  {label}")
        self.say("")
        self.say(f"Akun demo / demo logins — kata sandi / password: {DEMO_PASSWORD}")
        header = ("pengguna / user", "peran / role", "lingkup / scope", "terlihat / visible")
        rows = []
        for spec in DEMO_USERS:
            user = users[spec.username]
            visible = Person.objects.restrict(user).count()
            rows.append((spec.username, spec.role, scope_label(user), f"{visible:,}"))
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.say("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        self.say(line)
        for row in rows:
            self.say("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        self.say("")

        url = local_url(options["addr"])
        if options["no_serve"]:
            self.say("Server tidak dijalankan; jalankan / not serving; run: sdmkesos serve")
            self.say(f"Buka {url} — Open {url}")
            return
        ensure_assets(self.say)
        collect_static(self.say)
        self.say(self.style.SUCCESS(f"Buka {url} — Open {url}"))
        serve(options["addr"], self.say, worker=not options["no_worker"])

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
