"""`sdmkesos serve`: collect static files and serve the web app in the foreground.

Production-like on one machine: Django's threaded server without the autoreloader and without the
development static handler; static files come from WhiteNoise (as in production), collected into
``STATIC_ROOT`` first. DEBUG stays as configured (off unless the environment turns it on). For a
real deployment put the WSGI app behind a reverse proxy (docs/operations.md). When a task worker
command is installed, one worker process runs alongside the server and stops with it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandParser

DEFAULT_ADDR = "127.0.0.1:8000"
CHECK_PATH = "/static/vendor/bootstrap.min.css"
WORKER_COMMANDS = ("worker", "db_worker")
Write = Callable[[str], None]


def vendor_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "vendor"


def ensure_assets(write: Write) -> bool:
    """The vendored front-end files (Bootstrap, htmx); runs `make assets` when they are missing.
    Returns whether they are present."""
    if (vendor_dir() / "bootstrap.min.css").exists():
        return True
    repo = Path(settings.REPO_DIR)
    if (repo / "Makefile").exists() and shutil.which("make") and shutil.which("npm"):
        write("Memasang berkas front-end (make assets)... / Installing front-end files...")
        result = subprocess.run(["make", "-s", "assets"], cwd=repo, check=False,
                                capture_output=True, text=True)
        if result.returncode != 0:
            write(f"  make assets gagal / failed:\n{result.stderr.strip()[-2000:]}")
    present = (vendor_dir() / "bootstrap.min.css").exists()
    if not present:
        write(f"PERINGATAN / WARNING: {vendor_dir()} tidak ada / is missing; "
              "jalankan / run `make assets`.")
    return present


def collect_static(write: Write) -> None:
    """collectstatic into STATIC_ROOT, quietly."""
    call_command("collectstatic", interactive=False, verbosity=0)
    write(f"Berkas statis / static files: {settings.STATIC_ROOT}")


def split_addr(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    if not host:
        host = "127.0.0.1"
    return host, int(port or 8000)


def local_url(addr: str) -> str:
    host, port = split_addr(addr)
    if host in {"0.0.0.0", "", "::", "[::]"}:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def check_static_when_up(addr: str, write: Write, timeout: float = 30.0) -> threading.Thread:
    """In the background: once the server answers, GET a static file and report the result."""

    def run() -> None:
        host, port = split_addr(local_url(addr).removeprefix("http://"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((host, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            return
        url = local_url(addr) + CHECK_PATH
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            write(f"PERINGATAN / WARNING: {url}: {exc}")
            return
        if status == 200:
            write(f"Berkas statis OK / static files OK ({CHECK_PATH}: 200)")
        else:
            write(f"PERINGATAN / WARNING: {url} -> HTTP {status}")

    thread = threading.Thread(target=run, name="static-check", daemon=True)
    thread.start()
    return thread


def start_worker(write: Write) -> subprocess.Popen[bytes] | None:
    """A task worker next to the web server, when the project has one."""
    available = get_commands()
    name = next((c for c in WORKER_COMMANDS if c in available), None)
    if name is None:
        return None
    write(f"Menjalankan pekerja tugas / starting task worker (sdmkesos {name})")
    return subprocess.Popen([sys.executable, "-m", "sdmkesos.cli", name])


def serve(addr: str, write: Write, *, worker: bool = True) -> None:
    """Serve in the foreground until interrupted."""
    host, _port = split_addr(addr)
    allowed = set(settings.ALLOWED_HOSTS)
    if host not in {"0.0.0.0", "::", "[::]"} and host not in allowed and "*" not in allowed:
        write(f"PERINGATAN / WARNING: {host} tidak ada di / is not in ALLOWED_HOSTS "
              f"({', '.join(sorted(allowed))}); set ALLOWED_HOSTS.")
    process = start_worker(write) if worker else None
    check_static_when_up(addr, write)
    try:
        call_command("runserver", addr, use_reloader=False, use_static_handler=False,
                     insecure_serving=False, skip_checks=True)
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class Command(BaseCommand):
    help = ("Collect static files and serve the web app on ADDR (default 127.0.0.1:8000): "
            "no autoreloader, static files through WhiteNoise, DEBUG as configured.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=DEFAULT_ADDR, help="host:port (default %(default)s)")
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start a task worker next to the server")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="serve without collecting static files first")

    def handle(self, *args: Any, **options: Any) -> None:
        write = self.say
        ensure_assets(write)
        if not options["no_collectstatic"]:
            collect_static(write)
        write(f"Buka {local_url(options['addr'])} — Open {local_url(options['addr'])}")
        serve(options["addr"], write, worker=not options["no_worker"])

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
