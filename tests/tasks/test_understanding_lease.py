"""Story assignment runs in one process at a time: stages of two processes that take turns on one database give
exactly the stories of one process restarted between the same batches (the later one rebuilds its indexes from the
database instead of working on stale ones and handing out story ids the other already used); a stage waits while
another process holds the understanding lease."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.store import articles as article_store
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles
from newsdesk.tasks.importer import read_lines
from newsdesk.tasks.leases import Lease
from newsdesk.tasks.understanding import LEASE_NAME, UnderstandingStage, understand_pending


def _stored_store(tmp_path: Path, name: str, corpus: Path) -> tuple[sa.Engine, list[list[int]]]:
    engine = open_store(f"sqlite:///{tmp_path / name}")
    with engine.begin() as conn:
        for _, row in read_lines(corpus):
            article_store.insert_article(conn, row)
    with engine.connect() as conn:
        ordered = article_store.ids_in_time_order(conn, list(conn.execute(sa.select(articles.c.id)).scalars()))
    third = len(ordered) // 3 + 1
    return engine, [ordered[i:i + third] for i in range(0, len(ordered), third)]


def _same_story_pairs(engine: sa.Engine) -> set[tuple[int, int]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(articles.c.id, articles.c.story_id)).all()
    members: dict[int, list[int]] = {}
    for article_id, story_id in rows:
        assert story_id is not None
        members.setdefault(story_id, []).append(article_id)
    return {pair for ids in members.values() for pair in itertools.combinations(sorted(ids), 2)}


@pytest.mark.slow
def test_two_processes_taking_turns_give_the_stories_of_one(tmp_path: Path, settings: Settings,
                                                             shared_dir: Path) -> None:
    lines = (shared_dir / "data/clustering-dev/uci-news-aggregator-first999.jsonl").read_text().splitlines()
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("\n".join(lines[:300]) + "\n")
    restarted, batches = _stored_store(tmp_path, "restarted.sqlite3", corpus)
    for batch in batches:  # one process, restarted before each batch: its indexes come from the database each time
        UnderstandingStage(restarted, settings)(batch)
    shared, batches = _stored_store(tmp_path, "shared.sqlite3", corpus)
    other_process = open_store(str(shared.url))
    first, second = UnderstandingStage(shared, settings), UnderstandingStage(other_process, settings)
    first(batches[0])
    second(batches[1])
    first(batches[2])  # the first process's indexes know nothing of the second batch's stories
    assert _same_story_pairs(shared) == _same_story_pairs(restarted)
    other_process.dispose()


def test_the_sweep_waits_while_another_process_holds_the_lease(engine: sa.Engine, settings: Settings) -> None:
    with engine.begin() as conn:
        article_store.insert_article(conn, {"title": "Harbour reopens", "text": "The harbour reopened on Monday."})
    other = Lease(engine, LEASE_NAME, ttl=settings.lease_seconds)
    other.acquire()
    sweeping = threading.Thread(target=understand_pending, args=(engine, settings))
    sweeping.start()
    sweeping.join(timeout=2.0)
    waited = sweeping.is_alive()
    other.release()
    sweeping.join()
    assert waited
    with engine.connect() as conn:
        assert conn.execute(sa.select(articles.c.status)).scalar_one() == "understood"
