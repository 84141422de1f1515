"""The store the reader-app API tests share (Fever, Google Reader): two feeds with topics, 120 recent articles and
one a month old, two accounts; on a SQLite file and on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles, sources
from newsdesk.store.users import create_user

ARTICLES = 120


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def reader_engine(request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """The same tests on a SQLite file and on a fresh PostgreSQL database."""
    url = request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url")
    engine = open_store(url)
    yield engine
    engine.dispose()


@pytest.fixture
def reader_store(reader_engine: sa.Engine) -> dict[str, int]:
    """Two feeds (topics science and sport), one article a month old, then 120 recent ones alternating between the
    feeds, stored in the order they were fetched (ids grow with time, as in a real store): "Report 0" is newest."""
    now = datetime.now(UTC)
    with reader_engine.begin() as conn:
        ids = {topic: conn.execute(sources.insert().values(
            feed_url=f"https://{topic}.example/feed", site_url=f"https://{topic}.example/", name=topic.title(),
            topics=[topic], added_at=now)).inserted_primary_key[0] for topic in ("science", "sport")}
        conn.execute(articles.insert().values(title="Old news", text="Old.", url="https://x.example/old",
                                              source_id=ids["sport"], fetched_at=now - timedelta(days=30)))
        rows = [{"title": f"Report {n}", "text": f"Paragraph one of {n}.\nParagraph two.",
                 "url": f"https://x.example/{n}", "source_id": ids["science" if n % 2 else "sport"],
                 "fetched_at": now - timedelta(minutes=n), "published_at": now - timedelta(minutes=n),
                 "byline": "A. Writer"} for n in reversed(range(ARTICLES))]
        conn.execute(articles.insert(), rows)
        for name in ("ana", "ben"):
            create_user(conn, name, f"{name}-password")
    return ids


