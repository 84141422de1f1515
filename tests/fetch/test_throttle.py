"""Per-host politeness: concurrency slots and the delay between request starts, measured on the client side."""

from __future__ import annotations

import asyncio
import itertools
import time

from newsdesk.fetch.throttle import AdmissionGate, HostThrottle


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


def test_overall_cap_limits_requests_in_flight_across_hosts():
    throttle = HostThrottle(per_host_concurrency=4, per_host_delay=0, gate=AdmissionGate(3))
    in_flight, peak = 0, 0

    async def one(host: str) -> None:
        nonlocal in_flight, peak
        async with throttle.slot(host):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1

    async def run() -> None:
        await asyncio.gather(*(one(host) for host in "aabbccdd"))

    asyncio.run(run())
    assert peak == 3


def test_requests_queued_for_a_busy_host_leave_the_overall_slots_to_other_hosts():
    """Head-of-line blocking: five requests to a host that takes one at a time, queued first, must not keep a
    request to another host waiting while the overall cap (2) has room for it."""
    throttle = HostThrottle(per_host_concurrency=1, per_host_delay=0, gate=AdmissionGate(2))
    order: list[str] = []

    async def run() -> None:
        release_slow = asyncio.Event()

        async def slow(n: int) -> None:
            async with throttle.slot("slow"):
                order.append(f"slow{n}")
                await release_slow.wait()

        async def fast() -> None:
            async with throttle.slot("fast"):
                order.append("fast")
                release_slow.set()

        tasks = [asyncio.create_task(slow(n)) for n in range(5)]
        await asyncio.sleep(0)  # the slow host's requests queue up first
        tasks.append(asyncio.create_task(fast()))
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)

    asyncio.run(run())
    assert order[:2] == ["slow0", "fast"]


def test_the_delay_runs_from_the_real_start_when_the_overall_cap_made_a_request_wait():
    throttle = HostThrottle(per_host_concurrency=2, per_host_delay=0.05, gate=AdmissionGate(1))
    starts: dict[str, list[float]] = {}

    async def one(host: str, hold: float) -> None:
        async with throttle.slot(host):
            starts.setdefault(host, []).append(time.monotonic())
            await asyncio.sleep(hold)

    async def run() -> None:
        await asyncio.gather(one("other", 0.2), one("a", 0.01), one("a", 0.01))

    asyncio.run(run())
    assert starts["a"][1] - starts["a"][0] >= 0.05


def test_a_held_gate_admits_nobody_until_woken_and_then_in_order():
    backlog = {"full": True}
    gate = AdmissionGate(2, hold=lambda: backlog["full"])
    admitted: list[int] = []

    async def run() -> None:
        async def one(n: int) -> None:
            await gate.acquire()
            admitted.append(n)

        tasks = [asyncio.create_task(one(n)) for n in range(3)]
        await asyncio.sleep(0.05)
        assert admitted == []
        backlog["full"] = False
        gate.wake()
        await asyncio.sleep(0.01)
        assert admitted == [0, 1]  # the limit still applies
        gate.release()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)

    asyncio.run(run())
    assert admitted == [0, 1, 2] and gate.active == 2


def test_a_cancelled_waiter_gives_its_place_back():
    gate = AdmissionGate(1)

    async def run() -> None:
        await gate.acquire()
        waiter = asyncio.create_task(gate.acquire())
        await asyncio.sleep(0)
        gate.release()  # admits the waiter ...
        waiter.cancel()  # ... which is cancelled before it runs again
        await asyncio.gather(waiter, return_exceptions=True)
        assert gate.active == 0
        await asyncio.wait_for(gate.acquire(), timeout=1)

    asyncio.run(run())
