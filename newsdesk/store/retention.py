"""The retention policy's storage side: archiving articles older than a cutoff.

Archiving an article drops what grows with the number of articles and is needed only while its story is young:
the body (text and HTML), its vectors and near-duplicate signature, and its summary sentences. It keeps what
readers and reader apps still show: title, link, outlet, dates, feed summary, topics, story membership, read and
saved marks, comments, and the story's summary. Search keeps finding it by title and feed summary. Only
understood articles are archived (one still waiting for understanding needs its text).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from newsdesk.store.tables_ai import ai_article_sentences
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals, duplicate_bands


def _archivable(cutoff: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(articles.c.fetched_at < cutoff, articles.c.archived_at.is_(None),
                   articles.c.status == "understood")


def archivable_count(conn: sa.Connection, cutoff: datetime) -> int:
    """How many articles fetched before ``cutoff`` still carry their body."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(articles).where(_archivable(cutoff))).scalar_one())


def archive_batch(conn: sa.Connection, cutoff: datetime, now: datetime, limit: int) -> int:
    """Archive up to ``limit`` of the oldest articles fetched before ``cutoff``; returns how many."""
    ids = list(conn.execute(sa.select(articles.c.id).where(_archivable(cutoff))
                            .order_by(articles.c.fetched_at).limit(limit)).scalars())
    if not ids:
        return 0
    for table in (article_signals, duplicate_bands, ai_article_sentences):
        conn.execute(table.delete().where(table.c.article_id.in_(ids)))
    conn.execute(articles.update().where(articles.c.id.in_(ids)).values(text="", html=None, archived_at=now))
    return len(ids)
