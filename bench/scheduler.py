#!/usr/bin/env python3
"""The scheduler at 10,000 sources, in simulated time: every feed of the starter packs, on their real hosts.

Each category gets a median publishing rate drawn from a log-normal (median 8 entries a day), each feed its own rate
around it; entries appear as a Poisson process. Two schedules check the feeds for ``--hours`` (72 by default):

- newsdesk's: every source due at once at the start (a fresh ``add-pack`` of everything), then
  ``sources.schedule.next_check`` on the entries the feed shows (its latest 20) with jitter, and the per-host
  budget (``sources.host_budget``: at most ``--per-minute`` checks per host in any minute, hosts interleaved),
  scheduler steps every ``--tick`` seconds;
- round-robin: the same number of checks in the measured window, spread evenly over all sources in a fixed cycle.

Reported over the middle day (entries published in hours 24-48, so both schedules are warm and every entry is
checked before the end): staleness, from publication to the check that finds it, p50/p90/p99; checks in the
window; the most checks one host got in one minute (newsdesk's against its budget; round-robin's for contrast); and
the CPU seconds the scheduler's own work (queue, budget, next_check) costs per 1,000 checks. No HTTP is sent: the
network is simulated, so the figures measure the schedule, not the fetcher.

usage: python bench/scheduler.py [--hours 72] [--per-minute 12] [--tick 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import bisect
import heapq
import math
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsdesk.sources.host_budget import HostBudget, host_of_url
from newsdesk.sources.packs import Catalog
from newsdesk.sources.schedule import next_check

DAY = 86400.0
SHOWN_ENTRIES = 20  # a feed shows its latest entries only
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Feed:
    url: str
    host: str
    published: list[float] = field(default_factory=list)  # seconds since the start, ascending
    last_check: float = -1.0


def build_feeds(rng: random.Random, hours: float) -> list[Feed]:
    """Every distinct feed of the catalog, with Poisson publication times at a rate drawn per category."""
    feeds: dict[str, Feed] = {}
    for pack in Catalog.shipped().packs:
        category_median = math.exp(rng.gauss(math.log(8.0), 1.0))  # entries per day
        for url in pack.feeds:
            if url in feeds:
                continue
            per_second = math.exp(rng.gauss(math.log(category_median), 1.0)) / DAY
            feed, moment = Feed(url, host_of_url(url)), 0.0
            while per_second > 0:
                moment += rng.expovariate(per_second)
                if moment > hours * 3600:
                    break
                feed.published.append(moment)
            feeds[url] = feed
    return list(feeds.values())


def found_by_check(feed: Feed, now: float) -> list[float]:
    """Publication times of the entries a check at ``now`` finds new (those since the feed's previous check)."""
    start = bisect.bisect_right(feed.published, feed.last_check)
    end = bisect.bisect_right(feed.published, now)
    feed.last_check = now
    return feed.published[start:end]


def run_newsdesk(feeds: list[Feed], hours: float, per_minute: int, tick: float, seed: int
                 ) -> tuple[list[tuple[float, float]], list[tuple[float, str]], float]:
    """(publication, found) pairs, (time, host) of every check, scheduler CPU seconds."""
    rng, budget = random.Random(seed), HostBudget(per_minute)
    queue = [(0.0, i) for i in range(len(feeds))]
    waiting: list[int] = []
    found, checks, cpu = [], [], 0.0
    now = 0.0
    while now <= hours * 3600:
        started = time.process_time()  # one clock read per step: reading it costs more than a check's scheduling
        while queue and queue[0][0] <= now:
            waiting.append(heapq.heappop(queue)[1])
        taken = budget.take(waiting, now, lambda i: feeds[i].host)
        chosen = set(taken)
        waiting = [i for i in waiting if i not in chosen]
        for i in taken:
            feed = feeds[i]
            end = bisect.bisect_right(feed.published, now)
            shown = [EPOCH + timedelta(seconds=s) for s in feed.published[max(0, end - SHOWN_ENTRIES):end]]
            _, interval = next_check(EPOCH + timedelta(seconds=now), entry_times=shown, error_count=0,
                                     retry_after=None, min_interval=300, max_interval=86400, rng=rng, jitter=0.1)
            heapq.heappush(queue, (now + interval, i))
        cpu += time.process_time() - started
        for i in taken:  # the simulated fetch: what each check finds
            found.extend((p, now) for p in found_by_check(feeds[i], now))
            checks.append((now, feeds[i].host))
        idle_until = queue[0][0] if queue and not waiting else now + tick
        now = max(now + tick, tick * math.ceil(idle_until / tick))
    return found, checks, cpu


def run_round_robin(feeds: list[Feed], hours: float, checks_per_second: float
                    ) -> tuple[list[tuple[float, float]], list[tuple[float, str]]]:
    """The same check rate, cycling through every source in a fixed order."""
    for feed in feeds:
        feed.last_check = -1.0
    found, checks = [], []
    step, now, index = 1.0 / checks_per_second, 0.0, 0
    while now <= hours * 3600:
        feed = feeds[index % len(feeds)]
        found.extend((p, now) for p in found_by_check(feed, now))
        checks.append((now, feed.host))
        index += 1
        now += step
    return found, checks


def staleness(found: list[tuple[float, float]], start: float, end: float) -> list[float]:
    return sorted(check - published for published, check in found if start <= published < end)


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


def busiest_minute(checks: list[tuple[float, str]], start: float, end: float) -> tuple[int, str]:
    counts = Counter((host, int(at // 60)) for at, host in checks if start <= at < end)
    (host, _), most = counts.most_common(1)[0]
    return most, host


def report(name: str, found: list[tuple[float, float]], checks: list[tuple[float, str]], window: tuple[float, float],
           ) -> None:
    ages = staleness(found, *window)
    in_window = sum(1 for at, _ in checks if window[0] <= at < window[1])
    most, host = busiest_minute(checks, *window)
    print(f"{name:<12} checks {in_window:>8,}  staleness p50 {percentile(ages, .5) / 60:7.1f} min  "
          f"p90 {percentile(ages, .9) / 60:7.1f} min  p99 {percentile(ages, .99) / 60:7.1f} min  "
          f"entries {len(ages):,}  busiest host-minute {most} ({host})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, default=72.0)
    parser.add_argument("--per-minute", type=int, default=12)
    parser.add_argument("--tick", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    feeds = build_feeds(random.Random(args.seed), args.hours)
    hosts = len({f.host for f in feeds})
    print(f"{len(feeds):,} feeds on {hosts:,} hosts, {sum(len(f.published) for f in feeds):,} entries in "
          f"{args.hours:g} h; budget {args.per_minute} checks per host per minute")
    window = (24 * 3600.0, 48 * 3600.0)
    found, checks, cpu = run_newsdesk(feeds, args.hours, args.per_minute, args.tick, args.seed)
    report("newsdesk", found, checks, window)
    in_window = sum(1 for at, _ in checks if window[0] <= at < window[1])
    rr_found, rr_checks = run_round_robin(feeds, args.hours, in_window / (window[1] - window[0]))
    report("round-robin", rr_found, rr_checks, window)
    ours, theirs = staleness(found, *window), staleness(rr_found, *window)
    print(f"p50 staleness ratio newsdesk / round-robin: {statistics.median(ours) / statistics.median(theirs):.2f} "
          f"(target <= 0.50)")
    print(f"scheduler CPU: {cpu / len(checks) * 1000:.3f} s per 1,000 checks ({len(checks):,} checks, {cpu:.1f} s)")


if __name__ == "__main__":
    main()
