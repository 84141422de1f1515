"""The whole ingest path against the demo newswire on loopback: four feed formats and a news sitemap, pages with
chrome, tracking parameters, conditional GET on the second pass, wire copies, and the understanding stages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.demo.server import DemoNewswire  # the `wire` fixture (tests/conftest.py) serves it
from newsdesk.serve import add_demo_sources
from newsdesk.store.tables_core import article_feeds, articles, sources
from newsdesk.tasks.ingest import fetch_pass

CHROME = ("Orange background", "DOWNLOAD THE APP", "app-store", "We use cookies", "No comments yet", "time37 minutes")


def _fast(settings: Settings) -> Settings:
    return settings.replace(fetch_per_host_delay=0.0, fetch_per_host_concurrency=4)


@pytest.mark.slow
def test_first_pass_stores_every_feed_entry_once_and_the_second_stores_nothing(
        engine: sa.Engine, settings: Settings, wire: DemoNewswire) -> None:
    settings = _fast(settings)
    add_demo_sources(engine, wire.sources())
    first = fetch_pass(engine, settings)
    assert first.failed == 0, first.errors
    assert first.new >= 400 and first.page_errors == 0
    with engine.connect() as conn:
        rows = conn.execute(sa.select(articles)).all()
        feeds_per_article = conn.execute(sa.select(sa.func.count()).select_from(article_feeds)).scalar()
        health = conn.execute(sa.select(sources.c.status, sources.c.error_count, sources.c.next_check_at)).all()
    assert len(rows) == first.new and first.new + first.duplicates == first.entries
    assert feeds_per_article >= len(rows)  # every article is linked to the feed(s) that delivered it
    assert all("utm_" not in (r.url or "") for r in rows), "tracking parameters must be stripped"
    assert {r.language for r in rows} >= {"en", "es", "it", "nl"}
    assert all(r.published_at is not None and r.published_at.tzinfo is not None for r in rows)
    assert sum(1 for r in rows if r.byline) > 0.9 * len(rows)
    for chrome in CHROME:
        assert not any(chrome in r.text for r in rows), f"site chrome {chrome!r} leaked into article text"
    assert all(s.status == "active" and s.error_count == 0 and s.next_check_at is not None for s in health)

    # Everything is due again at once: the feeds answer 304 and nothing new is stored.
    with engine.begin() as conn:
        conn.execute(sources.update().values(next_check_at=None))
    second = fetch_pass(engine, settings)
    assert second.new == 0 and second.not_modified == len(health)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar() == len(rows)


@pytest.mark.slow
def test_understanding_runs_in_the_pass_wire_copies_are_duplicates(
        engine: sa.Engine, settings: Settings, wire: DemoNewswire) -> None:
    add_demo_sources(engine, wire.sources())
    fetch_pass(engine, _fast(settings))
    with engine.connect() as conn:
        rows = conn.execute(sa.select(articles.c.id, articles.c.status, articles.c.story_id, articles.c.duplicate_of,
                                      articles.c.outlet)).all()
    assert all(r.status == "understood" and r.story_id is not None for r in rows)
    copies = [r for r in rows if r.duplicate_of is not None]
    assert copies, "the demo's wire copies must be recognised as near-duplicates"
    by_id = {r.id: r for r in rows}
    assert all(by_id[c.duplicate_of].story_id == c.story_id for c in copies)
