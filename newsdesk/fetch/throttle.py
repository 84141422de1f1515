"""Per-host politeness: at most N requests in flight to one host, and a minimum delay between their starts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostThrottle:
    """Limits concurrency and request rate per host; one instance lives inside one :class:`PoliteClient`."""

    def __init__(self, per_host_concurrency: int, per_host_delay: float) -> None:
        self.per_host_concurrency = max(1, per_host_concurrency)
        self.per_host_delay = max(0.0, per_host_delay)
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._start_locks: dict[str, asyncio.Lock] = {}
        self._last_start: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of the host's slots for the duration of a request, starting no sooner than the delay allows."""
        semaphore = self._slots.setdefault(host, asyncio.Semaphore(self.per_host_concurrency))
        async with semaphore:
            await self._wait_turn(host)
            yield

    async def _wait_turn(self, host: str) -> None:
        lock = self._start_locks.setdefault(host, asyncio.Lock())
        async with lock:
            last = self._last_start.get(host)
            if last is not None and self.per_host_delay:
                wait = last + self.per_host_delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            self._last_start[host] = time.monotonic()
