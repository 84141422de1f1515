"""Politeness and load limits: at most N requests in flight to one host, a minimum delay between their starts, and
at most M requests in flight in all (the :class:`AdmissionGate`, which a caller can also hold shut while it catches up).

A request takes its host's slot first and only then one of the M: a request waiting for a busy host holds nothing
the other hosts need, so one feed with a hundred new entries cannot starve every other publisher's fetches.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class AdmissionGate:
    """Admits at most ``limit`` requests at a time, first come first served, and none while ``hold()`` is true.

    A semaphore with a brake: an ingest pass holds the gate while too many fetched pages wait for extraction, so a
    pass over thousands of sources cannot pile pages up in memory; it calls :meth:`wake` when the backlog shrinks.
    """

    def __init__(self, limit: int, hold: Callable[[], bool] = lambda: False) -> None:
        self.limit = max(1, limit)
        self.hold = hold
        self.active = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    def _has_room(self) -> bool:
        return self.active < self.limit and not self.hold()

    async def acquire(self) -> None:
        if not self._waiters and self._has_room():
            self.active += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter  # resolved by wake() once there is room, with the admission already counted
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # admitted and cancelled at once: pass the place on
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def release(self) -> None:
        self.active -= 1
        self.wake()

    def wake(self) -> None:
        """Admit waiters, in order, while there is room."""
        while self._waiters and self._has_room():
            waiter = self._waiters.popleft()
            if not waiter.done():
                self.active += 1
                waiter.set_result(None)


class HostThrottle:
    """Limits concurrency and request rate per host, and concurrency overall; one lives inside one
    :class:`PoliteClient`."""

    def __init__(self, per_host_concurrency: int, per_host_delay: float, gate: AdmissionGate | None = None) -> None:
        self.per_host_concurrency = max(1, per_host_concurrency)
        self.per_host_delay = max(0.0, per_host_delay)
        self._gate = gate
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._start_locks: dict[str, asyncio.Lock] = {}
        self._last_start: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of the host's slots, then one of the overall ones, for the duration of a request, starting no
        sooner than the host's delay after its previous request started."""
        semaphore = self._slots.setdefault(host, asyncio.Semaphore(self.per_host_concurrency))
        async with semaphore:
            await self._take_turn(host)
            try:
                yield
            finally:
                if self._gate is not None:
                    self._gate.release()

    async def _take_turn(self, host: str) -> None:
        """Wait out the host's delay and for an overall slot (acquired here, released by :meth:`slot`); the start
        is recorded once both are had, so the delay runs from when the request really starts."""
        lock = self._start_locks.setdefault(host, asyncio.Lock())
        async with lock:
            last = self._last_start.get(host)
            if last is not None and self.per_host_delay:
                wait = last + self.per_host_delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            if self._gate is not None:
                await self._gate.acquire()
            self._last_start[host] = time.monotonic()
