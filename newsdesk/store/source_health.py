"""Feeds that stopped working, for the admin: failing sources (``schedule_failing_after`` errors in a row) with the
reason the last check gave, worst first."""

from __future__ import annotations

import sqlalchemy as sa

from newsdesk.store.tables_core import sources


def failing_sources(conn: sa.Connection, limit: int = 50) -> list[sa.Row]:
    """Failing sources (not paused): id, name, feed URL, error count, last error and last success."""
    return list(conn.execute(
        sa.select(sources.c.id, sources.c.name, sources.c.feed_url, sources.c.error_count, sources.c.last_error,
                  sources.c.last_success_at)
        .where(sources.c.status == "failing", sources.c.paused_at.is_(None))
        .order_by(sources.c.error_count.desc(), sources.c.id).limit(limit)))


def failing_count(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).where(sources.c.status == "failing",
                                                         sources.c.paused_at.is_(None))).scalar_one()
