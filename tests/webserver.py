"""A real uvicorn server on 127.0.0.1, on a port the system picks, for tests that speak HTTP to it."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import pytest


@contextmanager
def running(settings: object = None) -> Iterator[str]:
    """Serve the app in a thread; yield its base URL; stop it afterwards."""
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    import uvicorn

    from policyrules.interfaces.http import Settings, create_app

    app = create_app(settings if isinstance(settings, Settings) else Settings())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the port is ours before the server starts: no race for it
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
