"""The ingest pass's write-behind: batches by size and by delay, and a batch that meets a concurrent writer's row is
stored one by one without losing an article (real SQLite file; PostgreSQL when NEWSDESK_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from newsdesk.store import articles as one_by_one
from newsdesk.store.article_batches import Delivery
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles
from newsdesk.tasks.article_writer import ArticleWriter


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, db_url: str) -> sa.Engine:
    engine = open_store(db_url if request.param == "sqlite" else request.getfixturevalue("pg_url"))
    yield engine
    engine.dispose()


def _delivery(i: int) -> Delivery:
    text = " ".join(f"w{i}-{k}" for k in range(50))
    return Delivery({"url": f"https://a.example/{i}", "title": f"T{i}", "text": text}, None, None)


def test_articles_are_stored_in_batches_of_the_given_size(store: sa.Engine) -> None:
    writer = ArticleWriter(store, batch_size=4, max_delay=60)

    async def run() -> list:
        waiting = [asyncio.ensure_future(writer.store(_delivery(i))) for i in range(9)]
        for _ in range(3):  # let every task queue its delivery and the stored ones resume
            await asyncio.sleep(0)
        done = [w for w in waiting if w.done()]
        last = await writer.store(_delivery(9), now=True)
        return [len(done), *(await asyncio.gather(*waiting)), last]

    done_early, *stored = asyncio.run(run())
    assert done_early == 8 and writer.batches == 3  # 4 + 4 at once, then the rest when told it is the last
    assert all(s.new for s in stored) and len({s.article_id for s in stored}) == 10


def test_a_lone_article_is_stored_after_the_delay(store: sa.Engine) -> None:
    writer = ArticleWriter(store, batch_size=64, max_delay=0.05)
    stored = asyncio.run(asyncio.wait_for(writer.store(_delivery(1)), timeout=30))
    with store.connect() as conn:
        assert conn.execute(sa.select(articles.c.url).where(articles.c.id == stored.article_id)).scalar_one() == \
            "https://a.example/1"


def test_a_row_written_by_another_process_mid_batch_costs_no_article(store: sa.Engine) -> None:
    other = sa.create_engine(store.url)
    state = {"raced": False, "rival": None}

    def rival_writes_first(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ARTICLES") and not state["raced"]:
            state["raced"] = True  # between the batch's lookup and its insert, another worker stores article 2
            with other.begin() as rival:
                state["rival"] = one_by_one.insert_article(rival, {"url": "https://a.example/2", "text": "theirs"})

    sa.event.listen(store, "before_cursor_execute", rival_writes_first)
    writer = ArticleWriter(store, batch_size=4, max_delay=60)

    async def run() -> list:
        return list(await asyncio.gather(*(writer.store(_delivery(i)) for i in range(4))))

    stored = asyncio.run(run())
    other.dispose()
    assert state["raced"] and stored[2].article_id == state["rival"] and not stored[2].new
    assert [s.new for i, s in enumerate(stored) if i != 2] == [True, True, True]
    with store.connect() as conn:
        urls = conn.execute(sa.select(articles.c.url)).scalars().all()
    assert sorted(urls) == [f"https://a.example/{i}" for i in range(4)]
