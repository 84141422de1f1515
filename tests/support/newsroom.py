"""A loopback news site for recovery tests: feeds that overlap over a fixed set of article pages, some of which are
held back until the test releases them, so that source checks are reliably in flight when a fault strikes.

``Newsroom(feeds=10, articles=150)`` serves ``/feed/<n>.xml`` (RSS 2.0) and ``/article/<i>.html``. Article ``i``
is listed by feed ``i % feeds`` and, for every third article, by the next feed too. ``held`` articles answer only
after ``release()``. Texts are written from fifteen topics, so the articles form stories, and each carries
sentences of its own, so no two are the same text.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

TOPICS = [
    ("The harbour reopens after storm repairs",
     "Dock workers returned to the quays as cranes unloaded the first container ship since the storm.",
     "The port authority said the breakwater had been rebuilt with heavier granite blocks."),
    ("Mayor wins a second term in a close election",
     "Voters gave the mayor a narrow majority after a recount of postal ballots in three districts.",
     "Her opponent conceded on the town hall steps and promised a constructive opposition on the council."),
    ("Farmers ration water as the drought deepens",
     "Wheat growers have cut irrigation by half while the reservoirs stand at their lowest level in decades.",
     "Agronomists warn that the harvest could shrink by a third if the rains fail again in autumn."),
    ("Rail strike halts trains across the region",
     "Train drivers walked out at dawn over pay, leaving commuters stranded on empty platforms.",
     "The operator cancelled every service and urged passengers to postpone their journeys."),
    ("Museum returns looted bronzes to their city",
     "Curators packed the bronze plaques into crates for the flight home after a century in the galleries.",
     "Historians traced the sculptures to a palace raid through archives of colonial auction houses."),
    ("Hospitals begin a new vaccine campaign",
     "Nurses opened clinics in school gyms to give booster doses to pensioners and care workers.",
     "Health officials hope to reach a million arms before the winter wave of respiratory infections."),
    ("Old bridge closed after engineers find cracks",
     "Inspectors found fractures in the steel girders of the river crossing during a routine survey.",
     "Lorries now take a forty minute detour while divers examine the foundations of the piers."),
    ("Local club reaches the cup final",
     "The striker scored twice in extra time as thousands of supporters sang in the rain.",
     "The manager praised a young squad that had been tipped for relegation in August."),
    ("Wildfire forces villages to evacuate",
     "Firefighters battled flames on the pine covered hillsides as smoke darkened the valley.",
     "Water bombers flew through the night while families slept in gymnasiums down on the coast."),
    ("Parliament passes a leaner budget",
     "Ministers defended spending cuts to ministries while lowering the top rate of income tax.",
     "Opposition deputies called the finance bill a gift to the wealthy and vowed to challenge it in court."),
    ("Weather satellite reaches its orbit",
     "The rocket lifted off from the launch pad at dawn and released the satellite twenty minutes later.",
     "Mission engineers confirmed that its solar panels had unfolded and telemetry was flowing."),
    ("City library opens a new reading hall",
     "Students queued before opening time to see the timber vaulted hall and its thousands of new books.",
     "Librarians added a children's corner, study booths and a small printing workshop."),
    ("Fishing quotas cut to protect cod stocks",
     "Trawler crews protested in the harbour after scientists advised a sharp cut in the cod catch.",
     "Marine biologists say spawning stocks have fallen below safe levels for the third year running."),
    ("Airport expansion approved despite protests",
     "Residents under the flight path marched against the third runway and the night flights it brings.",
     "The planning board imposed noise limits and a curfew as conditions for the new terminal."),
    ("Orchestra celebrates its hundredth season",
     "Musicians performed the symphony that opened the concert hall a century ago to a standing ovation.",
     "The conductor thanked generations of subscribers who kept the ensemble alive through hard times."),
]


def article_page(i: int) -> tuple[str, str]:
    """The title and HTML page of article ``i``."""
    headline, first, second = TOPICS[i % len(TOPICS)]
    title = f"{headline} (report {i})"
    paragraphs = [first, f"Correspondent number {i} filed this report and counted {i * 7 % 97} witnesses on the "
                  f"scene, {i * 3 % 11} of whom asked not to be named.", second,
                  f"Further details are expected in the coming days, the desk said in its note number {i}."]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return title, (f"<!doctype html><html><head><title>{escape(title)}</title></head><body><header>Newsroom"
                   f"</header><article><h1>{escape(title)}</h1>{body}</article><footer>About us</footer></body></html>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client killed mid-request (the point of these tests) is not an error of the site."""


class Newsroom:
    """The site's content and its gate; ``start()`` serves it on 127.0.0.1 and returns the base URL."""

    def __init__(self, feeds: int = 10, articles: int = 150, held: set[int] | None = None) -> None:
        self.feeds, self.articles = feeds, articles
        self.held = held or set()
        self.gate = threading.Event()
        self.start_time = datetime.now(UTC).replace(microsecond=0)
        self.server: _Server | None = None
        self.base = ""

    def feed_articles(self, feed: int) -> list[int]:
        return [i for i in range(self.articles) if i % self.feeds == feed or (i % 3 == 0 and
                                                                              (i + 1) % self.feeds == feed)]

    def feed_urls(self) -> list[str]:
        return [f"{self.base}/feed/{n}.xml" for n in range(self.feeds)]

    def article_url(self, i: int) -> str:
        return f"{self.base}/article/{i}.html"

    def release(self) -> None:
        self.gate.set()

    def feed_xml(self, feed: int) -> str:
        items = []
        for i in self.feed_articles(feed):
            title, _ = article_page(i)
            published = format_datetime(self.start_time - timedelta(minutes=self.articles - i))
            items.append(f"<item><title>{escape(title)}</title><link>{self.article_url(i)}</link>"
                         f"<guid>{self.article_url(i)}</guid><pubDate>{published}</pubDate>"
                         f"<description>Report {i}.</description></item>")
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk {feed}</title>'
                f"<link>{self.base}/</link><description>Feed {feed}</description>{''.join(items)}</channel></rss>")

    def start(self) -> str:
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        threading.Thread(target=self.server.serve_forever, name="newsroom", daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.base

    def stop(self) -> None:
        self.gate.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _handler(room: Newsroom) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path.startswith("/feed/") and path.endswith(".xml"):
                self._send(room.feed_xml(int(path[6:-4])), "application/rss+xml")
            elif path.startswith("/article/") and path.endswith(".html"):
                i = int(path[9:-5])
                if i in room.held:
                    room.gate.wait()
                self._send(article_page(i)[1], "text/html; charset=utf-8")
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def _send(self, text: str, mime: str) -> None:
            body = text.encode()
            self.send_response(200)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
