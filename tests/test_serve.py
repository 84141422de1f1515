"""Serving limits of ``newsdesk serve`` on real loopback servers: trickling (slowloris) and silent connections are
closed after the header deadline while other readers are served, the connection caps hold (overall and per
client), the open-file limit is raised, and under a low open-file limit a flood of slow connections from one
client no longer takes the site offline."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.served_app import WAIT, free_port, raw_request, served_app

from newsdesk.config import Settings
from newsdesk.serve import accept_backlog, connection_cap

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def opened() -> Iterator[list[socket.socket]]:
    """Sockets a test opens with :func:`connect`, closed when it ends."""
    socks: list[socket.socket] = []
    yield socks
    for sock in socks:
        sock.close()


def connect(port: int, opened: list[socket.socket], source: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket()
    opened.append(sock)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server has closed ``sock`` (whatever it sent first, e.g. a 503, is read and dropped)."""
    sock.setblocking(False)
    try:
        while sock.recv(65536):
            pass
        return True
    except BlockingIOError:
        return False
    except ConnectionError:
        return True
    finally:
        sock.setblocking(True)


def get(port: int, path: str = "/offline", source: str = "127.0.0.1") -> tuple[int, bytes]:
    """One plain HTTP/1.0 GET from ``source``; (status, body)."""
    status, _, body = raw_request(port, f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1", source=source)
    return status, body


def trickle_until_closed(socks: list[socket.socket], during: float,
                         probe: Callable[[], object] | None = None) -> list[socket.socket]:
    """Send one byte of a never-ending header on each socket every 0.2 s for up to ``during`` seconds, stopping early
    when the server has closed them all; ``probe`` runs once after the first round. Returns those still open."""
    line = b"X-Slow: " + b"a" * 1000
    deadline, sent, open_socks = time.monotonic() + during, 0, list(socks)
    while open_socks and time.monotonic() < deadline:
        for sock in list(open_socks):
            with contextlib.suppress(OSError):
                sock.send(line[sent % len(line):][:1])
            if closed_by_server(sock):
                open_socks.remove(sock)
        if probe is not None and sent == 1:
            probe()
        sent += 1
        time.sleep(0.2)
    return open_socks


def test_trickling_and_silent_connections_are_closed_while_readers_are_served(
        settings: Settings, engine: sa.Engine, opened: list[socket.socket]) -> None:
    fast = settings.replace(web_header_timeout_seconds=1.0)
    with served_app(fast, engine) as port:
        trickling = [connect(port, opened) for _ in range(40)]
        for sock in trickling:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        silent = [connect(port, opened) for _ in range(10)]
        kept_alive = connect(port, opened)  # a whole request, then the next one's headers trickle
        kept_alive.sendall(b"GET /offline HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert kept_alive.recv(65536).startswith(b"HTTP/1.1 200")
        kept_alive.sendall(b"GET / HTTP/1.1\r\n")
        served: list[int] = []
        left = trickle_until_closed([*trickling, *silent, kept_alive], WAIT,
                                    probe=lambda: served.append(get(port)[0]))
        assert served == [200]
        assert not left, f"{len(left)} of 51 slow connections still open"
        assert get(port)[0] == 200


def test_bodies_trickled_a_byte_at_a_time_are_cut_off(settings: Settings, engine: sa.Engine,
                                                        opened: list[socket.socket]) -> None:
    """Found in review: complete headers for POST /login with Content-Length 60000, then a byte every 2 s, held
    200 connections for good (and with the cap, kept every other reader out)."""
    fast = settings.replace(web_header_timeout_seconds=1.0, web_body_timeout_seconds=1.5)
    with served_app(fast, engine) as port:
        slow = [connect(port, opened) for _ in range(20)]
        for sock in slow:
            sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
                         b"\r\nContent-Length: 60000\r\n\r\nusername=")
        served: list[int] = []
        left = trickle_until_closed(slow, WAIT, probe=lambda: served.append(get(port)[0]))
        assert served == [200]
        assert not left, f"{len(left)} of 20 slow bodies still open"


def test_connections_over_the_cap_are_answered_busy_and_closed(
        settings: Settings, engine: sa.Engine, opened: list[socket.socket]) -> None:
    capped = settings.replace(web_max_connections=10, web_header_timeout_seconds=60.0)
    with served_app(capped, engine) as port:
        held = [connect(port, opened) for _ in range(10)]
        extra = connect(port, opened)
        extra.settimeout(WAIT)
        assert extra.recv(65536).startswith(b"HTTP/1.1 503")
        assert extra.recv(65536) == b""
        assert not any(closed_by_server(sock) for sock in held)
        for sock in held[:5]:
            sock.close()
        deadline = time.monotonic() + WAIT
        while (status := get(port)[0]) == 503 and time.monotonic() < deadline:
            time.sleep(0.1)  # the server notices the closed sockets on its next loop turn
        assert status == 200


def test_one_client_cannot_take_every_connection(
        settings: Settings, engine: sa.Engine, opened: list[socket.socket]) -> None:
    capped = settings.replace(web_max_connections_per_client=5, web_header_timeout_seconds=60.0)
    with served_app(capped, engine) as port:
        held = [connect(port, opened) for _ in range(5)]
        sixth = connect(port, opened)
        sixth.settimeout(WAIT)
        assert sixth.recv(65536).startswith(b"HTTP/1.1 503")
        assert get(port, source="127.0.0.2")[0] == 200
        assert not any(closed_by_server(sock) for sock in held)


def test_the_cap_and_the_accept_bursts_stay_below_the_open_file_limit() -> None:
    assert connection_cap(1000, 1_048_576) == 1000 and accept_backlog(1_048_576, 1000) == 2048
    assert connection_cap(1000, 1024) == 768 and accept_backlog(1024, 768) == 56
    assert connection_cap(1000, 256) == 128 and accept_backlog(256, 128) == 24
    assert connection_cap(1000, 1) == 1 and accept_backlog(1, 1) == 8


def test_serve_raises_the_soft_open_file_limit_to_the_hard_one() -> None:
    code = ("import resource; from newsdesk.serve import raise_open_files_limit; raise_open_files_limit(); "
            "print(*resource.getrlimit(resource.RLIMIT_NOFILE))")
    out = subprocess.run(["bash", "-c", f"ulimit -Sn 256 && ulimit -Hn 4096 && {sys.executable} -c '{code}'"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    assert out == ["4096", "4096"]


@pytest.mark.slow
def test_a_slowloris_flood_under_a_low_file_limit_leaves_the_site_up(
        tmp_path: Path, opened: list[socket.socket]) -> None:
    """The finding: with ``ulimit -n 1024`` 1,100 trickling connections from one client took the site offline (Too
    many open files). Scaled down: ``ulimit -n 256`` and 300 connections, against ``newsdesk serve`` itself."""
    port = free_port()
    env = {**os.environ, "NEWSDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'nd.sqlite3'}",
           "NEWSDESK_DATA_DIR": str(tmp_path / "data"), "NEWSDESK_CONFIG": str(tmp_path / "absent.toml"),
           "NEWSDESK_WEB_HEADER_TIMEOUT_SECONDS": "3", "PYTHONPATH": str(ROOT)}
    command = f"ulimit -n 256 && exec {sys.executable} -m newsdesk.cli serve --no-scheduler --port {port}"
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        server = subprocess.Popen(["bash", "-c", command], env=env, stderr=errors)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            with contextlib.suppress(OSError):
                if get(port)[0] == 200:
                    break
            assert time.monotonic() < deadline and server.poll() is None, "newsdesk serve did not start"
            time.sleep(0.2)
        flood = []
        for _ in range(300):
            with contextlib.suppress(OSError):  # refused ones are closed by the server at once
                sock = connect(port, opened)
                sock.sendall(b"GET / HTTP/1.1\r\n")
                flood.append(sock)
        served: list[int] = []
        left = trickle_until_closed(flood, WAIT, probe=lambda: served.append(get(port, source="127.0.0.2")[0]))
        assert served == [200], "another reader was not served during the flood"
        assert not left, f"{len(left)} flood connections outlived the header deadline"
        assert get(port)[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=WAIT)
    assert "Too many open files" not in log.read_text(), log.read_text()[-2000:]
