"""Top stories by coverage and freshness (issue 13): an hour-old story covered eleven times outranks stories that
were bigger three days ago (whose trend score, kept as of their last article, is higher), and pages do not repeat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.store import read_models
from newsdesk.store.story_ranking import latest_stories, rank_value, ranked_stories
from newsdesk.store.tables_understanding import stories

NOW = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)


def _story(conn: sa.Connection, title: str, hours_ago: float, articles: int, outlets: int, trend: float) -> int:
    when = NOW - timedelta(hours=hours_ago)
    return conn.execute(stories.insert().values(
        title=title, first_seen_at=when - timedelta(hours=5), last_seen_at=when, article_count=articles,
        outlet_count=outlets, languages=["en"], regions=[], topics=["world"], trend_score=trend,
    )).inserted_primary_key[0]


def test_an_hour_old_eleven_article_story_beats_three_day_old_ones(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        stale = [_story(conn, f"Big three days ago {i}", 72 + i, 30, 12, 9.0) for i in range(5)]
        fresh = _story(conn, "Eleven articles this hour", 1, 11, 6, 4.0)
    with engine.connect() as conn:
        page = ranked_stories(conn, limit=3, now=NOW)
        first = read_models.top_stories(conn, limit=3)
    assert page.stories[0]["id"] == fresh and page.more
    assert first[0]["id"] == fresh  # the home page's, API's and feeds' first page (ranked at the real now)
    assert {s["id"] for s in page.stories[1:]} <= set(stale)


def test_more_coverage_wins_at_the_same_age_and_freshness_halves_each_half_life() -> None:
    wide = rank_value(outlets=10, articles=12, trend=3.0, age_hours=2, half_life_hours=12)
    narrow = rank_value(outlets=2, articles=2, trend=1.0, age_hours=2, half_life_hours=12)
    assert wide > narrow
    later = rank_value(outlets=10, articles=12, trend=3.0, age_hours=14, half_life_hours=12)
    assert abs((wide - later) - 0.6931471805599453) < 1e-9


def test_pages_of_ranked_and_latest_stories_cover_every_story_once(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        ids = {_story(conn, f"Story {i}", i * 3.5, 1 + i % 7, 1 + i % 4, float(i % 5)) for i in range(23)}
    for lister in (lambda c, o: ranked_stories(c, limit=5, offset=o, now=NOW),
                   lambda c, o: latest_stories(c, limit=5, offset=o)):
        seen, offset, more = [], 0, True
        with engine.connect() as conn:
            while more:
                page = lister(conn, offset)
                seen += [s["id"] for s in page.stories]
                offset, more = offset + 5, page.more
        assert len(seen) == len(set(seen)) == len(ids) and set(seen) == ids
