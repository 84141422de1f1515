"""PostgreSQL tsvector search on a real server (NEWSDESK_TEST_POSTGRES_URL): the same behaviour as FTS5."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from newsdesk.search import SearchFilters, backend_for
from newsdesk.search.highlight import to_html
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine(pg_url: str) -> sa.Engine:
    engine = open_store(pg_url)
    yield engine
    engine.dispose()


def insert(engine: sa.Engine, **values: object) -> int:
    row = {"title": "", "text": "", "fetched_at": datetime(2026, 11, 24, tzinfo=UTC), "topics": [], **values}
    with engine.begin() as conn:
        return conn.execute(articles.insert().values(**row)).inserted_primary_key[0]


def test_postgres_search_matches_filters_and_highlights(pg_engine: sa.Engine) -> None:
    title = insert(pg_engine, title="Ceasefire talks resume", text="Negotiators meet <b>again</b>.", language="en",
                   region="LB", outlet="Nahar Net")
    body = insert(pg_engine, title="Weather", text="Ceasefire mentioned once in a long text.", language="fr")
    search = backend_for(pg_engine)
    hits = search.search("ceasefire", SearchFilters())
    assert [h.article_id for h in hits] == [title, body]
    assert [h.article_id for h in search.search("cease", SearchFilters())] == [title, body]  # prefix
    assert [h.article_id for h in search.search("ceasefire", SearchFilters(language="fr"))] == [body]
    assert [h.article_id for h in search.search("ceasefire", SearchFilters(outlet="Nahar Net"))] == [title]
    assert "<mark>Ceasefire</mark>" in str(to_html(hits[0].title_marked))
    assert search.search("negotiators again", SearchFilters())[0].article_id == title
    snippet = str(to_html(search.search("again", SearchFilters())[0].snippet_marked))
    assert "<mark>again</mark>" in snippet and "<b>" not in snippet  # ts_headline drops tags; the rest is escaped
    with pg_engine.connect() as conn:
        indexes = conn.exec_driver_sql("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_search' "
                                       "AND schemaname = current_schema()").scalars().all()
    assert len(indexes) == 1 and "gin" in indexes[0].lower()
