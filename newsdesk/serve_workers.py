"""Serving the web app from several processes on one machine (``web_workers``, ``newsdesk serve --workers N``).

Python runs one thread of Python at a time, so one process uses one core however many requests wait. The parent
migrates the store, binds the listening socket once and forks ``N`` children; each child builds its own app (its own
connection pool, micro-cache and renderer) and accepts from the shared socket, so the kernel spreads connections
over them. Only the first child runs the embedded scheduler. A child that dies is started again; SIGTERM or SIGINT
to the parent stops every child and then the parent.

What each process keeps in memory is per process: the micro-cache, the sign-in failure counters (so ``N`` processes
allow up to ``N`` times ``web_login_failures`` before all refuse) and the connection caps.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Callable

from newsdesk.store.db import Engine

log = logging.getLogger(__name__)
QUICK_EXIT_SECONDS = 2.0  # a worker dying this soon after its start is not restarted (it would die again)


def worker_count(setting: int) -> int:
    """``web_workers`` as a number of processes: 0 means one per core this process may run on."""
    if setting > 0:
        return setting
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    """The one socket every child accepts from (inherited across fork). It is made with protocol IPPROTO_TCP, not
    0 as ``socket.create_server`` does: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on accepted sockets
    that say TCP, and without it a small response written in two parts waits ~40 ms for the client's delayed ACK."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def run_child(run: Callable[[socket.socket, bool], None], sock: socket.socket, engine: Engine,
              scheduler: bool) -> None:
    """In a forked child: drop the parent's pooled connections, then serve until told to stop."""
    engine.dispose(close=False)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 0
    try:
        run(sock, scheduler)
    except BaseException:
        log.exception("web worker %d failed", os.getpid())
        code = 1
    finally:
        os._exit(code)


def supervise(run: Callable[[socket.socket, bool], None], sock: socket.socket, engine: Engine,
              workers: int, scheduler: bool) -> None:
    """Fork ``workers`` children running ``run(sock, with_scheduler)``, restart those that die, stop on a signal."""
    children: dict[int, tuple[int, float]] = {}  # pid -> (worker index, when it started)
    stopping: list[int] = []

    def start(index: int) -> None:
        pid = os.fork()
        if pid == 0:
            run_child(run, sock, engine, scheduler and index == 0)
        children[pid] = (index, time.monotonic())

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)
        for pid in list(children):
            _signal(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for index in range(workers):
            start(index)
        log.warning("newsdesk web: %d worker processes", workers)
        while children:
            pid, status = os.wait()
            child = children.pop(pid, None)
            if child is None or stopping:
                continue
            index, started = child
            if time.monotonic() - started < QUICK_EXIT_SECONDS:  # it cannot start: do not fork for ever
                stop(signal.SIGTERM, None)
                raise SystemExit(f"web worker {pid} exited at start (status {status})")
            log.warning("web worker %d exited (status %d); starting another", pid, status)
            start(index)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)

