"""Certificate verification: verifier throughput on one core, and p95 latency of the public
verification page under concurrent clients.

    python bench/verify.py                   # 5 s of verifier, 4,000 page requests, 20 clients
    python bench/verify.py --seconds 10 --requests 8000 --clients 20 --certificates 500 \
        --workers 2 --threads 4

1. Verifier: ``credentials.verify.verify_credential`` on a certificate credential issued by a
   did:web issuer with two status entries (revocation and suspension), the DID document and both
   status list credentials (131,072 entries each, signed) already fetched, as a verifier service
   holds them in memory. Each verification checks the credential's proof (JCS + Ed25519), the
   issuer/controller binding, the proof purpose, the validity dates and both status bits; the
   status lists' own proofs are verified once per distinct list (``StatusListCache``). One
   process, one thread: one core. Target >= 2,000 verifications/s.
2. Page: a fresh SQLite database in a temporary directory (migrate, a signing key, N
   certificates issued through the real action) served as in production: gunicorn
   (``sdmkesos.wsgi``) with ``--workers`` processes of ``--threads`` threads (gthread, HTTP
   keep-alive), persistent database connections, the rate limiter on (with a limit no client
   reaches, so its cost is counted). The load generator is one asyncio process holding
   ``--clients`` persistent HTTP/1.1 connections, each sending its next request as soon as the
   previous answer arrived (closed loop, no think time), for random certificates. Every answer
   must be a 200 page saying ``data-state="valid"``. Prints p50/p95/p99 latency, throughput, the
   CPU time used by the load generator and by the server processes, and the load average.
   Target p95 < 50 ms. ``--serve`` adds a run against ``sdmkesos serve`` (Django's threaded
   development-style server, one connection per request) for comparison.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def bench_verifier(seconds: float) -> dict[str, float]:
    from sdmkesos.credentials import eddsa_jcs, statuslist
    from sdmkesos.credentials.dids import PublishedKey, Resolver, build_did_web_document
    from sdmkesos.credentials.keys import KeyPair
    from sdmkesos.credentials.verify import StatusListCache, verify_credential

    key = KeyPair.generate()
    did = "did:web:sertifikat.sdmkesos.example"
    vm = f"{did}#key-1"
    base = "https://sertifikat.sdmkesos.example/status/1"
    rng = random.Random(1)
    lists = {}
    for purpose in ("revocation", "suspension"):
        bits = statuslist.Bitstring.with_bits(rng.sample(range(131_072), 300))
        lists[f"{base}/{purpose}"] = eddsa_jcs.sign(statuslist.list_credential(
            list_url=f"{base}/{purpose}", issuer=did, purpose=purpose, bits=bits,
            valid_from="2026-01-01T00:00:00Z"), key, verification_method=vm)
    resolver = Resolver()
    resolver.add(build_did_web_document(did, [PublishedKey("key-1", key.public_multibase)]))
    index = 4242
    credential = eddsa_jcs.sign({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://sertifikat.sdmkesos.example/verify/abcdefghjkmn",
        "type": ["VerifiableCredential", "SertifikatKompetensi"],
        "name": "Sertifikat Kompetensi Pekerja Sosial Generalis",
        "issuer": {"id": did, "name": "Lembaga Sertifikasi Profesi Kementerian Sosial"},
        "validFrom": "2026-01-05T00:00:00+07:00", "validUntil": "2029-01-04T23:59:59+07:00",
        "credentialSubject": {"type": "PemegangSertifikat", "name": "Siti Aminah",
                              "certificate": {"number": "LSP-KS/PSG/2026/000123",
                                              "scheme": {"code": "PSG",
                                                         "name": "Pekerja Sosial Generalis"},
                                              "units": [{"code": f"PSG.0{i}", "title": "Unit"}
                                                        for i in range(1, 6)],
                                              "result": "Kompeten"}},
        "credentialStatus": [statuslist.entry(f"{base}/{p}", index, p)
                             for p in ("revocation", "suspension")],
    }, key, verification_method=vm, created="2026-01-05T01:00:00Z")
    cache = StatusListCache()
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    assert verify_credential(credential, resolver=resolver, fetch_status=lists.__getitem__,
                             now=now, status_cache=cache).verified
    count = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for _ in range(100):
            verify_credential(credential, resolver=resolver, fetch_status=lists.__getitem__,
                              now=now, status_cache=cache)
        count += 100
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    # the cold path: status lists verified again on every call (no cache)
    cold = 0
    cstart = time.perf_counter()
    while time.perf_counter() < cstart + min(seconds, 2.0):
        verify_credential(credential, resolver=resolver, fetch_status=lists.__getitem__, now=now)
        cold += 1
    cold_elapsed = time.perf_counter() - cstart
    return {"verifications_per_s": count / elapsed, "us_per_verification":
            elapsed / count * 1e6, "per_cpu_second": count / cpu,
            "uncached_lists_per_s": cold / cold_elapsed}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(var: Path, certificates: int, env: dict[str, str]) -> list[str]:
    code = f"""
import datetime as dt, django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from sdmkesos.certification import actions
from sdmkesos.certification.models import Scheme
from sdmkesos.people.models import Person
actions.do_init_key(actor=None, channel="system")
scheme = Scheme.objects.get(code="PSG")
ids = []
for i in range({certificates}):
    p = Person.objects.create(nik=f"3507{{i:012d}}", name=f"Pekerja Bench {{i}}", sex="P",
                              birth_date=dt.date(1985, 3, 14))
    c = actions._issue(actor=None, channel="system", person=p, scheme=scheme,
                       application=None, valid_from=dt.date.today())
    ids.append(c.public_id)
