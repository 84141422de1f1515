"""Serving the demo newswire: one small HTTP server per publisher, each on its own loopback address.

Articles appear as the wire's clock passes their offset (most are backdated over the past three days; the rest are
released one by one), so a running install sees news arrive. Feeds answer conditional GETs with 304.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from newsdesk.demo import render
from newsdesk.demo.publishers import PUBLISHERS, DemoArticle, Publisher, schedule


@dataclass(frozen=True)
class DemoSource:
    feed_url: str
    site_url: str
    name: str
    language: str
    region: str


class DemoNewswire:
    """The wire's content and clock; ``speed`` > 1 makes released articles arrive faster (tests, benchmarks)."""

    def __init__(self, release_every: float = 60.0, release_all: bool = False) -> None:
        self.articles = schedule(release_every=release_every)
        self.start = datetime.now(UTC).replace(microsecond=0)
        self.release_all = release_all
        self.by_key = {(a.publisher.slug, a.key): a for a in self.articles}
        self.servers: list[ThreadingHTTPServer] = []
        self.bases: dict[str, str] = {}
        self._offsets = [a.offset for a in self.articles]  # ``schedule`` sorts by offset: what is out is a prefix
        self._released: dict[tuple[str, int], list[tuple[DemoArticle, datetime]]] = {}

    def released(self, publisher: Publisher) -> list[tuple[DemoArticle, datetime]]:
        """The publisher's articles visible now, newest first, with their publication times (computed once per
        publisher and number of articles out: every page request asks)."""
        elapsed = float("inf") if self.release_all else (datetime.now(UTC) - self.start).total_seconds()
        out = bisect.bisect_right(self._offsets, elapsed)
        key = (publisher.slug, out)
        if key not in self._released:
            items = [(a, a.published(self.start)) for a in self.articles[:out] if a.publisher.slug == publisher.slug]
            self._released[key] = sorted(items, key=lambda item: item[1], reverse=True)
        return self._released[key]

    def start_servers(self, port: int = 0, host_prefix: str | None = None) -> dict[str, str]:
        """Start one server per publisher (on its own 127.0.0.x, or all on ``host_prefix``); returns slug -> base."""
        for pub in PUBLISHERS:
            server = ThreadingHTTPServer((host_prefix or pub.address, port), _handler(self, pub))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, name=f"demo-{pub.slug}", daemon=True).start()
            self.servers.append(server)
            self.bases[pub.slug] = f"http://{server.server_address[0]!s}:{server.server_address[1]}"
        return self.bases

    def sources(self) -> list[DemoSource]:
        return [DemoSource(self.bases[p.slug] + p.feed_path, self.bases[p.slug] + "/", p.name, p.language, p.region)
                for p in PUBLISHERS]

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def _handler(wire: DemoNewswire, pub: Publisher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "demo-newswire/1"
        protocol_version = "HTTP/1.1"  # keep-alive, as real publishers' servers do
        # Headers and body leave in two writes; with Nagle's algorithm on, the body waited for the client's delayed
        # ACK of the headers on a kept-alive connection: 40 ms per response. Web servers turn it off (nginx's
        # tcp_nodelay is on by default), and so does the wire.
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:  # quiet: the wire is a fixture
            pass

        def do_GET(self) -> None:
            base = wire.bases[pub.slug]
            path = self.path.split("?", 1)[0]
            if path == "/":
                self._send(200, render.home_page(base, pub, wire.released(pub)).encode(), "text/html; charset=utf-8")
            elif path == pub.feed_path:
                self._feed(base)
            elif path == "/robots.txt":
                body = f"User-agent: *\nAllow: /\nSitemap: {base}/news-sitemap.xml\n" if pub.feed == "sitemap" else \
                    "User-agent: *\nDisallow: /private/\n"
                self._send(200, body.encode(), "text/plain")
            elif path.startswith("/news/") and path.endswith(".html"):
                self._article(base, path.removeprefix("/news/").removesuffix(".html"))
            elif path.startswith("/img/") and path.endswith(".svg"):
                article = wire.by_key.get((pub.slug, path.removeprefix("/img/").removesuffix(".svg")))
                self._send(200, render.picture(article, pub).encode(), "image/svg+xml")
            else:
                self._send(404, b"<h1>Not found</h1>", "text/html")

        def _feed(self, base: str) -> None:
            items = wire.released(pub)
            body, mime = render.feed(base, pub, items)
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            modified = format_datetime(items[0][1] if items else wire.start, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", mime, {"ETag": etag, "Last-Modified": modified})
                return
            self._send(200, body, mime, {"ETag": etag, "Last-Modified": modified})

        def _article(self, base: str, key: str) -> None:
            article = wire.by_key.get((pub.slug, key))
            released = wire.released(pub)
            if article is None or all(a.key != key for a, _ in released):
                self._send(404, b"<h1>Not found</h1>", "text/html")
                return
            more = [a for a, _ in released if a.key != key]
            html = render.article_page(base, article, article.published(wire.start), more)
            self._send(200, html.encode(), "text/html; charset=utf-8")

        def _send(self, status: int, body: bytes, mime: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return Handler


def serve_forever(host: str = "127.0.0.1", port: int = 8090, release_every: float = 60.0,
                  release_all: bool = False) -> None:
    """``newsdesk demo``: serve the wire until interrupted, printing each publisher's feed URL."""
    wire = DemoNewswire(release_every=release_every, release_all=release_all)
    wire.start_servers(port=port, host_prefix=None if host == "127.0.0.1" else host)
    for src in wire.sources():
        print(f"{src.name:24} {src.language} {src.region}  {src.feed_url}")
    print(f"{sum(1 for p in PUBLISHERS for _ in wire.released(p))} articles out, "
          f"one more every {release_every:.0f} s; Ctrl-C stops", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        wire.stop()


__all__ = ["DemoNewswire", "DemoSource", "serve_forever"]
