"""The sources page's forms through the source commands: OPML import and export, add by URL, origin check; only
an admin may see or use them."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.web.app import create_app

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="World"><outline type="rss" text="Example World" xmlUrl="https://world.example/rss.xml"/></outline>
<outline type="rss" text="Beirut Daily" xmlUrl="https://beirut.example/feed"/></body></opml>"""
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback News</title><link>http://x/</link>
<item><title>One</title><link>http://127.0.0.1/one</link><guid>one</guid></item></channel></rss>"""


@pytest.fixture
def web(engine: sa.Engine, settings: Settings) -> Iterator[TestClient]:
    """A browser signed in as an admin."""
    with TestClient(create_app(settings, engine), base_url="http://newsdesk.test") as test_client:
        sign_in_as(test_client, engine, "admin")
        yield test_client


def _source_count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM sources")).scalar_one()


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


@pytest.fixture
def feed_server() -> Iterator[str]:
    class Feed(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(RSS)))
            self.end_headers()
            self.wfile.write(RSS)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


def test_opml_import_then_export(web: TestClient) -> None:
    done = web.post("/sources/import", files={"opml": ("feeds.opml", OPML, "text/xml")}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("message=imported")
    page = web.get(done.headers["location"]).text
    assert "Example World" in page and "Beirut Daily" in page and "OPML imported." in page
    exported = web.get("/sources/export.opml")
    assert exported.headers["content-type"].startswith("text/x-opml")
    assert b"https://beirut.example/feed" in exported.content and b"world.example" in exported.content


def test_bad_opml_and_foreign_origin_are_refused(web: TestClient) -> None:
    bad = web.post("/sources/import", files={"opml": ("x.opml", b"not xml", "text/xml")}, follow_redirects=False)
    assert bad.headers["location"].endswith("message=bad-opml")
    forged = web.post("/sources/add", data={"url": "https://x.example/"}, headers={"origin": "https://evil.example"})
    assert forged.status_code == 403


def test_add_by_url_discovers_a_loopback_feed(web: TestClient, feed_server: str) -> None:
    done = web.post("/sources/add", data={"url": feed_server}, headers={"origin": "http://newsdesk.test"},
                    follow_redirects=False)
    assert done.headers["location"].endswith("message=added")
    assert feed_server in web.get("/sources").text
    nothing = web.post("/sources/add", data={"url": "ftp://nope"}, follow_redirects=False)
    assert nothing.headers["location"].endswith("message=bad-url")
