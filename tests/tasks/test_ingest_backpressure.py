"""A pass does not fetch pages faster than it can extract them: once ``ingest_pages_ahead`` fetched pages wait for
extraction, it starts no more requests until extraction catches up, and then finishes every entry (real loopback
server, real SQLite; the extraction stage is held back by a gate the test opens)."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from support.http_server import LoopbackServer

from newsdesk.config import Settings
from newsdesk.extract import ExtractedArticle, decode_page, extract_article
from newsdesk.store.sources import add_source
from newsdesk.store.tables_core import articles
from newsdesk.tasks.ingest import fetch_pass_async

ENTRIES = 30


class HeldExtractor:
    """Extracts in this process, but only once ``opened`` is set (stands in for busy extraction processes)."""

    processes = 1

    def __init__(self) -> None:
        self.opened = asyncio.Event()

    def start(self) -> None:
        pass

    async def extract_page(self, raw: bytes, content_type: str | None, url: str | None) -> ExtractedArticle:
        await self.opened.wait()
        return extract_article(decode_page(raw, content_type), url)

    async def extract(self, html: str, url: str | None) -> ExtractedArticle:
        await self.opened.wait()
        return extract_article(html, url)


def _serve_feed(server: LoopbackServer) -> None:
    items = "".join(f"<item><title>Report {n}</title><link>{server.url(f'/news/{n}.html')}</link>"
                    f"<description>Summary {n}.</description></item>" for n in range(ENTRIES))
    server.route("/feed.xml", body=f"<rss version='2.0'><channel><title>Wire</title>{items}</channel></rss>",
                 headers={"Content-Type": "application/rss+xml"})
    for n in range(ENTRIES):
        body = "".join(f"<p>Report {n} says the harbour reopened on Monday, paragraph {i}.</p>" for i in range(8))
        server.route(f"/news/{n}.html", body=f"<html><body><article><h1>Report {n}</h1>{body}</article></body></html>",
                     headers={"Content-Type": "text/html; charset=utf-8"})


def test_fetching_waits_while_fetched_pages_wait_for_extraction(engine: sa.Engine, settings: Settings,
                                                                 http_server: LoopbackServer) -> None:
    _serve_feed(http_server)
    with engine.begin() as conn:
        add_source(conn, http_server.url("/feed.xml"))
    settings = settings.replace(ingest_pages_ahead=3, fetch_max_in_flight=2, fetch_per_host_concurrency=4,
                                fetch_per_host_delay=0.0)
    extractor = HeldExtractor()

    def pages_fetched() -> int:
        return sum(http_server.hits(f"/news/{n}.html") for n in range(ENTRIES))

    async def run() -> tuple[int, int]:
        ingest = asyncio.create_task(fetch_pass_async(engine, settings, understand=False, extractor=extractor))
        await asyncio.sleep(1.0)  # ample time to fetch all 30 pages from loopback if nothing held the pass back
        held_at = pages_fetched()
        extractor.opened.set()
        summary = await asyncio.wait_for(ingest, timeout=60)
        return held_at, summary.new

    held_at, new = asyncio.run(run())
    # at most ingest_pages_ahead fetched and waiting, plus the requests already in flight when the gate shut
    assert 3 <= held_at <= 3 + 2
    assert new == ENTRIES and pages_fetched() == ENTRIES
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar() == ENTRIES

