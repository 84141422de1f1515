"""The stages after storage: understand new articles in time order, refresh the summaries of touched stories, then
evaluate alerts on the new articles (``tasks/alerts.py``).

``UnderstandingStage`` keeps one ``Understanding`` (its indexes live in memory and are rebuilt from the database
when it starts, which costs up to a replay of the recent window), so a long-lived process (the embedded scheduler,
the understand worker) builds it once; one-shot commands use ``understand_new_articles``.

Story assignment must run in one process at a time, in both modes: two processes with their own in-memory indexes
would each miss the other's stories and hand out the same new story ids. The stage therefore works only while it
holds the ``understand`` lease (``tasks/leases.py``); a second process waits for it, and a process that takes the
lease after another held it rebuilds its indexes from the database before going on.

``understand_pending`` is the sweep, the one way work left behind is found: every pass of the embedded mode and the
understand worker's periodic sweep call it. An article stays at status ``stored`` until its understanding commits,
so whatever a killed process stored and never understood is found by status alone. Before handing the lease back
it looks again, so articles another process stored meanwhile are understood here instead of after a rebuild there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings
from newsdesk.store import articles as article_store
from newsdesk.store import grouping
from newsdesk.store.db import Engine
from newsdesk.tasks.alerts import alerts_after_understanding
from newsdesk.tasks.leases import Lease

log = logging.getLogger(__name__)
LEASE_NAME = "understand"


class UnderstandingStage:
    """Language, vectors, duplicates, stories, topics, then summaries, for batches of new articles."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.lease = Lease(engine, LEASE_NAME, settings.lease_seconds)
        self._understanding = None
        self._built_at: int | None = None  # the lease generation the in-memory indexes are in step with
        self._held: int | None = None  # the lease generation while this stage holds it
        self._lock = threading.RLock()  # a worker's task thread and its sweep thread share one stage

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Hold the understanding lease for the block (waiting for it if another process has it); re-entrant."""
        with self._lock:
            if self._held is not None:
                yield
                return
            with self.lease.held() as generation:
                self._held = generation
                try:
                    yield
                finally:
                    self._held = None

    def __call__(self, article_ids: Sequence[int]) -> set[int]:
        """Process the articles in time order; returns the ids of the stories they touched."""
        if not article_ids:
            return set()
        with self.holding():
            with self.engine.connect() as conn:
                ordered = article_store.ids_in_time_order(conn, list(article_ids), unfinished_only=True)
            if not ordered:
                return set()
            understanding = self._indexes()
            try:
                understanding.process(ordered, guard=self.lease.fence)
            except BaseException:
                self._understanding = None  # its indexes may hold articles of a batch that was rolled back
                raise
            with self.engine.connect() as conn:
                stories = {s for s in article_store.story_ids_of(conn, ordered) if s is not None}
            refresh_story_summaries(self.engine, self.settings, stories)
            alerts_after_understanding(self.engine, self.settings, ordered)
        return stories

    def _indexes(self):
        """The in-memory indexes, (re)built from the database unless they are in step with it."""
        if (self._understanding is None or self._built_at != self._held
                or self._understanding.constraints_version != self._constraints_version()):
            from newsdesk.understand.pipeline import Understanding  # heavy (model load): imported when needed

            if self._understanding is not None:
                log.info("another process understood articles, or a moderator corrected stories, since this one "
                         "built its story indexes: rebuilding them")
            self._understanding = Understanding(self.engine, self.settings)
            self._built_at = self._held
        return self._understanding

    def _constraints_version(self) -> tuple[int, int]:
        """Moderators' corrections as of now (a new one changed stored stories under the in-memory indexes)."""
        with self.engine.connect() as conn:
            return grouping.constraints_version(conn)


def understand_new_articles(engine: Engine, settings: Settings, article_ids: Sequence[int],
                            stage: UnderstandingStage | None = None) -> set[int]:
    """One-shot: understand the given articles (with the caller's long-lived stage when it has one)."""
    return (stage or UnderstandingStage(engine, settings))(article_ids)


def _left_behind(engine: Engine, older_than: float) -> list[int]:
    with engine.connect() as conn:
        return article_store.unfinished_ids(conn, stored_before=datetime.now(UTC) - timedelta(seconds=older_than))


def understand_pending(engine: Engine, settings: Settings, new_ids: Sequence[int] = (),
                       stage: UnderstandingStage | None = None, older_than: float = 0.0) -> int:
    """Understand ``new_ids`` and every article left at status 'stored' for more than ``older_than`` seconds (the
    sweep), looking again until nothing is left; returns how many articles were handed to the stage."""
    alerts_after_understanding(engine, settings, [])  # alert retries come due whether or not articles arrive
    ids = list(dict.fromkeys([*new_ids, *_left_behind(engine, older_than)]))
    if not ids:
        return 0  # nothing to do: the lease is not even asked for
    stage = stage or UnderstandingStage(engine, settings)
    done: set[int] = set()
    with stage.holding():
        while ids:
            swept = len(set(ids) - set(new_ids))
            if swept:
                log.info("sweep: understanding %d articles left at 'stored'", swept)
            stage(ids)
            done.update(ids)
            ids = [i for i in _left_behind(engine, older_than) if i not in done]
    return len(done)


def refresh_story_summaries(engine: Engine, settings: Settings, story_ids: set[int]) -> int:
    """Regenerate the summaries of stories that grew (the extractive engine is local and fast)."""
    if not story_ids:
        return 0
    from newsdesk.ai.summaries import refresh_summaries

    return refresh_summaries(engine, settings, sorted(story_ids))
