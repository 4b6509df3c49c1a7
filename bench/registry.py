"""Registry latency at scale: list, search, region filter and dashboard queries over N people.

    python bench/registry.py                          # 1,000,000 people, SQLite and PostgreSQL
    python bench/registry.py --persons 100000 --db sqlite
    python bench/registry.py --db postgres --explain  # also print EXPLAIN ANALYZE of each query

Seeds a dedicated benchmark database with the demo generator (``sdmkesos.people.demo``): SQLite at
``var/bench/registry.sqlite3``, PostgreSQL database ``sdmkesos_bench`` at
``postgres://postgres@127.0.0.1:5432`` (``--pg-url`` to change). A database that already holds the
same number of people from the same seed is reused (``--reseed`` rebuilds it). Loading drops the
secondary indexes and recreates them afterwards, then runs ANALYZE (PostgreSQL: VACUUM ANALYZE,
the state autovacuum reaches on its own).

Each measurement runs ``--reps`` times (default 50, after 3 warm-up runs) with varied parameters and
reports p50/p95 wall-clock latency in milliseconds, including the ORM. The queries are the web UI's:
``people.views.registry_queryset`` (restricted to the user, filtered, ordered by name, id) for the
first page of 50 and ``people.views.capped_count`` (``qs[:10001].count()``), and
``dashboards.queries.workforce_summary``. The target is PostgreSQL p95 < 100 ms. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
SQLITE_PATH = REPO / "var" / "bench" / "registry.sqlite3"
PG_URL = "postgres://postgres@127.0.0.1:5432/sdmkesos_bench"
TARGET_MS = 100.0
PAGE = 50
COUNT_CAP = 10_000
WARMUP = 3
TABLES = ["people_person", "people_educationrecord", "people_employmentrecord"]

# Varied parameters: name fragments from common to rarer, district operators' regencies, regions.
FRAGMENTS = ["sari", "wati", "putra", "dewi", "budi", "agus", "rahma", "yanti", "eko", "hadi"]
DISTRICTS = ["35.07", "32.04", "33.74", "12.71", "73.71", "35.78", "31.74", "16.71", "18.71",
             "64.72"]
FILTER_REGIONS = ["35.07", "32.04", "33.74", "12.71", "73.71", "35.78", "31.74", "16.71",
                  "18.71", "64.72"]

LABELS = {
    "list_national_page": "list, national admin: page of 50",
    "list_national_count": "list, national admin: count (cap 10,001)",
    "list_district_page": "list, district operator: page of 50",
    "list_district_count": "list, district operator: count (cap 10,001)",
    "search_name_page": "search name (q=fragment), national: page",
    "search_name_count": "search name (q=fragment), national: count",
    "filter_region_page": "filter region (kab/kota), national: page",
    "filter_region_count": "filter region (kab/kota), national: count",
    "dashboard_national": "dashboard workforce_summary, national",
    "dashboard_region_35": "dashboard workforce_summary, region 35",
}


def log(message: str) -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------


def pg_admin_url(url: str) -> tuple[str, str]:
    """(URL of the maintenance database "postgres", name of the benchmark database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "sdmkesos_bench"
    return urlunsplit(parts._replace(path="/postgres")), name


def pg_database(url: str, *, drop: bool) -> None:
    import psycopg
    from psycopg import sql

    admin, name = pg_admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_url(kind: str, args: argparse.Namespace) -> str:
    if kind == "sqlite":
        return f"sqlite:///{args.sqlite_path}"
    return str(args.pg_url)


@contextmanager
def without_secondary_indexes(connection: Any) -> Iterator[None]:
    """Drop the people tables' secondary indexes for a bulk load, recreate them afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)", [TABLES])
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({', '.join(['%s'] * len(TABLES))})", TABLES)
        indexes = cursor.fetchall()
        targets = []  # per-column statistics targets set on an index (the trigram index's)
        for name, _sql in indexes:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT attnum, attstattarget FROM pg_attribute WHERE attrelid = "
                               "%s::regclass AND attstattarget > 0", [name])
                targets += [f'ALTER INDEX "{name}" ALTER COLUMN {n} SET STATISTICS {t}'
                            for n, t in cursor.fetchall()]
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        started = time.monotonic()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, ddl in indexes:
                cursor.execute(ddl)
            for statement in targets:
                cursor.execute(statement)
        log(f"  {len(indexes)} indexes rebuilt in {time.monotonic() - started:.1f} s")


@contextmanager
def without_fk_triggers(connection: Any) -> Iterator[None]:
    """PostgreSQL superuser: skip the per-row foreign key triggers during the load (the generator
    only writes existing keys). A no-op elsewhere."""
    active = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            if cursor.fetchone()[0] == "on":
                cursor.execute("SET session_replication_role = replica")
                active = True
    try:
        yield
    finally:
        if active:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")


# --------------------------------------------------------------------------------------------
# One database (runs in its own process: Django's settings are per process)
# --------------------------------------------------------------------------------------------


def prepare(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    """Create or reuse the benchmark database; returns facts about the load."""
    url = database_url(kind, args)
    if kind == "postgres":
        pg_database(url, drop=args.reseed)
    elif args.reseed:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.sqlite_path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdmkesos.settings")
    Path(args.sqlite_path).parent.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sdmkesos.core import audit
    from sdmkesos.core.choices import Channel
    from sdmkesos.core.models import AuditEvent, Organisation
    from sdmkesos.core.reference import setup_reference_data
    from sdmkesos.people.demo import catalogue_from_database, generate, write_people
    from sdmkesos.people.models import Person

    facts: dict[str, Any] = {"db": connection.vendor, "persons": args.persons, "seed": args.seed}
    call_command("migrate", interactive=False, verbosity=0)
    if not Organisation.objects.filter(code="DINSOS-35.07").exists():
        log(f"[{kind}] loading reference data...")
        setup_reference_data()
    wanted = {"persons": args.persons, "seed": args.seed}
    last = AuditEvent.objects.filter(action="bench.seed").order_by("-id").first()
    have = Person.objects.count()
    if last is not None and last.changes.get("load", [None, None])[1] == wanted and (
            have == args.persons):
        log(f"[{kind}] reusing {have:,} people (seed {args.seed}); --reseed to rebuild")
        facts["seed_seconds"] = None
    else:
        if have:
            raise SystemExit(f"[{kind}] the benchmark database holds {have:,} other people; "
                             "run with --reseed to rebuild it")
        log(f"[{kind}] generating and loading {args.persons:,} people...")
        started = time.monotonic()
        catalogue = catalogue_from_database()
        step = max(args.persons // 10, 1)

        def progress(n: int) -> None:
            if n % step < 5000 or n == args.persons:
                log(f"  {n:,} ({time.monotonic() - started:.0f} s)")

        with without_secondary_indexes(connection), without_fk_triggers(connection):
            counts = write_people(generate(catalogue, args.persons, args.seed),
                                  batch=5000, progress=progress)
        audit.record(actor=None, channel=Channel.SYSTEM, action="bench.seed",
                     object_type="people.person", object_id="bench",
                     changes={"load": [None, wanted],
                              "counts": [None, {"education": counts.education,
                                                "employment": counts.employment}]},
                     note="bench/registry.py")
        analyse(connection)
        facts["seed_seconds"] = round(time.monotonic() - started, 1)
        log(f"[{kind}] loaded {counts.persons:,} people, {counts.education:,} education and "
            f"{counts.employment:,} employment records in {facts['seed_seconds']} s")
    facts["size_mb"] = database_size_mb(connection)
    return facts


def analyse(connection: Any) -> None:
    started = time.monotonic()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    log(f"  ANALYZE in {time.monotonic() - started:.1f} s")


def database_size_mb(connection: Any) -> float:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), "
                           "pragma_page_size()")
            size = cursor.fetchone()[0]
    return round(size / 1e6, 1)


def bench_users() -> dict[str, Any]:
    """The demo users plus one district operator per regency in DISTRICTS."""
    from sdmkesos.core.models import Organisation, Region, User
    from sdmkesos.people.demo import ensure_demo_users

    users: dict[str, Any] = dict(ensure_demo_users())
    for code in DISTRICTS:
        user, _created = User.objects.get_or_create(
            username=f"bench-kab-{code}",
            defaults={"role": "district_operator",
                      "organisation": Organisation.objects.filter(code=f"DINSOS-{code}").first()})
        if user.has_usable_password():
            user.set_unusable_password()
            user.save()
        user.scope_regions.set(Region.objects.filter(code=code))
        users[user.username] = user
    return users


def registry_queryset(user: Any, params: dict[str, str]) -> Any:
    """The list page's queryset, from the web UI when it offers it."""
    try:
        from sdmkesos.people.views import registry_queryset as ui_queryset
    except ImportError:
        pass
    else:
        return ui_queryset(user, params)
    from sdmkesos.people.filters import PersonFilter
    from sdmkesos.people.models import Person

    qs = PersonFilter.from_mapping(params).apply(Person.objects.restrict(user, "view"))
    return qs.select_related("organisation", "category").order_by("name", "id")


def capped_count(qs: Any) -> int:
    """The list page's capped count, from the web UI when it offers it."""
    try:
        from sdmkesos.people.views import capped_count as ui_count
    except ImportError:
        return int(qs[: COUNT_CAP + 1].count())
    return ui_count(qs)


def fresh(user: Any) -> Any:
    """The user as a request sees it: loaded anew, scope not yet computed."""
    type(user).objects.get(pk=user.pk)  # the session middleware's query
    if hasattr(user, "_sdmkesos_scope"):
        del user._sdmkesos_scope
    return user


def scenarios(users: dict[str, Any]) -> dict[str, Callable[[int], Any]]:
    from sdmkesos.dashboards.queries import workforce_summary

    national = users["nasional"]
    districts = [users[f"bench-kab-{code}"] for code in DISTRICTS]

    def page(user: Any, params: dict[str, str]) -> Any:
        """The rows of the first page as the web UI fetches them (``page_rows`` picks the plan
        for name searches from the capped count, which is measured separately)."""
        from sdmkesos.people.views import is_name_search, page_rows

        qs = registry_queryset(fresh(user), params)
        n = capped_count(qs) if is_name_search(params) else 0
        return page_rows(qs, 0, PAGE + 1, n, is_name_search(params))

    def count(user: Any, params: dict[str, str]) -> Any:
        return capped_count(registry_queryset(fresh(user), params))

    def frag(i: int) -> dict[str, str]:
        return {"q": FRAGMENTS[i % len(FRAGMENTS)]}

    def region(i: int) -> dict[str, str]:
        return {"region": FILTER_REGIONS[i % len(FILTER_REGIONS)]}

    return {
        "list_national_page": lambda i: page(national, {}),
        "list_national_count": lambda i: count(national, {}),
        "list_district_page": lambda i: page(districts[i % len(districts)], {}),
        "list_district_count": lambda i: count(districts[i % len(districts)], {}),
        "search_name_page": lambda i: page(national, frag(i)),
        "search_name_count": lambda i: count(national, frag(i)),
        "filter_region_page": lambda i: page(national, region(i)),
        "filter_region_count": lambda i: count(national, region(i)),
        "dashboard_national": lambda i: workforce_summary(fresh(national)),
        "dashboard_region_35": lambda i: workforce_summary(fresh(national), "35"),
    }


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(fn: Callable[[int], Any], reps: int) -> dict[str, float]:
    for i in range(WARMUP):
        fn(i)
    samples = []
    for i in range(reps):
        started = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50": round(statistics.median(samples), 2), "p95": round(percentile(samples, 95), 2),
            "max": round(max(samples), 2), "n": reps}


