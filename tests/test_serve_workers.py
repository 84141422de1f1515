"""``newsdesk serve --workers N`` on a real loopback port: N child processes share the one socket, a child that dies
is replaced, SIGTERM to the parent stops them all; ``web_workers`` = 0 means one process per core."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from support.served_app import WAIT, free_port, raw_request

from newsdesk.serve_workers import QUICK_EXIT_SECONDS, listening_socket, worker_count

ROOT = Path(__file__).resolve().parents[1]


def children_of(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def wait_until(check: object, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def answers(port: int) -> bool:
    with contextlib.suppress(OSError):
        return raw_request(port, "GET /offline HTTP/1.0\r\nHost: 127.0.0.1")[0] == 200
    return False


def test_worker_count_defaults_to_the_cores() -> None:
    assert worker_count(0) == len(os.sched_getaffinity(0))
    assert worker_count(3) == 3


def test_the_shared_socket_says_tcp_so_asyncio_turns_nagle_off() -> None:
    """The finding: with ``socket.create_server`` (protocol 0) asyncio left Nagle on for accepted connections and
    every small page waited for the client's delayed ACK: 64 connections topped out near 1,400 req/s at p50 44 ms."""
    sock = listening_socket("127.0.0.1", 0, 8)
    try:
        client = socket.create_connection(sock.getsockname())
        accepted, _ = sock.accept()
        assert accepted.proto == socket.IPPROTO_TCP  # what asyncio's _set_nodelay checks
        accepted.close()
        client.close()
    finally:
        sock.close()


def test_serve_with_two_workers(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "NEWSDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'nd.sqlite3'}",
           "NEWSDESK_DATA_DIR": str(tmp_path / "data"), "NEWSDESK_CONFIG": str(tmp_path / "absent.toml"),
           "PYTHONPATH": str(ROOT)}
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen([sys.executable, "-m", "newsdesk.cli", "serve", "--workers", "2", "--no-scheduler",
                                   "--port", str(port)], env=env, stderr=log, stdout=log)
    try:
        wait_until(lambda: answers(port) or server.poll() is not None, "newsdesk serve did not start")
        assert server.poll() is None, (tmp_path / "serve.log").read_text()
        first = children_of(server.pid)
        assert len(first) == 2
        time.sleep(QUICK_EXIT_SECONDS)  # a worker dying at once is taken for one that cannot start
        os.kill(first[0], signal.SIGKILL)
        wait_until(lambda: len(children_of(server.pid)) == 2 and first[0] not in children_of(server.pid),
                   "the killed worker was not replaced")
        assert answers(port)
        kept = children_of(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=WAIT)
    assert server.returncode == 0
    assert not [pid for pid in kept if Path(f"/proc/{pid}").exists()]
