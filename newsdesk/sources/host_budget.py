"""The per-host budget of feed checks, and fair sharing between hosts (pure; no I/O).

A :class:`HostBudget` remembers when each host's checks were handed out over the last minute. From a list of due
sources, :meth:`HostBudget.take` hands out at most ``per_minute`` checks per host within any sliding minute, and
interleaves hosts round-robin (first one source of every host, then a second of each...), so a host with 300 due
feeds neither bursts nor delays a host with one: the rest stay due and are taken in later steps, as the window
frees. The scheduler keeps one budget for its lifetime (not a global: one per scheduler loop).
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from typing import TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")
WINDOW_SECONDS = 60.0


def host_of_url(url: str) -> str:
    """The host a feed URL is fetched from (lower case; '' when there is none)."""
    return (urlsplit(url).hostname or "").lower()


class HostBudget:
    """At most ``per_minute`` checks per host in any window of ``window`` seconds."""

    def __init__(self, per_minute: int, window: float = WINDOW_SECONDS) -> None:
        if per_minute < 1:
            raise ValueError(f"per_minute must be at least 1, got {per_minute}")
        self.per_minute = per_minute
        self.window = window
        self._starts: dict[str, deque[float]] = defaultdict(deque)

    def remaining(self, host: str, now: float) -> int:
        """Checks the host may still get now."""
        starts = self._starts[host]
        while starts and starts[0] <= now - self.window:
            starts.popleft()
        return self.per_minute - len(starts)

    def take(self, due: Sequence[T], now: float, host_of: Callable[[T], str]) -> list[T]:
        """The due items to check now, hosts interleaved, each within its budget; their checks are counted."""
        by_host: dict[str, list[T]] = defaultdict(list)
        for item in due:
            by_host[host_of(item)].append(item)
        allowed = {host: max(0, min(len(items), self.remaining(host, now))) for host, items in by_host.items()}
        rounds = (items[:allowed[host]] for host, items in by_host.items())
        taken = [item for group in itertools.zip_longest(*rounds) for item in group if item is not None]
        for host, count in allowed.items():
            self._starts[host].extend([now] * count)
        return taken

    def seconds_until_room(self, hosts: Sequence[str], now: float) -> float:
        """How long until one of ``hosts`` may be checked again (0 when one may now)."""
        waits = [0.0 if self.remaining(h, now) > 0 else self._starts[h][0] + self.window - now for h in hosts]
        return max(0.0, min(waits, default=0.0))
