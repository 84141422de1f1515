"""Holding a lease while working: wait for it, renew it from a heartbeat thread, fence each commit, hand it back.

A :class:`Lease` names work that must run in one process at a time (story assignment: ``understand``).
``held()`` waits until the lease is free or its holder's lease ran out (a killed holder is taken over after
``ttl`` seconds, at once when it was a process of this host that no longer exists), then renews it every third of
``ttl`` from a :class:`Heartbeat` thread until the block ends. A holder that could not renew in time (its database
was away longer than ``ttl``) may have been taken over; ``fence(conn)`` inside each write transaction renews the
lease in that same transaction and raises :class:`LeaseLost` when it is gone, so a holder that lost its lease
never commits after the new holder started.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from newsdesk.store import leases as lease_store
from newsdesk.store.db import Connection, DatabaseError, Engine

log = logging.getLogger(__name__)


class LeaseLost(RuntimeError):
    """Another process took the lease over (this one stopped renewing it for longer than its length)."""


def holder_id() -> str:
    """A holder name unique to one lease object in one process: host, process id, random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def known_dead(holder: str | None) -> bool:
    """True when ``holder`` names a process of this host that no longer exists (killed: its lease need not run out).
    A holder on another host, or a pid in use (perhaps reused), counts as alive."""
    host, _, rest = (holder or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Heartbeat:
    """Call ``beat()`` every ``interval`` seconds in a daemon thread until ``stop()``; a failing beat is logged and
    the next one tried (a database restart must not end the heartbeat)."""

    def __init__(self, beat: Callable[[], object], interval: float, name: str) -> None:
        self._beat, self.interval = beat, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=3 * self.interval)  # a beat stuck on an unreachable database is let go

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._beat()
            except Exception as exc:  # the database may be restarting: try again at the next beat
                log.warning("%s: heartbeat failed (%s); trying again in %.0f s", self._thread.name,
                            type(exc).__name__, self.interval)


class Lease:
    """``with lease.held() as generation: ...`` runs the block as the lease's only holder."""

    def __init__(self, engine: Engine, name: str, ttl: float, poll: float = 1.0) -> None:
        self.engine, self.name, self.ttl = engine, name, max(1.0, float(ttl))
        self.poll = min(poll, self.ttl / 4)
        self.holder = holder_id()

    def try_acquire(self) -> int | None:
        """Take the lease now if it is free: its generation, or None."""
        with self.engine.begin() as conn:
            return lease_store.try_acquire(conn, self.name, self.holder, self.ttl, datetime.now(UTC))

    def acquire(self) -> int:
        """Wait until the lease is ours (a dead holder's lease runs out within ``ttl``); returns its generation."""
        waiting = False
        while (generation := self.try_acquire()) is None:
            with self.engine.connect() as conn:
                row = lease_store.read(conn, self.name)
            dead = row.holder if row is not None and row.holder and known_dead(row.holder) else None
            if row is not None and dead and (generation := self._take_over(dead)):
                log.info("took the %s lease over from %s (that process is gone)", self.name, row.holder)
                return generation
            if not waiting:
                log.info("waiting for the %s lease (held by %s until %s)", self.name, row and row.holder,
                         row and row.expires_at)
                waiting = True
            time.sleep(self.poll)
        return generation

    def _take_over(self, dead_holder: str) -> int | None:
        with self.engine.begin() as conn:
            return lease_store.take_over(conn, self.name, self.holder, dead_holder, self.ttl, datetime.now(UTC))

    def renew(self) -> None:
        with self.engine.begin() as conn:
            if not lease_store.renew(conn, self.name, self.holder, self.ttl, datetime.now(UTC)):
                log.warning("the %s lease was taken over by another process", self.name)

    def fence(self, conn: Connection) -> None:
        """Inside a write transaction: renew the lease in it, or raise LeaseLost if another process has it now."""
        if not lease_store.renew(conn, self.name, self.holder, self.ttl, datetime.now(UTC)):
            raise LeaseLost(f"the {self.name} lease was taken over by another process")

    def release(self) -> None:
        with self.engine.begin() as conn:
            lease_store.release(conn, self.name, self.holder, datetime.now(UTC))

    @contextmanager
    def held(self) -> Iterator[int]:
        """Hold the lease for the block, renewed by a heartbeat; handed back at the end (best effort: if the
        database is away, it simply runs out)."""
        generation = self.acquire()
        heartbeat = Heartbeat(self.renew, self.ttl / 3, f"lease-{self.name}").start()
        try:
            yield generation
        finally:
            heartbeat.stop()
            try:
                self.release()
            except DatabaseError as exc:
                log.warning("could not hand back the %s lease (%s); it runs out in %.0f s", self.name,
                            type(exc).__name__, self.ttl)
