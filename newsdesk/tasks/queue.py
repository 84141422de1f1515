"""Pipeline tasks on a Huey queue: the scale-out mode (``NEWSDESK_QUEUE=redis``) and its workers.

Two queues, so that the one sequential stage stays sequential while the rest scales:

* ``newsdesk-ingest``: ``check_source(source_id)`` checks one source (fetch, parse, fetch pages, extract, store) and
  sends what it stored on to understanding. Run any number of ``newsdesk worker --role ingest`` on any machines.
* ``newsdesk-understand``: ``understand(ids)`` runs language, embeddings, dedup, clustering and summaries. Story
  clustering is sequential by nature (an article joins the stories formed before it), so exactly one
  ``newsdesk worker --role understand`` consumes it, keeping its indexes in memory between tasks.

Nothing is lost when a worker is killed: a task that died half-way leaves its articles at status ``stored``, and the
understand worker's periodic sweep picks up every such article; ingesting is idempotent, and a source whose check
died is simply due again when its lease ends.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from huey import Huey, RedisHuey, SqliteHuey, crontab

from newsdesk.config import Settings
from newsdesk.store.db import open_store
from newsdesk.store.sources import due_sources
from newsdesk.store.tables_core import sources
from newsdesk.tasks.extraction_pool import ExtractionPool
from newsdesk.tasks.ingest import fetch_pass_async
from newsdesk.tasks.understanding import UnderstandingStage, understand_pending

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)  # a source handed to a worker is not handed out again before this


def _huey(settings: Settings, name: str) -> Huey:
    if settings.queue == "redis":
        return RedisHuey(name, url=settings.redis_url, utc=True)
    path = Path(settings.data_dir) / f"{name}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), utc=True)


class _WorkerState:
    """What a worker process keeps between tasks: one engine, (understand role) one UnderstandingStage, and (ingest
    role) one extraction pool shared by its task threads, not a pool started and stopped for every source."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: sa.Engine | None = None
        self._stage: UnderstandingStage | None = None
        self.extractor = ExtractionPool(settings)

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            self._engine = open_store(self.settings.database_url)
        return self._engine

    @property
    def stage(self) -> UnderstandingStage:
        if self._stage is None:
            self._stage = UnderstandingStage(self.engine, self.settings)
        return self._stage

    def understand(self, ids: list[int]) -> None:
        self.stage(ids)


@dataclass
class Queues:
    """The two Huey instances and the task functions registered on them."""

    ingest: Huey
    understand: Huey
    check_source: object
    understand_articles: object
    sweep: object


def build_queues(settings: Settings) -> Queues:
    """Create the queues and register the tasks (the same code in producers and workers)."""
    ingest, understand = _huey(settings, "newsdesk-ingest"), _huey(settings, "newsdesk-understand")
    state = _WorkerState(settings)

    @understand.task(name="understand", retries=3, retry_delay=10)
    def understand_articles(ids: list[int]) -> int:
        state.understand(ids)
        return len(ids)

    @ingest.task(name="check_source", retries=2, retry_delay=30)
    def check_source(source_id: int) -> int:
        summary = asyncio.run(fetch_pass_async(state.engine, settings, source_ids=[source_id], understand=False,
                                               extractor=state.extractor))
        if summary.new_ids:
            understand_articles(summary.new_ids)
        return summary.new

    @understand.periodic_task(crontab(minute="*"), name="sweep")
    def sweep() -> int:
        return sweep_unfinished(state)

    return Queues(ingest, understand, check_source, understand_articles, sweep)


def sweep_unfinished(state: _WorkerState) -> int:
    """Understand articles a killed worker left behind (status 'stored' for longer than ``queue_sweep_after``)."""
    return understand_pending(state.engine, state.settings, stage=state.stage,
                              older_than=state.settings.queue_sweep_after)


def enqueue_due_sources(engine: sa.Engine, queues: Queues) -> int:
    """Hand every due source to the ingest queue, leasing it so the next scheduler tick does not hand it out again."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        due = due_sources(conn, now)
        for source in due:
            conn.execute(sources.update().where(sources.c.id == source.id).values(next_check_at=now + LEASE))
    for source in due:
        queues.check_source(source.id)
    return len(due)


def run_worker(settings: Settings, *, role: str = "ingest", workers: int = 2) -> None:
    """Consume one queue until interrupted (``newsdesk worker``)."""
    queues = build_queues(settings)
    huey = queues.understand if role == "understand" else queues.ingest
    count = 1 if role == "understand" else workers  # clustering is sequential: one consumer thread, always
    huey.create_consumer(workers=count, worker_type="thread", periodic=role == "understand").run()
