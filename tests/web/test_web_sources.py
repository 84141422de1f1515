"""The sources page: OPML import (capped while it streams) and export, add by URL with every failure stated in
words, the list's health and paging, origin checks; only an admin may see or use any of it. One source's own page
(edit, pause, refresh, remove) is tested in test_web_source_manage.py."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from loopback_feeds import FEED_PATH, closed_port_url, loopback_site
from signed_in import session_cookie, sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.tables_core import sources
from newsdesk.web.app import create_app
from newsdesk.web.pages.sources import MAX_OPML_BYTES

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="World"><outline type="rss" text="Example World" xmlUrl="https://world.example/rss.xml"/></outline>
<outline type="rss" text="Beirut Daily" xmlUrl="https://beirut.example/feed"/></body></opml>"""
ORIGIN = {"origin": "http://newsdesk.test"}


@pytest.fixture
def web(engine: sa.Engine, settings: Settings) -> Iterator[TestClient]:
    """A browser signed in as an admin (fetches to loopback allowed, no politeness delay)."""
    quick = settings.replace(fetch_per_host_delay=0.0, fetch_total_timeout=1.5, fetch_read_timeout=1.0)
    with TestClient(create_app(quick, engine), base_url="http://newsdesk.test") as test_client:
        sign_in_as(test_client, engine, "admin")
        yield test_client


@pytest.fixture
def site() -> Iterator[str]:
    with loopback_site() as base:
        yield base


def _source_count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM sources")).scalar_one()


def _add_row(engine: sa.Engine, feed_url: str, **values: object) -> int:
    with engine.begin() as conn:
        return conn.execute(sources.insert().values(feed_url=feed_url, added_at=datetime.now(UTC), topics=[],
                                                    **values)).inserted_primary_key[0]


@pytest.mark.parametrize("role", [None, "reader", "moderator"])
def test_only_an_admin_adds_or_imports_sources(engine: sa.Engine, settings: Settings, role: str | None) -> None:
    """Found from outside: an anonymous visitor added a source (303 ?message=added) and imported an OPML."""
    with TestClient(create_app(settings, engine), base_url="http://newsdesk.test") as stranger:
        if role:
            sign_in_as(stranger, engine, role)
        added = stranger.post("/sources/add", data={"url": "https://x.example/feed"}, follow_redirects=False)
        imported = stranger.post("/sources/import", files={"opml": ("feeds.opml", OPML, "text/xml")},
                                 follow_redirects=False)
        listed = stranger.get("/sources", follow_redirects=False)
        exported = stranger.get("/sources/export.opml", follow_redirects=False)
    assert _source_count(engine) == 0
    if role:
        assert {r.status_code for r in (added, imported, listed, exported)} == {403}
    else:  # a signed-out visitor is sent to sign in, and comes back afterwards
        assert {r.status_code for r in (added, imported, listed, exported)} == {303}
        assert listed.headers["location"] == "/login?next=/sources"
        assert added.headers["location"].startswith("/login?next=")


def test_opml_import_reports_counts_then_export(web: TestClient) -> None:
    first = web.post("/sources/import", files={"opml": ("feeds.opml", OPML, "text/xml")}, follow_redirects=False)
    assert first.status_code == 303 and "message=imported" in first.headers["location"]
    page = web.get(first.headers["location"]).text
    assert "Example World" in page and "Beirut Daily" in page
    assert "OPML imported: 2 feeds in the file, 2 added, 0 already known." in page
    again = web.post("/sources/import", files={"opml": ("feeds.opml", OPML, "text/xml")})
    assert "OPML imported: 2 feeds in the file, 0 added, 2 already known." in again.text
    exported = web.get("/sources/export.opml")
    assert exported.headers["content-type"].startswith("text/x-opml")
    assert b"https://beirut.example/feed" in exported.content and b"world.example" in exported.content


