"""A small site on a free 127.0.0.1 port for the source tests: a feed, a page without feeds, an image, a slow
answer and 404 for everything else; and a port where nothing listens."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback News</title><link>http://x/</link>
<item><title>One</title><link>http://127.0.0.1/one</link><guid>one</guid></item></channel></rss>"""
PAGE = b"<!doctype html><html><head><title>A plain page</title></head><body><p>No feeds here.</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
SLOW_SECONDS = 3.0
FEED_PATH = "/news/loopback.rss"  # not one of the common feed paths discovery tries on a site

ANSWERS = {
    FEED_PATH: ("application/rss+xml", RSS),
    "/page.html": ("text/html; charset=utf-8", PAGE),
    "/image.png": ("image/png", PNG),
}


class _Site(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
        kind, body = ANSWERS.get(self.path, ("text/plain", b"not here"))
        self.send_response(200 if self.path in ANSWERS or self.path == "/slow" else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextlib.contextmanager
def loopback_site() -> Iterator[str]:
    """The site's base URL, e.g. ``http://127.0.0.1:40123``."""
    server = _Server(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A loopback URL where nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"
