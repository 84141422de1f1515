"""The web app served for tests exactly as ``newsdesk serve`` configures uvicorn (header deadline, connection caps,
no proxy headers), in a thread on a free 127.0.0.1 port; and plain raw-socket requests to it from any loopback
address (127.0.0.2, 127.0.0.3… stand for other machines)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import sqlalchemy as sa
import uvicorn

from newsdesk.config import Settings
from newsdesk.serve import server_config
from newsdesk.web.app import create_app

WAIT = 20.0  # seconds any expected event may take on a busy 2-core machine (a bound, not a measurement)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served_app(settings: Settings, engine: sa.Engine, open_files: int = 20_000) -> Iterator[int]:
    """The app over ``engine`` served as ``serve`` does; yields the port."""
    port = free_port()
    config = server_config(create_app(settings, engine), settings, host="127.0.0.1", port=port, open_files=open_files)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=WAIT)


def raw_request(port: int, head: str, body: bytes = b"", source: str = "127.0.0.1") -> tuple[int, str, bytes]:
    """Send ``head`` (request line and headers, without the blank line; HTTP/1.0) and ``body`` from ``source``;
    returns (status, response headers as text, body)."""
    with socket.socket() as sock:
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", port))
        sock.settimeout(WAIT)
        sock.sendall(head.encode() + f"\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head_bytes, _, content = reply.partition(b"\r\n\r\n")
    return int(head_bytes.split(b" ", 2)[1]), head_bytes.decode("latin-1"), content