def test_bad_opml_and_foreign_origin_are_refused(web: TestClient, engine: sa.Engine) -> None:
    bad = web.post("/sources/import", files={"opml": ("x.opml", b"not xml", "text/xml")})
    assert bad.status_code == 422
    assert "That file is not OPML; nothing was imported." in bad.text and "not well-formed" in bad.text
    not_a_form = web.post("/sources/import", content=b"opml=1",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert not_a_form.status_code == 400 and "The upload could not be read" in not_a_form.text
    forged = web.post("/sources/add", data={"url": "https://x.example/"}, headers={"origin": "https://evil.example"})
    assert forged.status_code == 403
    assert _source_count(engine) == 0


def _multipart_head(boundary: str) -> bytes:
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"opml\"; filename=\"big.opml\"\r\n"
            f"Content-Type: text/xml\r\n\r\n").encode()


def _call_import(app: object, headers: list[tuple[bytes, bytes]], chunks: Iterator[bytes]) -> tuple[int, bytes]:
    """POST /sources/import straight into the ASGI app, the body arriving chunk by chunk as a server would
    hand it over (``more_body``), with no Content-Length unless ``headers`` has one."""
    sent: list[dict] = []

    async def receive() -> dict:
        chunk = next(chunks, None)
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/sources/import", "raw_path": b"/sources/import", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"newsdesk.test"), *headers], "client": ("127.0.0.1", 5000),
             "server": ("newsdesk.test", 80)}
    asyncio.run(app(scope, receive, send))  # type: ignore[operator]
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_an_oversized_upload_is_refused_while_it_streams(engine: sa.Engine, settings: Settings) -> None:
    """Found from outside: a 300 MB OPML upload grew the web process by 600 MB and it stayed (the 5 MB cap was
    never applied to the file). A chunked 64 MB body is refused with 413 once the cap is passed: the handler stops
    reading a little past 5 MB and never asks for the rest."""
    app = create_app(settings, engine)
    cookie, token = session_cookie(engine, "admin")
    boundary = "nd-boundary"
    consumed = 0
    chunk_size, total_chunks = 64 * 1024, 1024  # 64 MB in all

    def body() -> Iterator[bytes]:
        nonlocal consumed
        consumed += 1
        yield _multipart_head(boundary)
        for _ in range(total_chunks):
            consumed += 1
            yield b"<!-- padding -->" * (chunk_size // 16)

    headers = [(b"cookie", f"{cookie}={token}".encode()),
               (b"content-type", f"multipart/form-data; boundary={boundary}".encode())]
    status, page = _call_import(app, headers, body())
    assert status == 413
    assert b"The file is larger than 5 MB; nothing was imported." in page
    assert consumed <= MAX_OPML_BYTES // chunk_size + 3  # stopped just past the cap, not at 1,024 chunks
    declared = [*headers, (b"content-length", str(total_chunks * chunk_size).encode())]
    consumed = 0
    status, _ = _call_import(app, declared, body())
    assert status == 413 and consumed == 0  # a declared length over the cap: refused before reading anything
    assert _source_count(engine) == 0


def test_a_file_just_over_the_cap_is_refused(web: TestClient, engine: sa.Engine) -> None:
    big = b"<opml>" + b" " * MAX_OPML_BYTES
    refused = web.post("/sources/import", files={"opml": ("big.opml", big, "text/xml")})
    assert refused.status_code == 413 and "larger than 5 MB" in refused.text
    assert _source_count(engine) == 0


def test_add_by_url_discovers_a_loopback_feed(web: TestClient, site: str) -> None:
    done = web.post("/sources/add", data={"url": site + FEED_PATH}, headers=ORIGIN, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("message=added")
    page = web.get(done.headers["location"]).text
    assert "Loopback News" in page and "Source added." in page
    assert site + FEED_PATH in web.get("/sources").text
    again = web.post("/sources/add", data={"url": site + FEED_PATH}, follow_redirects=False)
    assert again.headers["location"] == done.headers["location"].replace("added", "known")


@pytest.mark.parametrize(("path", "reason"), [
    ("/page.html", "No feed was found there: the address is not a feed, and the page links to none."),
    ("/image.png", "No feed was found there"),
    ("/missing.xml", "The site answered with an error (HTTP 404), so nothing was added."),
    ("/slow", "The site took too long to answer, so nothing was added."),
])
def test_a_failed_add_says_why_and_keeps_the_address(web: TestClient, engine: sa.Engine, site: str, path: str,
                                                      reason: str) -> None:
    """Found from outside: any refused or failed fetch in the add form answered a bare 500."""
    url = site + path
    answer = web.post("/sources/add", data={"url": url}, headers=ORIGIN)
    assert answer.status_code == 422
    assert reason in answer.text.replace("&#39;", "'")
    assert f'value="{url}"' in answer.text and 'aria-invalid="true"' in answer.text
    assert _source_count(engine) == 0


@pytest.mark.parametrize(("url", "reason"), [
    ("http://10.20.30.40/feed.xml", "That address is on a private or local network"),
    ("http://[fd00::1]/feed.xml", "That address is on a private or local network"),
    ("ftp://example.org/feed", "That is not a web address"),
    ("https:///feed", "That address cannot be used"),
])
def test_refused_addresses_are_named(web: TestClient, engine: sa.Engine, url: str, reason: str) -> None:
    answer = web.post("/sources/add", data={"url": url}, headers=ORIGIN)
    assert answer.status_code == 422 and reason in answer.text
    assert _source_count(engine) == 0


def test_an_unreachable_host_is_named(web: TestClient, engine: sa.Engine) -> None:
    answer = web.post("/sources/add", data={"url": closed_port_url()}, headers=ORIGIN)
    assert answer.status_code == 422
    assert "The site could not be reached" in answer.text and "ConnectError" in answer.text
    assert _source_count(engine) == 0


def test_the_list_shows_health_and_safe_links(web: TestClient, engine: sa.Engine) -> None:
    now = datetime.now(UTC)
    _add_row(engine, "https://ok.example/feed", name="Fine Daily", last_success_at=now)
    _add_row(engine, "https://down.example/feed", name="Down Daily", status="failing", error_count=4,
             last_error="https://down.example/feed: HTTP 503", last_error_at=now)
    _add_row(engine, "https://quiet.example/feed", name="Quiet Weekly", paused_at=now)
    _add_row(engine, "javascript:alert(document.cookie)//", name="Planted")
    page = web.get("/sources").text
    assert "4 errors in a row" in page and "HTTP 503" in page and "Last error" in page
    assert page.count("chip-paused") == 1 and 'aria-label="paused"' in page
    assert 'href="javascript:' not in page and "javascript:alert(document.cookie)//</span>" in page
    assert page.index("Down Daily") < page.index("Fine Daily")  # failing sources first


@pytest.mark.parametrize("page", ["99999999999999999999", "9223372036854775807", "92233720368547758", "-1", "x",
                                  "²", "2"])
def test_paging_never_fails(web: TestClient, engine: sa.Engine, page: str) -> None:
    """Found from outside: /sources?page=99999999999999999999 was a 500."""
    _add_row(engine, "https://one.example/feed", name="Only One")
    answer = web.get("/sources", params={"page": page})
    assert answer.status_code == 200
    assert ("Only One" in answer.text) != (page in ("92233720368547758", "2"))  # past the end, or page 1
    if page == "2":
        assert "No sources on this page." in answer.text and 'rel="prev"' in answer.text


def test_an_opml_import_lists_the_outlines_it_refused(web: TestClient, engine: sa.Engine) -> None:
    """Found from outside: OPML import stored javascript: and data: feed URLs; now each is refused, with its reason
    shown on the import's result page, and the good outlines of the same file are added."""
    hostile = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline type="rss" text="Evil" xmlUrl="JaVaScRiPt:fetch('/account')"/>
<outline type="rss" text="Data" xmlUrl="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/>
<outline type="rss" text="Fine" xmlUrl="https://fine.example/feed"/></body></opml>"""
    page = web.post("/sources/import", files={"opml": ("feeds.opml", hostile, "text/xml")})
    assert page.status_code == 200 and "2 outlines were refused" in page.text
    assert "Evil" in page.text and "Data" in page.text and "1 added" in page.text
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT feed_url FROM sources")).scalars().all()
    assert stored == ["https://fine.example/feed"]
