"""Every input path holds URLs and text to the same rules: an ingest pass over a hostile feed and pages, the OPML
import command (CLI and web form share it), and ``newsdesk import`` JSON Lines."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import sqlalchemy as sa
from support.http_server import LoopbackServer

from newsdesk.config import Settings
from newsdesk.extract import ExtractedArticle, decode_page, extract_article
from newsdesk.store.sources import add_source
from newsdesk.store.tables_core import articles, sources
from newsdesk.tasks.commands import import_opml
from newsdesk.tasks.importer import import_jsonl

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="World"><outline type="rss" text="Example World" xmlUrl="https://world.example/rss.xml"/></outline>
<outline type="rss" text="Planted" xmlUrl="javascript:fetch('/account').then(r=>r.text()).then(alert)"/>
<outline type="rss" text="Planted again" xmlUrl="JaVaScRiPt:alert(1)"/>
<outline type="rss" text="Data" xmlUrl="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/>
<outline type="rss" text="Beirut Daily" xmlUrl="https://beirut.example/feed"/></body></opml>"""


class InlineExtractor:
    """Extraction in this process (the pass's worker processes are not what this test is about)."""

    processes = 1

    def start(self) -> None:
        pass

    async def extract_page(self, raw: bytes, content_type: str | None, url: str | None) -> ExtractedArticle:
        return extract_article(decode_page(raw, content_type), url)

    async def extract(self, html: str, url: str | None) -> ExtractedArticle:
        return extract_article(html, url)


def _serve_hostile_feed(server: LoopbackServer) -> None:
    page = server.url("/news/1.html")
    feed = (f"<rss version='2.0' xmlns:media='http://search.yahoo.com/mrss/'><channel><title>Wire\u202e</title>"
            f"<link>javascript:alert(0)</link>"
            f"<item><title>Harbour \x02strike\x03 ends\u202e</title><link>{page}</link>"
            f"<media:thumbnail url=\"javascript:alert(document.cookie)\"/><description>Short.</description></item>"
            f"</channel></rss>")
    server.route("/feed.xml", body=feed.encode(), headers={"Content-Type": "application/rss+xml"})
    body = "".join(f"<p>The harbour reopened on Monday after a strike, paragraph {i}.</p>" for i in range(8))
    server.route("/news/1.html", headers={"Content-Type": "text/html; charset=utf-8"},
                 body=f"<html><head><meta property='og:image' content='javascript:alert(2)'>"
                      f"<link rel='canonical' href='data:text/html,x'></head>"
                      f"<body><article><h1>Harbour</h1>{body}</article></body></html>")


def test_an_ingest_pass_stores_no_hostile_url_and_clean_titles(engine: sa.Engine, settings: Settings,
                                                               http_server: LoopbackServer) -> None:
    from newsdesk.tasks.ingest import fetch_pass_async

    _serve_hostile_feed(http_server)
    with engine.begin() as conn:
        add_source(conn, http_server.url("/feed.xml"))
    settings = settings.replace(fetch_per_host_delay=0.0)
    summary = asyncio.run(fetch_pass_async(engine, settings, understand=False, extractor=InlineExtractor()))
    assert summary.new == 1, summary.errors
    with engine.connect() as conn:
        row = conn.execute(sa.select(articles)).one()
        source = conn.execute(sa.select(sources)).one()
    assert (row.url, row.image_url, row.canonical_url) == (http_server.url("/news/1.html"), None, None)
    assert row.title == "Harbour strike ends" and row.outlet == "Wire"
    assert source.site_url is None and source.name == "Wire"


def test_opml_import_keeps_the_good_outlines_and_reports_the_refused(engine: sa.Engine, tmp_path: Path) -> None:
    path = tmp_path / "feeds.opml"
    path.write_bytes(OPML)
    result = import_opml(engine, path)
    assert (result.outlines, result.created, result.known) == (5, 2, 0)
    assert [(r.title, r.feed_url[:11]) for r in result.refused] == [
        ("Planted", "javascript:"), ("Planted again", "JaVaScRiPt:"), ("Data", "data:text/h")]
    assert all("not an absolute http(s) URL" in r.reason for r in result.refused)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(sources.c.feed_url).order_by(sources.c.id)).scalars().all()
    assert stored == ["https://world.example/rss.xml", "https://beirut.example/feed"]


def test_jsonl_import_drops_hostile_urls_and_cleans_text(engine: sa.Engine, settings: Settings,
                                                         tmp_path: Path) -> None:
    line = {"id": "x1", "title": "Port \x02strike\x03\u202e", "text": "Body\x00 text.", "url": "javascript:alert(1)",
            "image": "javascript:alert(2)", "source": "data:text/html,x", "byline": "\u2066Sam\u2069"}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert import_jsonl(engine, settings, path).new == 1
    with engine.connect() as conn:
        row = conn.execute(sa.select(articles)).one()
    assert (row.url, row.image_url, row.source_url) == (None, None, None)
    assert (row.title, row.text, row.byline) == ("Port strike", "Body text.", "Sam")
