"""Exact-duplicate identity of articles, UTC times and the export contract, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from newsdesk.store import articles as store
from newsdesk.store.tables_core import articles

TEXT = " ".join(f"word{i}" for i in range(80))


def test_content_hash_ignores_case_spacing_and_punctuation_but_not_words() -> None:
    assert store.content_hash(TEXT) == store.content_hash("  " + TEXT.upper().replace(" ", " ,\n "))
    assert store.content_hash(TEXT) != store.content_hash(TEXT + " extra")
    assert store.content_hash("too short to identify anything") is None


def test_times_come_back_aware_utc_and_naive_times_are_refused(engine: sa.Engine) -> None:
    beirut = timezone(timedelta(hours=3))
    with engine.begin() as conn:
        when = datetime(2026, 1, 2, 9, tzinfo=beirut)
        aid = store.insert_article(conn, {"title": "T", "text": "x", "published_at": when})
        got = conn.execute(sa.select(articles.c.published_at).where(articles.c.id == aid)).scalar_one()
    assert got == datetime(2026, 1, 2, 6, tzinfo=UTC) and got.tzinfo is not None
    with pytest.raises(sa.exc.StatementError, match="naive"), engine.begin() as conn:
        store.insert_article(conn, {"title": "T", "text": "y", "published_at": datetime(2026, 1, 2, 9)})


def test_export_rows_carry_the_contract_fields(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        store.insert_article(conn, {"external_id": "ext-1", "url": "https://a.example/x", "title": "T", "text": TEXT,
                                    "language": "en", "source_url": "https://a.example/feed",
                                    "published_at": datetime(2026, 1, 2, tzinfo=UTC)})
        rows = list(store.export_rows(conn))
    assert rows[0]["id"] == "ext-1" and rows[0]["source"] == "https://a.example/feed"
    assert rows[0]["published"] == "2026-01-02T00:00:00+00:00"
    assert {"id", "url", "title", "text", "language", "published", "source"} <= rows[0].keys()
