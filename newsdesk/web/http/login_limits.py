"""Slowing down password guessing, across every door that takes a password: the web sign-in form, the password
change form, Google Reader's ClientLogin and Fever's key check.

Failed attempts are counted in a sliding window (``web_login_window_seconds``) under three keys at once, each with
its own allowance:

- one account from one address (``web_login_failures``, 10): someone who mistypes their password is slowed, no one
  else is;
- one address, whatever the accounts (``web_login_failures_per_address``, 50): spraying one password over many
  names;
- one account, whatever the addresses (``web_login_failures_per_account``, 50): many machines guessing one
  person's password.

An attempt is counted before the password is checked (a success clears the account's keys), so parallel guesses
cannot all slip through. The address is the direct peer unless a trusted proxy (``web_trusted_proxies``) named
the client: a rotated ``X-Forwarded-For`` from anywhere else changes nothing. Behind a proxy that names no one,
every visitor shares its address: one person's mistakes still lock out only that person, and 50 failures in the
window lock the door for the proxy's address as a whole, which is why the proxy should be trusted and send the
header. Counts live in the web process (bounded in size); several processes multiply the allowance by their number.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass

from starlette.requests import Request

from newsdesk.store.users import username_key

MAX_KEYS = 10_000


class FailureLimiter:
    """Failed attempts per key in a sliding window, at most ``max_failures`` each."""

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

    def blocked(self, key: str) -> bool:
        """True when the key has used up its failures."""
        return len(self._recent(key)) >= self.max_failures

    def failed(self, key: str) -> None:
        self._failures.setdefault(key, deque()).append(time.monotonic())
        self._failures.move_to_end(key)
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)

    def attempt(self, key: str) -> bool:
        """Count an attempt before checking it; False (and nothing counted) when the key is used up."""
        if self.blocked(key):
            return False
        self.failed(key)
        return True

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)

    def forgive_last(self, key: str) -> None:
        """Take back the attempt counted last (it turned out right) without clearing earlier failures."""
        times = self._failures.get(key)
        if times:
            times.pop()


@dataclass
class SignInLimits:
    """The three windows every password door shares (see the module's docstring)."""

    per_account_and_address: FailureLimiter
    per_address: FailureLimiter
    per_account: FailureLimiter

    @classmethod
    def build(cls, failures: int, per_address: int, per_account: int, window_seconds: float) -> SignInLimits:
        return cls(FailureLimiter(failures, window_seconds), FailureLimiter(per_address, window_seconds),
                   FailureLimiter(per_account, window_seconds))

    def _keys(self, address: str, account: str) -> list[tuple[FailureLimiter, str]]:
        name = username_key(account)  # the store's form of the name: "ｂｏｂ" and "BOB" are bob's attempts too
        return [(self.per_account_and_address, f"{name}@{address}"), (self.per_address, address),
                (self.per_account, name)]

    def attempt(self, address: str, account: str) -> bool:
        """Count one password attempt for ``account`` from ``address``; False (nothing counted) when refused."""
        keys = self._keys(address, account)
        if any(limiter.blocked(key) for limiter, key in keys):
            return False
        for limiter, key in keys:
            limiter.failed(key)
        return True

    def succeeded(self, address: str, account: str) -> None:
        """The password was right: the account's counts are cleared; the address keeps its earlier failures (a
        sprayer's one hit does not reset the count) but not this attempt."""
        for limiter, key in self._keys(address, account):
            if limiter is self.per_address:
                limiter.forgive_last(key)
            else:
                limiter.succeeded(key)


def fever_account(address: str) -> str:
    """Fever sends only a hash of name and password, so no account is known: its failures count per address (one
    shared key would let five addresses lock every reader app out)."""
    return f"(fever key from {address})"


def limits_of(request: Request) -> SignInLimits:
    return request.app.state.sign_in_limits


def signup_limiter_of(request: Request) -> FailureLimiter:
    """Accounts created per address (never cleared within the window)."""
    return request.app.state.signup_limiter


def client_address(request: Request) -> str:
    """The client's address as the request scope has it (trusted proxies already applied by the server)."""
    return request.client.host if request.client else "unknown"
