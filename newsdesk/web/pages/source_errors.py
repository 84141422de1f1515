"""Why a source could not be added, as a reason the sources page states in words.

Adding a source fetches the address the admin typed (and, for a site, looks for its feeds); every way that can
fail is named here by a short code the template translates (``unreachable``, ``blocked``, ``timeout``…), with the
technical detail (the fetch error's own message) shown beneath it. Nothing here is a server error: each answer is
a 4xx page that keeps what the admin typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from newsdesk.fetch.errors import (
    BlockedURL,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    ResponseTooLarge,
    RobotsDisallowed,
    TooManyRedirects,
)

_FETCH_REASONS: tuple[tuple[type[FetchError], str], ...] = (
    (BlockedURL, "blocked"),
    (InvalidURL, "bad-url"),
    (FetchTimeout, "timeout"),
    (HTTPStatusError, "http-status"),
    (ResponseTooLarge, "too-large"),
    (TooManyRedirects, "redirects"),
    (RobotsDisallowed, "robots"),
)


@dataclass(frozen=True)
class AddFailure:
    """A refused or failed add: ``code`` names the reason, ``detail`` is the error's own text."""

    code: str
    detail: str = ""
    http_status: int | None = None


def web_address_problem(url: str) -> AddFailure | None:
    """An address that is plainly no web address (not http(s), no host) is refused before anything is fetched."""
    try:
        parts = urlsplit(url)
        hostless = not parts.hostname
    except ValueError as exc:
        return AddFailure("bad-url", str(exc))
    if parts.scheme.lower() not in ("http", "https"):
        return AddFailure("not-web-address")
    return AddFailure("bad-url") if hostless else None


def add_failure(exc: Exception) -> AddFailure:
    """The reason an add failed, from the error the add command raised (a FetchError or a SourceError)."""
    detail = str(exc)
    if isinstance(exc, FetchError):
        for kind, code in _FETCH_REASONS:
            if isinstance(exc, kind):
                status = exc.status if isinstance(exc, HTTPStatusError) else None
                return AddFailure(code, detail, status)
        return AddFailure("unreachable", detail)  # connection refused, unknown host, reset…
    if detail.startswith("no feed"):
        return AddFailure("no-feed", detail)
    if detail.startswith("not a usable URL"):
        return AddFailure("bad-url", detail)
    return AddFailure("not-added", detail)
