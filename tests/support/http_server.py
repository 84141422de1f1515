"""A real HTTP server on 127.0.0.1 for tests: routes are registered per test, served from a background thread.

Use it through the ``http_server`` fixture. To make the fixture visible to a test folder, import it in a
conftest (``tests/`` is on ``sys.path`` because ``tests/conftest.py`` has no package ``__init__``)::

    from support.http_server import http_server  # noqa: F401  (pytest fixture)

Then, in a test::

    def test_feed(http_server):
        http_server.route("/feed.xml", body=b"<rss>...</rss>", headers={"Content-Type": "application/rss+xml"})
        http_server.route("/moved", handler=redirect_to("/feed.xml"))
        url = http_server.url("/feed.xml")          # http://127.0.0.1:<port>/feed.xml
        ...
        assert http_server.requests[-1].headers["user-agent"].startswith("newsdesk/")

A route is either fixed (``status``, ``headers``, ``body``) or a ``handler(request) -> Reply`` for dynamic
behaviour. A reply body may be ``bytes``/``str`` (sent with a Content-Length) or an iterable of ``bytes``
chunks, streamed as produced without a Content-Length (HTTP/1.0, close-delimited): that is how endless and
slow-drip bodies are made (see :func:`endless_body`, :func:`slow_drip`). ``bytes_sent[path]`` counts body bytes
actually written, so a test can show that a client stopped reading early. Helpers :func:`redirect_to` and
:func:`with_validators` (ETag/Last-Modified answering 304) cover common cases.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest


@dataclass
class Request:
    """What the server received: method, path with query, and headers with lower-case names."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Reply:
    """What to answer: a status, headers, and a body (bytes, str, or an iterable of byte chunks)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | str | Iterable[bytes] = b""


Handler = Callable[[Request], Reply]


class LoopbackServer:
    """A ThreadingHTTPServer on 127.0.0.1:<free port> with per-test routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.bytes_sent: dict[str, int] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler_class(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="loopback-http", daemon=True
        )

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """Absolute URL of ``path`` on this server (``host`` may be e.g. ``localhost``)."""
        return f"http://{host}:{self.port}{path}"

    def route(
        self,
        path: str,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        body: bytes | str = b"",
        handler: Handler | None = None,
    ) -> None:
        """Serve ``path`` (exact match; a route with a query string beats one without)."""
        if handler is None:
            fixed = Reply(status, dict(headers or {}), body)

            def handler(_request: Request) -> Reply:
                return fixed

        self.routes[path] = handler

    def hits(self, path: str) -> int:
        """How many requests asked for ``path`` (query string ignored)."""
        return sum(1 for r in self.requests if urlsplit(r.path).path == path)

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _dispatch(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
        handler = self.routes.get(request.path) or self.routes.get(urlsplit(request.path).path)
        if handler is None:
            return Reply(404, {"Content-Type": "text/plain"}, b"not found")
        return handler(request)

    def _count(self, path: str, n: int) -> None:
        with self._lock:
            self.bytes_sent[path] = self.bytes_sent.get(path, 0) + n


def _make_handler_class(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            request = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
            reply = server._dispatch(request)
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if isinstance(body, bytes) and not any(k.lower() == "content-length" for k in reply.headers):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            chunks = [body] if isinstance(body, bytes) else body
            path = urlsplit(self.path).path
            try:
                for chunk in chunks:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    server._count(path, len(chunk))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client hung up: exactly what size-cap and timeout tests expect

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return _Handler


def redirect_to(location: str, status: int = 302) -> Handler:
    """A handler answering with a redirect to ``location`` (relative or absolute)."""
    return lambda _request: Reply(status, {"Location": location}, b"")


def with_validators(
    body: bytes, etag: str, last_modified: str, content_type: str = "application/xml"
) -> Handler:
    """A handler serving ``body`` with ETag/Last-Modified, answering 304 to a matching conditional GET."""

    def handler(request: Request) -> Reply:
        headers = {"ETag": etag, "Last-Modified": last_modified, "Content-Type": content_type}
        if request.headers.get("if-none-match") == etag or request.headers.get("if-modified-since") == last_modified:
            return Reply(304, headers, b"")
        return Reply(200, headers, body)

    return handler


def endless_body(stopping: threading.Event, chunk: bytes = b"x" * 65536) -> Iterator[bytes]:
    """A body that never ends (until the client hangs up or the server stops)."""
    while not stopping.is_set():
        yield chunk


def slow_drip(
    stopping: threading.Event, chunk: bytes = b" ", interval: float = 0.2, limit: float = 30.0
) -> Iterator[bytes]:
    """A body that trickles ``chunk`` every ``interval`` seconds, for at most ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while not stopping.is_set() and time.monotonic() < deadline:
        yield chunk
        stopping.wait(interval)


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    """A started loopback server, stopped after the test."""
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()
