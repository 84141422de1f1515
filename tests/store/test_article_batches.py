"""Storing a batch of delivered articles in one transaction: the exact-duplicate rules of one-by-one storing, on a
real SQLite file and (when NEWSDESK_TEST_POSTGRES_URL is set) a real PostgreSQL database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from newsdesk.store import articles as one_by_one
from newsdesk.store import sources as source_store
from newsdesk.store.article_batches import Delivery, store_deliveries
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import article_feeds, articles


def _text(seed: str) -> str:
    return " ".join(f"{seed}{i}" for i in range(60))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, db_url: str) -> sa.Engine:
    url = db_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = open_store(url)
    yield engine
    engine.dispose()


def _feeds(engine: sa.Engine, count: int) -> list[int]:
    with engine.begin() as conn:
        return [source_store.add_source(conn, f"https://feeds{i}.example/rss")[0] for i in range(count)]


def _links(engine: sa.Engine) -> set[tuple[int, int]]:
    with engine.connect() as conn:
        return {(a, s) for a, s in conn.execute(sa.select(article_feeds.c.article_id, article_feeds.c.source_id))}


def test_new_articles_get_ids_in_order_and_one_link_each(store: sa.Engine) -> None:
    feed, = _feeds(store, 1)
    batch = [Delivery({"url": f"https://a.example/{i}", "title": f"T{i}", "text": _text(f"w{i}x")}, feed, f"g{i}")
             for i in range(5)]
    with store.begin() as conn:
        stored = store_deliveries(conn, batch)
        urls = dict(conn.execute(sa.select(articles.c.id, articles.c.url)).all())
    assert [s.new for s in stored] == [True] * 5
    assert [urls[s.article_id] for s in stored] == [d.values["url"] for d in batch]
    assert _links(store) == {(s.article_id, feed) for s in stored}


def test_known_articles_are_matched_by_link_canonical_guid_or_text_and_only_linked(store: sa.Engine) -> None:
    first_feed, second_feed = _feeds(store, 2)
    with store.begin() as conn:
        by_url = one_by_one.insert_article(conn, {"url": "https://a.example/1", "title": "A", "text": "short"})
        by_canonical = one_by_one.insert_article(conn, {"url": "https://a.example/2?amp",
                                                        "canonical_url": "https://a.example/2", "text": "short"})
        by_guid = one_by_one.insert_article(conn, {"guid": "urn:3", "title": "C", "text": "short"})
        by_text = one_by_one.insert_article(conn, {"url": "https://a.example/4", "text": _text("four")})
        one_by_one.link_new_article(conn, by_url, first_feed, None)
    batch = [
        Delivery({"url": "https://mirror.example/1", "canonical_url": "https://a.example/1", "text": ""}, second_feed,
                 None),
        Delivery({"url": "https://a.example/2", "text": ""}, second_feed, None),
        Delivery({"url": "https://b.example/3", "guid": "urn:3", "text": ""}, second_feed, "urn:3"),
        Delivery({"url": "https://b.example/4", "text": _text("FOUR").lower()}, second_feed, None),
        Delivery({"url": "https://a.example/1", "text": ""}, first_feed, None),  # already linked to this feed
    ]
    with store.begin() as conn:
        stored = store_deliveries(conn, batch)
        count = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
    assert [s.article_id for s in stored] == [by_url, by_canonical, by_guid, by_text, by_url]
    assert not any(s.new for s in stored) and count == 4
    assert _links(store) == {(by_url, first_feed), (by_url, second_feed), (by_canonical, second_feed),
                             (by_guid, second_feed), (by_text, second_feed)}


def test_copies_inside_one_batch_become_one_article_linked_to_each_feed(store: sa.Engine) -> None:
    feeds = _feeds(store, 3)
    wire = _text("wire")
    batch = [Delivery({"url": "https://a.example/story", "text": wire}, feeds[0], None),
             Delivery({"url": "https://b.example/copy", "text": wire.upper()}, feeds[1], None),
             Delivery({"url": "https://c.example/x", "canonical_url": "https://a.example/story", "text": ""}, feeds[2],
                      None),
             Delivery({"url": "https://d.example/other", "text": _text("other")}, feeds[0], None)]
    with store.begin() as conn:
        stored = store_deliveries(conn, batch)
    assert [s.new for s in stored] == [True, False, False, True]
    assert stored[0].article_id == stored[1].article_id == stored[2].article_id != stored[3].article_id
    assert _links(store) == {(stored[0].article_id, f) for f in feeds} | {(stored[3].article_id, feeds[0])}


def test_the_same_batch_twice_changes_nothing(store: sa.Engine) -> None:
    feed, = _feeds(store, 1)
    batch = [Delivery({"url": f"https://a.example/{i}", "text": _text(f"n{i}n")}, feed, None) for i in range(3)]
    with store.begin() as conn:
        first = store_deliveries(conn, batch)
    with store.begin() as conn:
        second = store_deliveries(conn, batch)
        count = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
    assert [s.article_id for s in second] == [s.article_id for s in first] and not any(s.new for s in second)
    assert count == 3 and len(_links(store)) == 3
