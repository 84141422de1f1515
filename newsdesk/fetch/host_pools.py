"""One small httpcore connection pool per origin, instead of one pool for every host.

httpcore's pool re-examines all of its connections whenever a request starts or ends: it asks each whether it has
expired (a socket poll), and for each idle one counts the pool again, so its bookkeeping grows with the square of
the connections held. A pass that keeps a few connections open to each of dozens of publishers spent more CPU on
that bookkeeping than on parsing the responses. Per-origin pools hold at most ``fetch_per_host_concurrency``
connections each (the throttle never lets more requests through to one host), so each request's bookkeeping looks
at a handful of connections. Pools of origins no longer in use are closed, oldest first, once more than
``keep_origins`` are open.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpcore

Origin = tuple[bytes, bytes, int | None]


class HostPools:
    """Routes each request to its origin's pool, creating pools on demand and closing the least recently used idle
    ones beyond ``keep_origins``."""

    def __init__(self, make_pool: Callable[[], httpcore.AsyncConnectionPool], keep_origins: int) -> None:
        self._make_pool = make_pool
        self.keep_origins = max(1, keep_origins)
        self._pools: OrderedDict[Origin, httpcore.AsyncConnectionPool] = OrderedDict()
        self._in_flight: dict[Origin, int] = {}

    @property
    def origins(self) -> list[Origin]:
        """The origins that have an open pool, least recently used first."""
        return list(self._pools)

    @asynccontextmanager
    async def stream(self, url: httpcore.URL, headers: list[tuple[bytes, bytes]],
                     extensions: dict[str, Any]) -> AsyncIterator[httpcore.Response]:
        """GET ``url`` on its origin's pool; the response streams inside the ``async with`` block."""
        origin = (url.scheme, url.host, url.port)
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = self._make_pool()
        self._pools.move_to_end(origin)
        self._in_flight[origin] = self._in_flight.get(origin, 0) + 1
        try:
            async with pool.stream("GET", url, headers=headers, extensions=extensions) as response:
                yield response
        finally:
            if origin in self._in_flight:  # absent once aclose() has run
                self._in_flight[origin] -= 1
            await self._close_surplus()

    async def _close_surplus(self) -> None:
        """Close idle origins' pools, least recently used first, while more than ``keep_origins`` are open."""
        for origin in list(self._pools):
            if len(self._pools) <= self.keep_origins:
                return
            if self._in_flight.get(origin) == 0:
                del self._in_flight[origin]
                await self._pools.pop(origin).aclose()

    async def aclose(self) -> None:
        """Close every pool (and so every connection)."""
        pools, self._pools = list(self._pools.values()), OrderedDict()
        self._in_flight.clear()
        for pool in pools:
            await pool.aclose()
