"""What the first run shows while the first ingest pass works: how far it got (articles and stories stored) and
whether the reader is still filling up (a source never checked yet, or articles waiting to be understood)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_understanding import stories


@dataclass(frozen=True)
class StoredCounts:
    """Articles stored, and stories made of them so far (merged stories not counted)."""

    articles: int
    stories: int


def stored_counts(conn: sa.Connection) -> StoredCounts:
    count_articles = sa.select(sa.func.count()).select_from(articles).scalar_subquery()
    count_stories = sa.select(sa.func.count()).where(stories.c.merged_into.is_(None)).scalar_subquery()
    found = conn.execute(sa.select(count_articles, count_stories)).one()
    return StoredCounts(articles=found[0], stories=found[1])


def ingest_pending(conn: sa.Connection) -> bool:
    """True while an active source has never been checked or an article waits for understanding."""
    unchecked = sa.exists().where(sources.c.last_checked_at.is_(None), sources.c.status != "disabled",
                                  sources.c.paused_at.is_(None))
    waiting = sa.exists().where(articles.c.status == "stored")
    return bool(conn.execute(sa.select(sa.or_(unchecked, waiting))).scalar())
