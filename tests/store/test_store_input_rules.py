"""The store's end of the input rules: whatever path a row comes by, a URL that is not http(s) is refused and text
loses its control characters, bidi overrides and highlight sentinels; migration 0010 cleans what was stored before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from newsdesk.store import articles as article_store
from newsdesk.store import sources as source_store
from newsdesk.store.article_batches import Delivery, store_deliveries
from newsdesk.store.db import alembic_config, connect, migrate
from newsdesk.store.social import add_comment, comments_on
from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_understanding import stories
from newsdesk.store.users import create_user
from newsdesk.text.urls import UrlError

HOSTILE_URLS = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
                " javascript:alert(1)", "vbscript:msgbox(1)", "/relative/path"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_source_whose_feed_or_site_url_is_not_http_is_refused(engine: sa.Engine, url: str) -> None:
    with engine.begin() as conn:
        with pytest.raises(UrlError):
            source_store.add_source(conn, url, name="planted")
        with pytest.raises(UrlError):
            source_store.add_source(conn, "https://ok.example/feed", site_url=url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sources)).scalar_one() == 0


def test_sources_are_stored_canonical_and_clean(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        source_id, created = source_store.add_source(conn, "HTTPS://News.Example/feed#x", name="Daily\u202e Star\x02",
                                                     topics=["World\x00", "\u2066"])
        again, created_again = source_store.add_source(conn, "https://news.example/feed")
        row = conn.execute(sa.select(sources).where(sources.c.id == source_id)).one()
    assert created and not created_again and again == source_id
    assert (row.feed_url, row.name, row.topics) == ("https://news.example/feed", "Daily Star", ["World"])


def test_a_feed_cannot_set_a_hostile_site_url_after_a_check(engine: sa.Engine) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        source_id, _ = source_store.add_source(conn, "https://news.example/feed")
        with pytest.raises(UrlError):
            source_store.record_success(conn, source_id, now=now, next_check_at=now + timedelta(hours=1),
                                        interval=3600, etag=None, last_modified=None, site_url="javascript:alert(1)")
        source_store.record_success(conn, source_id, now=now, next_check_at=now + timedelta(hours=1), interval=3600,
                                    etag=None, last_modified=None, name="\u202eenilno", site_url="https://News.Example")
        row = conn.execute(sa.select(sources).where(sources.c.id == source_id)).one()
    assert (row.name, row.site_url) == ("enilno", "https://news.example/")


@pytest.mark.parametrize("column", ["url", "canonical_url", "image_url", "source_url"])
def test_an_article_url_that_is_not_http_is_refused_on_both_write_paths(engine: sa.Engine, column: str) -> None:
    values = {"title": "t", "text": "x", column: "javascript:alert(1)"}
    with engine.begin() as conn:
        with pytest.raises(UrlError):
            article_store.insert_article(conn, values)
        with pytest.raises(UrlError):
            store_deliveries(conn, [Delivery(values, None, None)])
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one() == 0


def test_article_text_is_stored_without_controls_bidi_overrides_or_sentinels(engine: sa.Engine) -> None:
    values = {"title": "Beirut \x02port\x03 strike\u202e ends\x1b[31m", "summary": "a\x00b\u2067c",
              "text": "one\r\ntwo\x85", "byline": "\u202dBy Sam\x07", "outlet": "Daily\x0b Star",
              "topics": ["world\x02", "\u202a"],
              "url": "https://news.example/a?utm_source=x", "image_url": "https://news.example/i.png"}
    with engine.begin() as conn:
        article_id = article_store.insert_article(conn, values)
        [stored] = store_deliveries(conn, [Delivery({**values, "url": "https://news.example/b"}, None, None)])
        rows = conn.execute(sa.select(articles).where(articles.c.id.in_([article_id, stored.article_id]))
                            .order_by(articles.c.id)).all()
    for row in rows:
        assert row.title == "Beirut port strike ends[31m" and row.summary == "abc" and row.text == "one\ntwo"
        assert (row.byline, row.outlet, row.topics) == ("By Sam", "Daily Star", ["world"])
    assert rows[0].url == "https://news.example/a"


def test_comments_are_stored_without_controls_or_bidi_overrides(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        user_id = create_user(conn, "sam", "a long password")
        story_id = conn.execute(stories.insert().values(title="s", languages=[], regions=[], topics=[])
                                ).inserted_primary_key[0]
        add_comment(conn, user_id, "I agree\u202e!won\x02\r\nsecond line\x00", story_id=story_id)
        [comment] = comments_on(conn, story_id=story_id)
    assert comment["body"] == "I agree!won\nsecond line"


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_migration_0010_removes_stored_hostile_urls_and_sentinels(backend: str, request: pytest.FixtureRequest) -> None:
    engine = connect(request.getfixturevalue("db_url" if backend == "sqlite" else "pg_url"))
    migrate(engine, ScriptDirectory.from_config(alembic_config(engine)).get_revision("0010").down_revision)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for id_, feed_url, site_url in ((1, "javascript:alert(1)", None), (2, "JaVaScRiPt:alert(2)", None),
                                        (3, "https://ok.example/feed", "data:text/html,x")):
            conn.execute(sources.insert().values(id=id_, feed_url=feed_url, site_url=site_url, topics=[],
                                                 added_at=now))
        conn.execute(articles.insert().values(id=1, url="javascript:alert(3)", image_url="javascript:alert(4)",
                                              canonical_url="https://ok.example/a", title="a \x02mark\x03",
                                              text="b\x02c", source_id=3, fetched_at=now, topics=[]))
        conn.execute(articles.insert().values(id=2, url=" https://ok.example/b", image_url="HTTPS://ok.example/i",
                                              title="plain", source_id=3, fetched_at=now, topics=[]))
    migrate(engine)
    with engine.connect() as conn:
        kept = conn.execute(sa.select(sources.c.id, sources.c.site_url)).all()
        rows = conn.execute(sa.select(articles.c.url, articles.c.image_url, articles.c.canonical_url,
                                      articles.c.title, articles.c.text).order_by(articles.c.id)).all()
    engine.dispose()
    assert [tuple(r) for r in kept] == [(3, None)]
    assert [tuple(r) for r in rows] == [(None, None, "https://ok.example/a", "a mark", "bc"),
                                        (" https://ok.example/b", "HTTPS://ok.example/i", None, "plain", "")]