print(json.dumps(ids))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True, cwd=REPO)
    import json

    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(c) for c in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


async def _load(host: str, port: int, ids: list[str], clients: int,
                requests: int) -> tuple[list[float], int, int]:
    """``clients`` keep-alive connections in one event loop; (latencies ms, errors,
    reconnections)."""
    per_client = requests // clients
    latencies: list[float] = []
    errors = 0
    reconnects = 0

    async def one(seed: int) -> None:
        nonlocal errors, reconnects
        rng = random.Random(seed)
        reader, writer = await asyncio.open_connection(host, port)
        for _ in range(per_client):
            request = (f"GET /verify/{rng.choice(ids)} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                       "\r\n").encode()
            t0 = time.perf_counter()
            try:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                close = False
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                    elif name.strip().lower() == b"connection" and b"close" in value.lower():
                        close = True
                body = await reader.readexactly(length)
                latencies.append((time.perf_counter() - t0) * 1000)
                if not head.startswith(b"HTTP/1.1 200") or b'data-state="valid"' not in body:
                    errors += 1
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                close = True
            if close:
                writer.close()
                reconnects += 1
                reader, writer = await asyncio.open_connection(host, port)
        writer.close()

    await asyncio.gather(*(one(i) for i in range(clients)))
    return latencies, errors, reconnects


def bench_page(requests: int, clients: int, certificates: int, *, server: str = "gunicorn",
               workers: int = 2, threads: int = 1) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="sdmkesos-bench-verify-") as tmp:
        var = Path(tmp)
        port = _free_port()
        env = {**os.environ, "SDMKESOS_VAR_DIR": str(var),
               "DATABASE_URL": f"sqlite:///{var / 'bench.sqlite3'}",
               "DJANGO_SETTINGS_MODULE": "sdmkesos.settings",
               "SDMKESOS_PUBLIC_URL": f"http://127.0.0.1:{port}",
               "SDMKESOS_VERIFY_RATE": "1000000000", "PYTHONPATH": str(REPO / "src")}
        ids = _prepare(var, certificates, env)
        bin_dir = Path(sys.executable).parent
        if server == "gunicorn":
            env["SQLITE_CONN_MAX_AGE"] = "600"
            command = [str(bin_dir / "gunicorn"), "sdmkesos.wsgi:application",
                       "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                       "--worker-class", "gthread", "--threads", str(threads),
                       "--keep-alive", "30", "--log-level", "warning"]
        else:
            command = [str(bin_dir / "sdmkesos"), "serve", "--addr", f"127.0.0.1:{port}",
                       "--no-worker"]
        server_process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"{base}/verify/{ids[0]}", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.3)
            for public_id in ids[:50] * 2:  # warm up every worker a little
                urllib.request.urlopen(f"{base}/verify/{public_id}", timeout=10).read()
            server_cpu = _cpu_seconds(server_process.pid)
            client_cpu = time.process_time()
            start = time.perf_counter()
            latencies, errors, reconnects = asyncio.run(
                _load("127.0.0.1", port, ids, clients, requests))
            wall = time.perf_counter() - start
            client_cpu = time.process_time() - client_cpu
            server_cpu = _cpu_seconds(server_process.pid) - server_cpu
        finally:
            server_process.terminate()
            server_process.wait(timeout=10)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "reconnects": reconnects,
            "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98],
            "throughput_rps": len(latencies) / wall, "client_cpu_s": client_cpu,
            "server_cpu_s": server_cpu, "wall_s": wall,
            "server_cpu_ms_per_request": server_cpu / max(len(latencies), 1) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--skip-page", action="store_true")
    parser.add_argument("--skip-verifier", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--serve", action="store_true",
                        help="also measure `sdmkesos serve` (one threaded process)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (other work skews wall "
          "clock figures)")
    if not args.skip_verifier:
        v = bench_verifier(args.seconds)
        print(f"verifier (1 core): {v['verifications_per_s']:,.0f} verifications/s "
              f"wall clock, {v['per_cpu_second']:,.0f} per CPU-second "
              f"({v['us_per_verification']:.0f} µs each; signature + issuer + purpose + dates "
              f"+ 2 status bits); without the status-list cache: "
              f"{v['uncached_lists_per_s']:,.0f}/s   [target >= 2,000/s]")
    if not args.skip_page:
        runs = [(f"gunicorn {args.workers} workers x {args.threads} threads (gthread, "
                 "keep-alive)", "gunicorn")]
        if args.serve:
            runs.append(("sdmkesos serve (threaded, 1 process, connection per request)",
                         "serve"))
        for label, server in runs:
            p = bench_page(args.requests, args.clients, args.certificates, server=server,
                           workers=args.workers, threads=args.threads)
            print(f"/verify/<id> page, {label}, {args.clients} concurrent clients, "
                  f"{p['requests']} requests ({p['errors']} errors, {p['reconnects']} "
                  f"reconnections): p50 {p['p50_ms']:.1f} ms, p95 {p['p95_ms']:.1f} ms, "
                  f"p99 {p['p99_ms']:.1f} ms, {p['throughput_rps']:.0f} req/s   "
                  "[target p95 < 50 ms]")
            print(f"  CPU over {p['wall_s']:.1f} s: server {p['server_cpu_s']:.1f} s "
                  f"({p['server_cpu_ms_per_request']:.2f} ms/request), load generator "
                  f"{p['client_cpu_s']:.1f} s; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
