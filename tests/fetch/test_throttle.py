"""Per-host politeness: concurrency slots and the delay between request starts, measured on the client side."""

from __future__ import annotations

import asyncio
import itertools
import time

from newsdesk.fetch.throttle import HostThrottle


def starts_of(throttle: HostThrottle, hosts: list[str]) -> dict[str, list[float]]:
    starts: dict[str, list[float]] = {}

    async def one(host: str) -> None:
        async with throttle.slot(host):
            starts.setdefault(host, []).append(time.monotonic())
            await asyncio.sleep(0.01)

    async def run() -> None:
        await asyncio.gather(*(one(host) for host in hosts))

    asyncio.run(run())
    return starts


def test_starts_to_one_host_are_spaced_by_the_delay():
    starts = starts_of(HostThrottle(per_host_concurrency=4, per_host_delay=0.05), ["a"] * 5)
    assert min(later - earlier for earlier, later in itertools.pairwise(starts["a"])) >= 0.05


def test_hosts_do_not_wait_for_each_other():
    starts = starts_of(HostThrottle(per_host_concurrency=1, per_host_delay=0.2), ["a", "b", "c"])
    first = [times[0] for times in starts.values()]
    assert len(first) == 3 and max(first) - min(first) < 0.2
