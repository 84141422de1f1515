"""Publishing times as stored: found in review, a feed's "Fri, 31 Dec 9999 23:59:59 GMT" (or a JSONL row's) was
stored as is and the article page answered 500 (date arithmetic past what a datetime holds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.store.articles import insert_article, plausible_published
from newsdesk.store.tables_core import articles


def test_future_and_placeholder_dates_are_made_plausible() -> None:
    now = datetime(2026, 12, 4, tzinfo=UTC)
    assert plausible_published(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), now) == now
    assert plausible_published(now + timedelta(hours=20), now) == now + timedelta(hours=20)
    assert plausible_published(datetime(1, 1, 1, tzinfo=UTC), now) is None
    assert plausible_published(datetime(2020, 5, 1, tzinfo=UTC), now) == datetime(2020, 5, 1, tzinfo=UTC)


def test_the_store_never_keeps_a_far_future_date(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        article_id = insert_article(conn, {"title": "From the future", "text": "x",
                                           "url": "https://future.example/a",
                                           "published_at": datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)})
        stored = conn.execute(sa.select(articles.c.published_at).where(articles.c.id == article_id)).scalar_one()
    assert stored.year == datetime.now(UTC).year
