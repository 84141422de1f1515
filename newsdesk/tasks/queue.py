"""Pipeline tasks on a Huey queue: the scale-out mode (``NEWSDESK_QUEUE=redis``) and its workers.

Two queues, so that the one sequential stage stays sequential while the rest scales:

* ``newsdesk-ingest``: ``check_source(source_id, token)`` checks one source (fetch, parse, fetch pages, extract,
  store) and sends what it stored on to understanding. Run any number of ``newsdesk worker --role ingest`` on any
  machines.
* ``newsdesk-understand``: ``understand(ids)`` runs language, embeddings, dedup, clustering and summaries for these
  articles and every other one waiting at status ``stored`` (a backlog is understood in one batch, its stories'
  summaries refreshed once). Story clustering is sequential by nature (an article joins the stories formed before
  it), so one ``newsdesk worker --role understand`` consumes it, holding the ``understand`` lease while it works
  and keeping its indexes in memory between tasks (a second one waits for the lease).

Nothing is lost when a worker is killed, Redis restarts without its data or PostgreSQL restarts: a source check in
flight is claimed in the database and handed out again once its heartbeat stops (``dispatch.py``); a task that
fails is retried with a growing delay; articles stored and not understood stay at status ``stored`` and the
understand worker's sweep takes those older than ``queue_sweep_after``. Running a worker process (its sweep,
presence, failure counts, shutdown, outliving server restarts) is ``worker.py``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from newsdesk.config import Settings
from newsdesk.private_files import private_file
from newsdesk.store import leases as lease_store
from newsdesk.store.db import Engine, open_store
from newsdesk.tasks.dispatch import claimed_check, hand_out_due_sources
from newsdesk.tasks.extraction_pool import ExtractionPool
from newsdesk.tasks.ingest import fetch_pass_async
from newsdesk.tasks.leases import holder_id
from newsdesk.tasks.understanding import UnderstandingStage, understand_pending

log = logging.getLogger(__name__)
RETRIES, RETRY_DELAY, RETRY_BACKOFF = 6, 2.0, 2.0  # a failed task runs again after 2, 4, 8, 16, 32, 64 s


def _huey(settings: Settings, name: str) -> Huey:
    if settings.queue == "redis":
        return RedisHuey(name, url=settings.redis_url, utc=True, results=False)
    path = Path(settings.data_dir) / f"{name}.sqlite3"
    private_file(path)  # task payloads name sources and articles: kept like the database
    return SqliteHuey(name, filename=str(path), utc=True, results=False)


class WorkerState:
    """What a worker process keeps between tasks: one engine, (understand role) one UnderstandingStage, and (ingest
    role) one extraction pool shared by its task threads, not a pool started and stopped for every source."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.worker = holder_id()
        self._engine: Engine | None = None
        self._stage: UnderstandingStage | None = None
        self._lock = threading.Lock()
        self.extractor = ExtractionPool(settings)
        self.running: set[tuple[int, str]] = set()  # (source id, token) of the checks this process runs now

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = open_store(self.settings.database_url)
            return self._engine

    @property
    def stage(self) -> UnderstandingStage:
        engine = self.engine
        with self._lock:
            if self._stage is None:
                self._stage = UnderstandingStage(engine, self.settings)
            return self._stage

    def check(self, source_id: int, token: str) -> list[int]:
        """Check one source if this hand-out of it is still current; the ids of the articles it stored."""
        with claimed_check(self.engine, source_id, token, self.worker, self.settings.lease_seconds) as claimed:
            if not claimed:
                return []
            self.running.add((source_id, token))
            try:
                summary = asyncio.run(fetch_pass_async(self.engine, self.settings, source_ids=[source_id],
                                                       understand=False, extractor=self.extractor))
            finally:
                self.running.discard((source_id, token))
        return summary.new_ids

    def hand_back(self) -> int:
        """Give up the claims of checks still running (the worker is stopping): handed out again at the next tick."""
        running, now = list(self.running), datetime.now(UTC)
        if running:
            with self.engine.begin() as conn:
                for source_id, token in running:
                    lease_store.hand_back_check(conn, source_id, token, self.worker, now)
            log.info("handed back %d unfinished source checks", len(running))
        return len(running)


@dataclass
class Queues:
    """The two Huey instances and the task functions registered on them."""

    settings: Settings
    state: WorkerState
    ingest: Huey
    understand: Huey
    check_source: Callable[..., object]
    understand_articles: Callable[..., object]


def queue_pair(settings: Settings) -> tuple[Huey, Huey]:
    """The ingest and understand queues, without tasks (what ``status`` reads)."""
    return _huey(settings, "newsdesk-ingest"), _huey(settings, "newsdesk-understand")


def build_queues(settings: Settings) -> Queues:
    """Create the queues and register the tasks (the same code in producers and workers)."""
    ingest, understand = queue_pair(settings)
    state = WorkerState(settings)
    retry = {"retries": RETRIES, "retry_delay": RETRY_DELAY, "retry_backoff": RETRY_BACKOFF}

    @understand.task(name="understand", **retry)
    def understand_articles(ids: list[int]) -> int:
        # Everything at 'stored' comes along, in one time-ordered batch: the tasks queued behind this one then find
        # their articles understood, and the touched stories' summaries are refreshed once, not once per task.
        return understand_pending(state.engine, settings, ids, stage=state.stage)

    @ingest.task(name="check_source", **retry)
    def check_source(source_id: int, token: str) -> int:
        new_ids = state.check(source_id, token)
        if new_ids:
            understand_articles(new_ids)  # if Redis is away now, the sweep finds them at 'stored'
        return len(new_ids)

    return Queues(settings, state, ingest, understand, check_source, understand_articles)


def sweep_unfinished(state: WorkerState) -> int:
    """Understand articles a killed worker or a lost queue left behind (status 'stored' for longer than
    ``queue_sweep_after``)."""
    return understand_pending(state.engine, state.settings, stage=state.stage,
                              older_than=state.settings.queue_sweep_after)


def enqueue_due_sources(engine: Engine, queues: Queues) -> int:
    """Hand every due source not in flight to the ingest queue (``dispatch.py``); returns how many."""
    return hand_out_due_sources(engine, queues.settings.lease_seconds, queues.ingest.pending_count,
                                queues.check_source)
