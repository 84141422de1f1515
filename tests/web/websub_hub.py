"""A WebSub hub and a publisher on a free 127.0.0.1 port, for the subscriber tests.

The hub serves one Atom feed (``/feed.atom``, advertising the hub with ``rel="hub"`` in the feed or in a ``Link``
header) and takes subscription requests at ``/hub`` as the W3C spec says: it answers 202, then verifies intent with
a GET to the callback carrying a random challenge, and counts the subscription only when the callback echoes it.
:meth:`Hub.publish` pushes a body to every verified subscriber of a topic, signed with the subscriber's secret
(or with another key, or unsigned, to test refusals).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.server
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class Subscriber:
    callback: str
    secret: str
    lease: int


@dataclass
class Hub:
    """State shared with the server thread."""

    base: str = ""
    granted_lease: int = 864000
    link_in_header: bool = False
    requests: list[dict[str, str]] = field(default_factory=list)  # every subscribe/unsubscribe request, in order
    verified: list[tuple[str, str]] = field(default_factory=list)  # (mode, callback) the callback confirmed
    refused: list[tuple[str, str]] = field(default_factory=list)  # (mode, callback) the callback did not confirm
    subscribers: dict[str, Subscriber] = field(default_factory=dict)  # by callback
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def topic(self) -> str:
        return self.base + "/feed.atom"

    def feed(self, entries: list[tuple[str, str]]) -> bytes:
        items = "".join(f"<entry><id>{guid}</id><title>{guid}</title><link href='{self.base}/a/{guid}'/>"
                        f"<updated>2026-12-04T10:00:00Z</updated><content type='html'>{body}</content></entry>"
                        for guid, body in entries)
        hub_link = "" if self.link_in_header else f"<link rel='hub' href='{self.base}/hub'/>"
        return (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                f"<title>Hub Daily</title><id>{self.topic}</id>{hub_link}<link rel='self' href='{self.topic}'/>"
                f"<updated>2026-12-04T10:00:00Z</updated>{items}</feed>").encode()

    def wait_for(self, condition: Callable[[], bool], seconds: float = 15.0) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, "the hub did not see what was expected in time"
            time.sleep(0.05)

    def verify(self, form: dict[str, str]) -> None:
        """Verification of intent, as a hub does it after answering 202."""
        challenge = secrets.token_urlsafe(12)
        query = {"hub.mode": form["hub.mode"], "hub.topic": form["hub.topic"], "hub.challenge": challenge}
        if form["hub.mode"] == "subscribe":
            query["hub.lease_seconds"] = str(self.granted_lease)
        url = form["hub.callback"] + "?" + urllib.parse.urlencode(query)
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                confirmed = answer.status == 200 and answer.read().decode() == challenge
        except urllib.error.HTTPError as exc:
            exc.close()
            confirmed = False
        with self.lock:
            (self.verified if confirmed else self.refused).append((form["hub.mode"], form["hub.callback"]))
            if confirmed and form["hub.mode"] == "subscribe":
                self.subscribers[form["hub.callback"]] = Subscriber(form["hub.callback"], form["hub.secret"],
                                                                    self.granted_lease)
            elif confirmed:
                self.subscribers.pop(form["hub.callback"], None)

    def publish(self, body: bytes, *, key: str | None = "own", method: str = "sha256") -> list[int]:
        """Push ``body`` to every subscriber; ``key`` 'own' signs with its secret, None sends no signature."""
        statuses = []
        for sub in list(self.subscribers.values()):
            headers = {"Content-Type": "application/atom+xml"}
            if key is not None:
                secret = sub.secret if key == "own" else key
                digest = hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()
                headers["X-Hub-Signature"] = f"{method}={digest}"
            request = urllib.request.Request(sub.callback, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    statuses.append(answer.status)
            except urllib.error.HTTPError as exc:
                exc.close()
                statuses.append(exc.code)
        return statuses


def _handler(hub: Hub) -> type[http.server.BaseHTTPRequestHandler]:
    class HubHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = hub.feed([("first", "An older entry.")])
            self.send_response(200 if self.path == "/feed.atom" else 404)
            self.send_header("Content-Type", "application/atom+xml")
            if hub.link_in_header:
                self.send_header("Link", f'<{hub.base}/hub>; rel="hub", <{hub.topic}>; rel="self"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            form = dict(urllib.parse.parse_qsl(raw.decode()))
            ok = self.path == "/hub" and form.get("hub.mode") in ("subscribe", "unsubscribe") and \
                form.get("hub.callback") and form.get("hub.topic")
            with hub.lock:
                hub.requests.append(form)
            self.send_response(202 if ok else 400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            if ok:
                threading.Thread(target=hub.verify, args=(form,), daemon=True).start()

        def log_message(self, *args: object) -> None:
            pass

    return HubHandler


@contextlib.contextmanager
def running_hub(**options: object) -> Iterator[Hub]:
    hub = Hub(**options)  # type: ignore[arg-type]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    hub.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
