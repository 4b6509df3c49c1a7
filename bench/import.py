"""Import throughput: a realistic office sheet of N persons into the registry, and the peer tool.

    python bench/import.py                              # 1,000,000 rows of CSV into PostgreSQL
    python bench/import.py --rows 100000 --db sqlite
    python bench/import.py --rows 200000 --peer-rows 50000   # also django-import-export

Generates the sheet with the demo generator (``sdmkesos.people.demo``: Indonesian names, NIKs
consistent with region, birth date and sex, NIPs for civil servants, education, unit, category,
status) as an office would write it (semicolon CSV, ``dd-mm-yyyy`` dates, region and unit codes)
and caches it under ``var/bench/``. Each measurement runs in its own process against a dedicated
database (SQLite ``var/bench/import.sqlite3``; PostgreSQL ``sdmkesos_bench_import``) set up once
with the reference data; the people tables and the audit log are emptied before each run.

Measured: the first import of N rows (all created; then, separately, the foreign-key validation
that a bulk load queues for after its commit), a re-import of the same file (all unchanged),
rows/s and peak memory (max RSS of the importing process). With ``--peer-rows P``: the first P rows
imported by django-import-export 4 with its fastest documented settings (``use_bulk``,
``batch_size=1000``, ``skip_diff``, ``force_init_instance``, one transaction; the person's own
columns and foreign keys given as ids, so it validates and writes less than we do: no NIK/NIP
checks, no employment/education history, no audit) and by ``sdmkesos import`` on the same rows,
same machine, same run; prints the throughput ratio. Target: 1,000,000 rows into PostgreSQL in
under 60 s (>= 16,000 rows/s) and >= 20x the peer. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "var" / "bench"
SQLITE_PATH = BENCH_DIR / "import.sqlite3"
PG_URL = "postgres://postgres@127.0.0.1:5432/sdmkesos_bench_import"
TARGET_ROWS_S = 16_000
HEADERS = ["No", "NIK", "Nama Lengkap", "NIP", "L/P", "Tempat Lahir", "Tgl Lahir", "No HP",
           "Email", "Alamat", "Pendidikan Terakhir", "Jurusan", "Institusi Pendidikan", "Jabatan",
           "Unit Kerja", "Kab/Kota", "Jenis SDM", "Status Kepegawaian"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def db_url(kind: str, args: argparse.Namespace) -> str:
    return args.pg_url if kind == "postgres" else f"sqlite:///{args.sqlite_path}"


def django_env(kind: str, args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = db_url(kind, args)
    env["DJANGO_SETTINGS_MODULE"] = "sdmkesos.settings"
    # The database queue, as in production: a bulk load's foreign-key validation is queued at
    # the commit, and run_ours runs and times it separately.
    env.setdefault("SDMKESOS_TASKS", "db")
    return env


def ensure_database(kind: str, args: argparse.Namespace) -> None:
    if kind == "postgres":
        import psycopg
        from psycopg import sql

        base, _, name = args.pg_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (name,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    else:
        Path(args.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    log(f"[{kind}] sdmkesos setup (reference data; idempotent)")
    subprocess.run([str(REPO / ".venv" / "bin" / "sdmkesos"), "setup"],
                   env=django_env(kind, args), check=True, stdout=subprocess.DEVNULL)


def child(kind: str, args: argparse.Namespace, task: str, **extra: Any) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", task, "--db", kind, "--pg-url", args.pg_url,
           "--sqlite-path", args.sqlite_path, "--file", str(extra.get("file", ""))]
    out = subprocess.run(cmd, env=django_env(kind, args), check=True, capture_output=True,
                         text=True)
    if out.stderr.strip():
        log(out.stderr.strip())
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------
# In the child process (Django set up)
# ------------------------------------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _empty_people() -> None:
    from django.db import connection

    from sdmkesos.core.models import AuditEvent
    from sdmkesos.people.models import EducationRecord, EmploymentRecord, Person

    tables = [m._meta.db_table for m in (EducationRecord, EmploymentRecord, Person, AuditEvent)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


BASE_ROWS = 50_000  # people drawn by the demo generator; larger sheets are variations of them


def _variant(row: list[Any], copy: int) -> list[Any]:
    """Copy ``copy`` of a generated row: another district digit pair in the NIK and another
    TMT CPNS month in the NIP (both stay valid), so every copy is a different person."""
    nik, nip = row[1], row[3]
    district = (int(nik[4:6]) + copy * 7) % 90 + 1
    out = list(row)
    out[1] = f"{nik[:4]}{district:02d}{nik[6:]}"
    if nip:
        month = (int(nip[12:14]) - 1 + copy) % 12 + 1
        out[3] = f"{nip[:12]}{month:02d}{nip[14:]}"
    return out


def generate_sheet(path: Path, rows: int, seed: int) -> None:
    """``rows`` people as an office writes them. The demo generator draws up to BASE_ROWS
    people; beyond that (it is slow) the sheet repeats them with other NIK district codes and
    NIP TMT months, skipping any variant that collides, so NIKs and NIPs stay valid and unique
    while names, places and units repeat."""
    from sdmkesos.people.demo import catalogue_from_database, generate

    catalogue = catalogue_from_database()
    base: list[list[Any]] = []
    for p in generate(catalogue, min(rows, BASE_ROWS), seed):
        top = max(p.education, key=lambda e: e.graduation_year) if p.education else None
        base.append([
            0, p.nik, p.name, p.nip or "", p.sex, p.birth_place,
            p.birth_date.strftime("%d-%m-%Y"), p.phone, p.email, p.address,
            p.education_level or "", p.field_of_study or "",
            top.institution if top else "", p.position, p.organisation, p.region or "",
            p.category, p.employment_status])
    niks: set[str] = set()
    nips: set[str] = set()
    tmp = path.with_suffix(".tmp")
    written = 0
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["DAFTAR SDM KESEJAHTERAAN SOSIAL"])
        writer.writerow([])
        writer.writerow(HEADERS)
        for copy in range(1000):
            for row in base:
                out = _variant(row, copy) if copy else list(row)
                if out[1] in niks or (out[3] and out[3] in nips):
                    continue
                niks.add(out[1])
                if out[3]:
                    nips.add(out[3])
                written += 1
                out[0] = written
                writer.writerow(out)
                if written == rows:
                    break
            if written == rows:
                break
    tmp.replace(path)


def run_ours(path: Path) -> dict[str, Any]:
    from sdmkesos.core.models import User
    from sdmkesos.imports.engine import run_person_import

    actor = User.objects.get(username="bench-import")
    start = time.perf_counter()
    result = run_person_import(path, actor=actor)
    seconds = time.perf_counter() - start
    # What the queued task does after a bulk load's commit (bulk.validate_foreign_keys).
    from sdmkesos.imports.bulk import validate_foreign_keys

    start = time.perf_counter()
    validated = validate_foreign_keys()
    validation = time.perf_counter() - start
    return {"rows": result.rows, "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "rejected": result.rejected, "seconds": seconds,
            "rows_per_s": result.rows / seconds if seconds else 0.0,
            "validated": len(validated), "validation_s": validation,
            "maxrss_mb": _maxrss_mb(), "first_errors": [e.as_dict() for e in result.errors[:3]]}


def run_peer(path: Path) -> dict[str, Any]:
    import tablib
    from import_export import resources

    from sdmkesos.core.models import Organisation
    from sdmkesos.people.models import Person

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            fields = ("nik", "name", "nip", "sex", "birth_place", "birth_date", "phone",
                      "email", "address", "region", "organisation", "position")
            import_id_fields = ("nik",)
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True
            use_transactions = True

    org_ids = dict(Organisation.objects.values_list("code", "id"))
    data = tablib.Dataset(headers=list(PersonResource.Meta.fields))
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=";")
        for row in reader:
            if len(row) < len(HEADERS) or row[1] == "NIK":
                continue
            d, m, y = row[6].split("-")
            data.append([row[1], row[2], row[3] or None, row[4], row[5], f"{y}-{m}-{d}",
                         row[7], row[8], row[9], row[15] or None, org_ids.get(row[14]),
                         row[13]])
    start = time.perf_counter()
    result = PersonResource().import_data(data, dry_run=False, use_transactions=True)
    seconds = time.perf_counter() - start
    rows = len(data)
    return {"rows": rows, "errors": result.has_errors() or result.has_validation_errors(),
            "seconds": seconds, "rows_per_s": rows / seconds if seconds else 0.0,
            "maxrss_mb": _maxrss_mb()}


def child_main(args: argparse.Namespace) -> None:
    _setup_django()
    from django.db import connection

    from sdmkesos.core.choices import Role
    from sdmkesos.core.models import User

    path = Path(args.file) if args.file else None
    if args.child == "generate":
        assert path is not None
        generate_sheet(path, args.rows, args.seed)
        out: dict[str, Any] = {"file": str(path)}
    elif args.child == "empty":
        _empty_people()
        User.objects.get_or_create(username="bench-import",
                                   defaults={"role": Role.NATIONAL_ADMIN})
        out = {"ok": True}
    elif args.child == "ours":
        assert path is not None
        out = run_ours(path)
    elif args.child == "peer":
        assert path is not None
        out = run_peer(path)
    else:
        raise SystemExit(f"unknown child task {args.child}")
    connection.close()
    print(json.dumps(out))


# ------------------------------------------------------------------------------------------
# The driver
# ------------------------------------------------------------------------------------------


def sheet(kind: str, args: argparse.Namespace, rows: int) -> Path:
    path = BENCH_DIR / f"import-{rows}-{args.seed}.csv"
    if not path.exists():
        log(f"generating {rows:,} rows -> {path}")
        child_args = argparse.Namespace(**{**vars(args), "rows": rows})
        cmd = [sys.executable, __file__, "--child", "generate", "--rows", str(rows),
               "--seed", str(args.seed), "--file", str(path)]
        subprocess.run(cmd, env=django_env(kind, child_args), check=True)
    return path


def measure(kind: str, args: argparse.Namespace) -> None:
    ensure_database(kind, args)
    big = sheet(kind, args, args.rows)
    print(f"\n[{kind}] {args.rows:,} rows ({big.stat().st_size / 1e6:.0f} MB CSV)")
    child(kind, args, "empty")
    first = child(kind, args, "ours", file=big)
    print(f"  first import : {first['seconds']:7.1f} s  {first['rows_per_s']:9,.0f} rows/s  "
          f"created {first['created']:,} rejected {first['rejected']:,}  "
          f"peak {first['maxrss_mb']:,.0f} MB"
          + ("  (target < 60 s at 1M rows on PostgreSQL)" if kind == "postgres" else ""))
    if first["validated"]:
        print(f"  then, after the commit, {first['validated']} foreign keys validated by the "
              f"queued task in {first['validation_s']:.1f} s (tables readable and writable)")
    if first["rejected"]:
        print(f"  first errors: {first['first_errors']}")
    again = child(kind, args, "ours", file=big)
    print(f"  re-import    : {again['seconds']:7.1f} s  {again['rows_per_s']:9,.0f} rows/s  "
          f"unchanged {again['unchanged']:,} updated {again['updated']:,}  "
          f"peak {again['maxrss_mb']:,.0f} MB")
    if args.peer_rows:
        small = sheet(kind, args, args.peer_rows)
        child(kind, args, "empty")
        peer = child(kind, args, "peer", file=small)
        child(kind, args, "empty")
        ours = child(kind, args, "ours", file=small)
        ratio = ours["rows_per_s"] / peer["rows_per_s"] if peer["rows_per_s"] else float("nan")
        print(f"  {args.peer_rows:,} rows, django-import-export: {peer['seconds']:6.1f} s "
              f"{peer['rows_per_s']:8,.0f} rows/s  peak {peer['maxrss_mb']:,.0f} MB")
        print(f"  {args.peer_rows:,} rows, sdmkesos import     : {ours['seconds']:6.1f} s "
              f"{ours['rows_per_s']:8,.0f} rows/s  peak {ours['maxrss_mb']:,.0f} MB")
        print(f"  ratio sdmkesos / django-import-export: {ratio:.1f}x (target >= 20x)")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-rows", type=int, default=0,
                        help="also compare with django-import-export on this many rows")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--sqlite-path", default=str(SQLITE_PATH))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if args.child:
        child_main(args)
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        measure(kind, args)


if __name__ == "__main__":
    main()
