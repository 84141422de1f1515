"""The errors a fetch can end in; ``str(error)`` is a message a person can act on."""

from __future__ import annotations


class FetchError(Exception):
    """A URL could not be fetched; subclasses say why."""


class InvalidURL(FetchError):
    """The URL is malformed or uses a scheme other than http/https."""


class BlockedURL(FetchError):
    """The SSRF guard refused the URL: it resolves to a loopback, private, link-local or reserved address."""


class ResponseTooLarge(FetchError):
    """The body passed the size cap and the download was aborted."""


class FetchTimeout(FetchError):
    """Connecting, reading, or the fetch as a whole took too long."""


class TooManyRedirects(FetchError):
    """More redirect hops than allowed, or a redirect loop."""


class RobotsDisallowed(FetchError):
    """robots.txt of the host forbids our User-Agent to fetch this page."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx/5xx)."""

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        self.url = url
        self.status = status
        self.retry_after = retry_after
        wait = f"; Retry-After {retry_after:g} s" if retry_after is not None else ""
        super().__init__(f"{url}: HTTP {status}{wait}")
