"""The stages after storage: understand new articles in time order, then refresh the summaries of touched stories."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.store import articles as article_store
from newsdesk.store.tables_core import articles

log = logging.getLogger(__name__)


def understand_new_articles(engine: sa.Engine, settings: Settings, article_ids: Sequence[int]) -> set[int]:
    """Language, vectors, duplicates, stories and topics for the given articles; returns the stories touched."""
    if not article_ids:
        return set()
    from newsdesk.understand.pipeline import Understanding  # heavy (model load): imported when there is work

    with engine.connect() as conn:
        ordered = article_store.ids_in_time_order(conn, list(article_ids))
    Understanding(engine, settings).process(ordered)
    with engine.connect() as conn:
        stories = {s for s in _story_ids(conn, ordered) if s is not None}
    refresh_story_summaries(engine, settings, stories)
    return stories


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
