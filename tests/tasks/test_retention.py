"""The retention policy: articles past ``retention_days`` lose body, vectors and sentences, keep everything readers
still see (title, story, summary, search by title), and articles not yet understood are never archived."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from newsdesk.cli import main
from newsdesk.config import Settings
from newsdesk.search import SearchFilters, backend_for
from newsdesk.store.db import open_store
from newsdesk.store.tables_ai import ai_article_sentences, ai_summaries
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals, duplicate_bands
from newsdesk.tasks.retention import apply_retention, pending_archive
from newsdesk.web.app import create_app

CLI = str(Path(sys.executable).parent / "newsdesk")


@pytest.fixture
def aged_store(tmp_path: Path, shared_dir: Path, settings: Settings) -> tuple[sa.Engine, list[int], list[int]]:
    """30 imported articles; the first 15 fetched 100 days ago, one of the others left waiting at 'stored'."""
    rows = (shared_dir / "data/clustering-dev/meantime-dev.jsonl").read_text(encoding="utf-8").splitlines()[:30]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({k: v for k, v in json.loads(r).items() if k != "cluster"}) + "\n"
                           for r in rows), encoding="utf-8")
    assert main(["--db", settings.database_url, "import", str(src)]) == 0
    engine = open_store(settings.database_url)
    with engine.begin() as conn:
        ids = list(conn.execute(sa.select(articles.c.id).order_by(articles.c.id)).scalars())
        old, recent = ids[:15], ids[15:]
        conn.execute(articles.update().where(articles.c.id.in_(old))
                     .values(fetched_at=datetime.now(UTC) - timedelta(days=100)))
        conn.execute(articles.update().where(articles.c.id == old[0]).values(status="stored"))
    return engine, old, recent


def _rows_of(conn: sa.Connection, table: sa.Table, ids: list[int]) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(table).where(table.c.article_id.in_(ids))).scalar_one()


def test_old_articles_lose_bodies_and_vectors_and_keep_stories(aged_store, settings: Settings) -> None:
    engine, old, recent = aged_store
    policy = settings.replace(retention_days=30)
    with engine.connect() as conn:
        stories_before = dict(conn.execute(sa.select(articles.c.id, articles.c.story_id)).all())
        summaries_before = conn.execute(sa.select(sa.func.count()).select_from(ai_summaries)).scalar_one()
        recent_text = dict(conn.execute(sa.select(articles.c.id, articles.c.text)
                                        .where(articles.c.id.in_(recent))).all())
    assert apply_retention(engine, settings) == 0  # retention_days 0: nothing
    assert pending_archive(engine, policy) == 14
    assert apply_retention(engine, policy) == 14
    assert apply_retention(engine, policy) == 0
    archived = old[1:]
    with engine.connect() as conn:
        gone = conn.execute(sa.select(articles).where(articles.c.id.in_(archived))).all()
        assert all(row.text == "" and row.html is None and row.archived_at is not None for row in gone)
        for table in (article_signals, duplicate_bands, ai_article_sentences):
            assert _rows_of(conn, table, archived) == 0
        assert _rows_of(conn, article_signals, recent) == len(recent)
        waiting = conn.execute(sa.select(articles.c.text, articles.c.archived_at).where(articles.c.id == old[0])).one()
        assert waiting.text and waiting.archived_at is None  # not understood yet: kept whole
        assert dict(conn.execute(sa.select(articles.c.id, articles.c.story_id)).all()) == stories_before
        assert conn.execute(sa.select(sa.func.count()).select_from(ai_summaries)).scalar_one() == summaries_before
        assert dict(conn.execute(sa.select(articles.c.id, articles.c.text)
                                 .where(articles.c.id.in_(recent))).all()) == recent_text
        title = conn.execute(sa.select(articles.c.title).where(articles.c.id == archived[0])).scalar_one()
    hits = backend_for(engine).search(title, SearchFilters(), limit=50)
    assert archived[0] in {hit.article_id for hit in hits}
    with TestClient(create_app(settings, engine)) as client:
        page = client.get(f"/articles/{archived[0]}")
    assert page.status_code == 200
    assert "full text is no longer kept" in page.text


def test_retention_command_counts_then_archives(aged_store, settings: Settings) -> None:
    env = {**os.environ, "NEWSDESK_RETENTION_DAYS": "30"}
    dry = subprocess.run([CLI, "--db", settings.database_url, "retention", "--dry-run"], capture_output=True,
                         text=True, timeout=120, env=env)
    assert dry.returncode == 0 and "14 articles older than 30 days would be archived" in dry.stdout
    done = subprocess.run([CLI, "--db", settings.database_url, "retention"], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0 and "archived 14 articles" in done.stdout, done.stderr
