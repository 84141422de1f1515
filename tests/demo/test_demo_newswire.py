"""The demo newswire serves what real publishers serve: four feed formats, 304s, chrome-laden pages, a clock."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from newsdesk.demo.publishers import PUBLISHERS, schedule
from newsdesk.demo.server import DemoNewswire


@pytest.fixture(scope="module")
def wire() -> DemoNewswire:
    wire = DemoNewswire(release_every=3600)
    wire.start_servers(port=0)
    yield wire
    wire.stop()


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_every_publisher_has_its_own_address_and_feed_format(wire: DemoNewswire) -> None:
    assert len({p.address for p in PUBLISHERS}) == len(PUBLISHERS)
    kinds = {}
    for src in wire.sources():
        status, headers, body = _get(src.feed_url)
        assert status == 200 and body
        kinds[src.feed_url.rsplit("/", 1)[1]] = headers["Content-Type"]
    assert set(kinds) == {"rss.xml", "atom.xml", "feed.json", "news-sitemap.xml"}
    json.loads(_get(next(s.feed_url for s in wire.sources() if s.feed_url.endswith(".json")))[2])


def test_feeds_answer_conditional_gets_with_304(wire: DemoNewswire) -> None:
    url = wire.sources()[0].feed_url
    _, headers, _ = _get(url)
    status, _, body = _get(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""


def test_only_released_articles_are_served(wire: DemoNewswire) -> None:
    pub = PUBLISHERS[0]
    visible = {a.key for a, _ in wire.released(pub)}
    future = [a for a in wire.articles if a.publisher.slug == pub.slug and a.key not in visible]
    assert visible and future, "with hourly releases some articles are still to come"
    assert _get(f"{wire.bases[pub.slug]}/news/{next(iter(visible))}.html")[0] == 200
    assert _get(f"{wire.bases[pub.slug]}/news/{future[0].key}.html")[0] == 404


def test_schedule_keeps_events_together_and_makes_wire_copies() -> None:
    articles = schedule()
    copies = [a for a in articles if a.wire_of]
    assert copies and all(c.publisher.slug != "meridian" for c in copies)
    assert {a.language for a in articles} == {"en", "es", "it", "nl"}
    assert len({a.key for a in articles}) == len(articles)
