"""A micro-cache for pages and API responses: plain ASGI middleware in front of the app.

News pages are the same for every reader of an edition for seconds at a time, so a rendered response is kept for
``web_page_cache_seconds`` and served again without routing, a thread hop, database queries or rendering. The key
is everything a response depends on: scheme, host, path, query, the ``ui`` and ``ai`` cookies and Accept-Language.
Only complete ``200`` answers without ``Set-Cookie`` or ``Cache-Control: no-store`` (event streams) or ``private``
(a signed-in reader's page) are kept, and requests with a session cookie never touch the cache (the shared pages
reach it without the cookie, through :mod:`newsdesk.web.http.stitching`);
``If-None-Match`` is answered from the cache too. The cache is a bounded LRU owned by the app (no module state).

Only one request renders a given page at a time (single flight): while it does, the others asking for the same key
get the page that just expired (stale for at most the time of one rendering), or wait for the fresh one when there
is none. Without this, every cached page's expiry set every waiting connection rendering the same page at once: an
edition's home page that costs 50 ms alone took seconds under 64 connections.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# static files have their own caching; source forms must run; metrics are per scrape and may need a token; the
# reader-app APIs (Fever, Google Reader) answer per account
CACHED_PREFIXES = ("/static/", "/sources/", "/metrics", "/fever", "/reader/", "/accounts/")


SESSION_MARK = b"nd_session="  # the cookie of newsdesk.web.pages.account


@dataclass(frozen=True)
class Entry:
    expires: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class MicroCache:
    """ASGI middleware keeping rendered GET responses for a few seconds."""

    def __init__(self, app: ASGIApp, seconds: float, max_entries: int = 4096) -> None:
        self.app = app
        self.seconds = seconds
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self.rendering: dict[tuple[str, ...], asyncio.Event] = {}  # keys being rendered now, set when done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or self.seconds <= 0 \
                or scope["path"].startswith(CACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        # HTTP/2 clients send each cookie in its own header: read them all, as the app does
        headers[b"cookie"] = b"; ".join(value for name, value in scope["headers"] if name.lower() == b"cookie")
        if SESSION_MARK in headers[b"cookie"]:  # a signed-in reader's pages are theirs alone
            await self.app(scope, receive, send)
            return
        key = _key(scope, headers)
        entry = await self._usable_entry(key)
        if entry is not None:
            await _replay(entry, headers.get(b"if-none-match", b""), send)
            return
        done = self.rendering[key] = asyncio.Event()
        try:
            await self.app(scope, receive, self._recorder(key, send))
        finally:
            if self.rendering.get(key) is done:
                del self.rendering[key]
            done.set()

    async def _usable_entry(self, key: tuple[str, ...]) -> Entry | None:
        """A fresh entry; the expired one while another request renders the page; after waiting for that rendering,
        its result; None when this request must render."""
        entry = self.entries.get(key)
        if entry is not None and entry.expires > time.monotonic():
            self.entries.move_to_end(key)
            return entry
        in_flight = self.rendering.get(key)
        if in_flight is None:
            return None
        if entry is not None:
            return entry
        await in_flight.wait()
        entry = self.entries.get(key)
        return entry if entry is not None and entry.expires > time.monotonic() else None

    def _recorder(self, key: tuple[str, ...], send: Send) -> Send:
        start: dict[str, Message] = {}
        chunks: list[bytes] = []

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                start["message"] = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    self._store(key, start.get("message"), b"".join(chunks))
            await send(message)

        return record

    def _store(self, key: tuple[str, ...], start: Message | None, body: bytes) -> None:
        if start is None or start["status"] != 200:
            return
        headers = list(start.get("headers", []))
        names = {name.lower() for name, _ in headers}
        control = b" ".join(value for name, value in headers if name.lower() == b"cache-control")
        if b"set-cookie" in names or b"no-store" in control or b"private" in control:
            return
        etag = next((value for name, value in headers if name.lower() == b"etag"), b"")
        self.entries[key] = Entry(time.monotonic() + self.seconds, 200, headers, body, etag)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)


def _key(scope: Scope, headers: dict[bytes, bytes]) -> tuple[str, ...]:
    cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
    ui = cookie["ui"].value if "ui" in cookie else ""
    ai = cookie["ai"].value if "ai" in cookie else ""
    # pages carry absolute links (feeds, canonical URLs) built from the Host: a forged Host must not reach others
    return (scope.get("scheme", "http"), headers.get(b"host", b"").decode("latin-1"), scope["path"],
            scope.get("query_string", b"").decode("latin-1"), ui, ai,
            headers.get(b"accept-language", b"").decode("latin-1"))


async def _replay(entry: Entry, if_none_match: bytes, send: Send) -> None:
    if entry.etag and entry.etag in if_none_match:
        kept = [(n, v) for n, v in entry.headers if n.lower() not in (b"content-length", b"content-type")]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})
