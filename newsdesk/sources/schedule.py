"""Adaptive poll schedule (pure functions): busy publishers often, quiet ones rarely, failing ones backed off.

* Healthy source: half the median gap between its recent entries, so a new story waits on average a quarter of
  the publisher's own rhythm. A publisher silent for longer than its usual gap is stretched to that silence.
  With fewer than two dated entries the rate is unknown and the geometric mean of the bounds is used.
* Failing source: ``min_interval * 2 ** (errors - 1)`` with ±20 % jitter (so many failing sources do not retry
  in lockstep), capped at ``max_interval``.
* A server's ``Retry-After`` is a floor: the next check is never earlier than it asks. So is what the publisher
  says of its feed (RSS ``<ttl>``, ``Cache-Control: max-age``; see ``schedule_hints``), capped at ``max_interval``.
* ``jitter`` (a fraction) spreads healthy intervals at random, so sources added together drift apart.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics
from collections.abc import Sequence
from datetime import datetime, timedelta

RECENT_ENTRIES = 20
BACKOFF_JITTER = 0.2


def next_check(
    now: datetime,
    *,
    entry_times: Sequence[datetime],
    error_count: int,
    retry_after: float | None,
    min_interval: int,
    max_interval: int,
    rng: random.Random | None = None,
    floor: float | None = None,
    jitter: float = 0.0,
) -> tuple[datetime, int]:
    """When to poll a source next, and the interval in seconds. ``rng`` makes the backoff jitter reproducible."""
    if min_interval <= 0 or max_interval < min_interval:
        raise ValueError(f"need 0 < min_interval <= max_interval, got {min_interval} and {max_interval}")
    if error_count > 0:
        interval = backoff_interval(error_count, min_interval, max_interval, rng or random.Random())
    else:
        interval = publishing_interval(now, entry_times, min_interval, max_interval)
        if jitter > 0:
            interval = _clamp(interval * (rng or random.Random()).uniform(1 - jitter, 1 + jitter), min_interval,
                              max_interval)
    if floor is not None and math.isfinite(floor) and floor > interval:
        interval = min(math.ceil(floor), max_interval)
    if retry_after is not None and math.isfinite(retry_after) and retry_after > interval:
        interval = math.ceil(retry_after)
    return now + timedelta(seconds=interval), interval


def publishing_interval(now: datetime, entry_times: Sequence[datetime], min_interval: int, max_interval: int) -> int:
    """Poll interval of a healthy source from the times of its recent entries (see module docstring)."""
    recent = sorted((t for t in entry_times if t <= now), reverse=True)[:RECENT_ENTRIES]
    if len(recent) < 2:
        return _clamp(math.sqrt(min_interval * max_interval), min_interval, max_interval)
    gaps = [(newer - older).total_seconds() for newer, older in itertools.pairwise(recent)]
    typical_gap = statistics.median(gaps)
    silence = (now - recent[0]).total_seconds()
    return _clamp(max(typical_gap, silence) / 2, min_interval, max_interval)


def backoff_interval(error_count: int, min_interval: int, max_interval: int, rng: random.Random) -> int:
    """Exponential backoff with jitter after ``error_count`` consecutive failures."""
    exponent = min(error_count - 1, 62)
    base = min(float(max_interval), min_interval * 2.0**exponent)
    jittered = base * rng.uniform(1 - BACKOFF_JITTER, 1 + BACKOFF_JITTER)
    return _clamp(jittered, min_interval, max_interval)


def _clamp(seconds: float, low: int, high: int) -> int:
    return int(min(max(seconds, low), high))