def explain(name: str, fn: Callable[[int], Any]) -> None:
    """EXPLAIN ANALYZE of every SQL statement one run of ``fn`` sends."""
    from django.db import connection

    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        fn(0)
    prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql"
              else "EXPLAIN QUERY PLAN ")
    log(f"\n=== {name}: {LABELS[name]}")
    for sql, params in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        log(f"--- {sql[:400]}{'...' if len(sql) > 400 else ''}\n    params={params}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            for row in cursor.fetchall():
                log("    " + " | ".join(str(c) for c in row))


def run_one(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    facts = prepare(kind, args)
    users = bench_users()
    results: dict[str, dict[str, float]] = {}
    log(f"[{kind}] measuring ({args.reps} repetitions each)...")
    for name, fn in scenarios(users).items():
        if args.only and not any(o in name for o in args.only):
            continue
        results[name] = measure(fn, args.reps)
        log(f"  {LABELS[name]:<48} p50 {results[name]['p50']:>8.1f} ms   "
            f"p95 {results[name]['p95']:>8.1f} ms")
        if args.explain:
            explain(name, fn)
    return {**facts, "results": results}


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def print_table(runs: list[dict[str, Any]]) -> None:
    names = [n for n in LABELS if any(n in r.get("results", {}) for r in runs)]
    titles = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    persons = max((r.get("persons", 0) for r in runs), default=0)
    print()
    print(f"Registry benchmark: {persons:,} people, p50/p95 latency in ms "
          f"(wall clock incl. ORM), target PostgreSQL p95 < {TARGET_MS:.0f} ms")
    for r in runs:
        seeded = (f"seeded in {r['seed_seconds']} s" if r.get("seed_seconds") is not None
                  else "reused")
        print(f"  {titles.get(r['db'], r['db'])}: {r.get('size_mb', '?')} MB, {seeded}")
    head1 = " " * 48
    head2 = f"{'measurement':<48}"
    for r in runs:
        head1 += f" | {titles.get(r['db'], r['db']):^19}"
        head2 += f" | {'p50':>9} {'p95':>9}"
    head1 += " |"
    head2 += " | target"
    print(head1)
    print(head2)
    print("-" * len(head2))
    for name in names:
        line = f"{LABELS[name]:<48}"
        verdict = ""
        for r in runs:
            res = r.get("results", {}).get(name)
            if res is None:
                line += f" | {'-':>19}"
                continue
            line += f" | {res['p50']:>9.1f} {res['p95']:>9.1f}"
            if r["db"] == "postgresql":
                verdict = "ok" if res["p95"] < TARGET_MS else "MISSED"
        print(line + f" | {verdict}")
    print()


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--reseed", action="store_true", help="rebuild the benchmark database")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plans (EXPLAIN ANALYZE on PostgreSQL)")
    parser.add_argument("--only", action="append", default=[],
                        help="only measurements whose name contains this (repeatable)")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--sqlite-path", default=str(SQLITE_PATH))
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if args.db != "both":
        run = run_one(args.db, args)
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(run))
        else:
            print_table([run])
        return
    runs = []
    forwarded = [a for a in (argv if argv is not None else sys.argv[1:])]
    for kind in ("sqlite", "postgres"):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            out = Path(tmp.name)
        cmd = [sys.executable, __file__, *forwarded, "--db", kind, "--json-out", str(out)]
        code = subprocess.call(cmd)
        if code == 0 and out.stat().st_size:
            runs.append(json.loads(out.read_text()))
        else:
            log(f"[{kind}] failed (exit status {code}); skipped")
        out.unlink(missing_ok=True)
    print_table(runs)


if __name__ == "__main__":
    main()
