"""Slowing down password guessing: after ``web_login_failures`` failed sign-ins within ``web_login_window_seconds``
from one address, further attempts there are refused with 429 until the window has passed. Attempts count before
the password is checked (a success clears them), so parallel guesses cannot all slip through; there is no lock per
user name, which would let anyone lock anyone out.

It covers the web sign-in form, Google Reader's ClientLogin and Fever's key check. The counts live in the web
process (a sliding window per key, bounded in size); an install with several web processes multiplies the allowance
by their number, which still turns millions of guesses into a handful.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

from starlette.requests import Request

MAX_KEYS = 10_000


class FailureLimiter:
    """Failed attempts per key in a sliding window."""

    def __init__(self, max_failures: int, window_seconds: float) -> None:
        self.max_failures = max(1, max_failures)
        self.window = window_seconds
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        cutoff = time.monotonic() - self.window
        while times and times[0] < cutoff:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        """True when any of the keys has used up its failures."""
        return any(len(self._recent(key)) >= self.max_failures for key in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._failures.setdefault(key, deque()).append(now)
            self._failures.move_to_end(key)
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)

    def attempt(self, *keys: str) -> bool:
        """Count an attempt before checking it; False (and nothing counted) when the keys are used up."""
        if self.blocked(*keys):
            return False
        self.failed(*keys)
        return True

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)


def limiter_of(request: Request) -> FailureLimiter:
    return request.app.state.login_limiter


def client_key(request: Request, door: str) -> str:
    """The limiter's key for this address at one door ("web", "greader", "fever", "signup"): a reader app still
    polling with an old password locks out only itself, not the household's browser sign-in."""
    return f"{door}:" + (request.client.host if request.client else "unknown")
