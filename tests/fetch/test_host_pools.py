"""One connection pool per origin: connections are reused within an origin, idle origins beyond the limit are closed
least recently used first, and an origin with a request in flight is never closed under it (real loopback
servers)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpcore
import pytest
from support.http_server import LoopbackServer

from newsdesk.fetch.host_pools import HostPools


@pytest.fixture
def servers() -> Iterator[list[LoopbackServer]]:
    started = [LoopbackServer().start() for _ in range(3)]
    for server in started:
        server.route("/page", body=b"<p>hello</p>", headers={"Content-Type": "text/html"})
    yield started
    for server in started:
        server.stop()


def _target(server: LoopbackServer) -> httpcore.URL:
    return httpcore.URL(server.url("/page"))


async def _get(pools: HostPools, server: LoopbackServer) -> bytes:
    async with pools.stream(_target(server), [(b"Host", f"127.0.0.1:{server.port}".encode())], {}) as response:
        return b"".join([chunk async for chunk in response.aiter_stream()])


def test_idle_origins_beyond_the_limit_are_closed_least_recently_used_first(servers: list[LoopbackServer]) -> None:
    a, b, c = servers

    async def run() -> list[list[int | None]]:
        pools = HostPools(lambda: httpcore.AsyncConnectionPool(max_connections=2), keep_origins=2)
        seen = []
        for server in (a, b, a, c):
            assert await _get(pools, server) == b"<p>hello</p>"
            seen.append([origin[2] for origin in pools.origins])
        await pools.aclose()
        assert pools.origins == []
        return seen

    seen = asyncio.run(run())
    assert seen == [[a.port], [a.port, b.port], [b.port, a.port], [a.port, c.port]]  # b was the least recent


def test_an_origin_with_a_request_in_flight_is_kept_open(servers: list[LoopbackServer]) -> None:
    a, b, c = servers

    async def run() -> tuple[list[int | None], bytes]:
        pools = HostPools(lambda: httpcore.AsyncConnectionPool(max_connections=2), keep_origins=1)
        async with pools.stream(_target(a), [(b"Host", f"127.0.0.1:{a.port}".encode())], {}) as held:
            await _get(pools, b)
            await _get(pools, c)
            during = [origin[2] for origin in pools.origins]
            body = b"".join([chunk async for chunk in held.aiter_stream()])
        await pools.aclose()
        return during, body

    during, body = asyncio.run(run())
    assert a.port in during and body == b"<p>hello</p>"
