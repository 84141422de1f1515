"""The stages after storage: understand new articles in time order, then refresh the summaries of touched stories.

``UnderstandingStage`` keeps one ``Understanding`` (its indexes live in memory and are rebuilt from the database
when it starts, which costs up to a replay of the recent window), so a long-lived process (the embedded scheduler,
the understand worker) builds it once; one-shot commands use ``understand_new_articles``.

``understand_pending`` is the sweep, the one way work left behind is found: every pass of the embedded mode and the
understand worker's periodic sweep call it. An article stays at status ``stored`` until its understanding commits,
so whatever a killed process stored and never understood is found by status alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.store import articles as article_store
from newsdesk.store.tables_core import articles

log = logging.getLogger(__name__)


class UnderstandingStage:
    """Language, vectors, duplicates, stories, topics, then summaries, for batches of new articles."""

    def __init__(self, engine: sa.Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self._understanding = None

    def __call__(self, article_ids: Sequence[int]) -> set[int]:
        """Process the articles in time order; returns the ids of the stories they touched."""
        if not article_ids:
            return set()
        if self._understanding is None:
            from newsdesk.understand.pipeline import Understanding  # heavy (model load): imported when needed

            self._understanding = Understanding(self.engine, self.settings)
        with self.engine.connect() as conn:
            ordered = article_store.ids_in_time_order(conn, list(article_ids))
        self._understanding.process(ordered)
        with self.engine.connect() as conn:
            stories = {s for s in _story_ids(conn, ordered) if s is not None}
        refresh_story_summaries(self.engine, self.settings, stories)
        return stories


def understand_new_articles(engine: sa.Engine, settings: Settings, article_ids: Sequence[int],
                            stage: UnderstandingStage | None = None) -> set[int]:
    """One-shot: understand the given articles (with the caller's long-lived stage when it has one)."""
    return (stage or UnderstandingStage(engine, settings))(article_ids)


def understand_pending(engine: sa.Engine, settings: Settings, new_ids: Sequence[int] = (),
                       stage: UnderstandingStage | None = None, older_than: float = 0.0) -> int:
    """Understand ``new_ids`` and every article left at status 'stored' for more than ``older_than`` seconds (the
    sweep); returns how many articles were handed to the stage."""
    cutoff = datetime.now(UTC) - timedelta(seconds=older_than)
    with engine.connect() as conn:
        left = article_store.unfinished_ids(conn, stored_before=cutoff)
    ids = list(dict.fromkeys([*new_ids, *left]))
    swept = len(ids) - len(new_ids)
    if swept > 0:
        log.info("sweep: understanding %d articles left at 'stored'", swept)
    if ids:
        (stage or UnderstandingStage(engine, settings))(ids)
    return len(ids)


def _story_ids(conn: sa.Connection, ids: list[int]) -> list[int | None]:
    out: list[int | None] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        out += conn.execute(sa.select(articles.c.story_id).where(articles.c.id.in_(chunk))).scalars().all()
    return out


def refresh_story_summaries(engine: sa.Engine, settings: Settings, story_ids: set[int]) -> int:
    """Regenerate the summaries of stories that grew (the extractive engine is local and fast)."""
    if not story_ids:
        return 0
    from newsdesk.ai.summaries import refresh_summaries

    return refresh_summaries(engine, settings, sorted(story_ids))
