"""A minimal pre-forking WSGI server for bench/verify.py: N processes each serving the Django
app with wsgiref on one shared port (SO_REUSEPORT lets the kernel spread connections), so the
page is measured without one process's GIL as the bottleneck. Not for production.

    python bench/_prefork.py HOST PORT WORKERS
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class ReusePortServer(WSGIServer):
    def server_bind(self) -> None:
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        super().server_bind()


def serve(host: str, port: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdmkesos.settings")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    server = make_server(host, port, app, server_class=ReusePortServer,
                         handler_class=QuietHandler)
    server.serve_forever()


def main() -> None:
    host, port, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            serve(host, port)
            os._exit(0)
        children.append(pid)

    def stop(signum: int, frame: object) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in children:
        os.wait()


if __name__ == "__main__":
    main()
