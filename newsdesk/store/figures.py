"""The store's figures for ``/metrics``: articles by pipeline status, sources by health, live stories, overdue
sources and when the newest article was fetched, read in one connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk.store.sources import schedulable
from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_understanding import stories


@dataclass(frozen=True)
class StoreFigures:
    """Counts over the store at one moment (``newest_fetched_at`` None while it holds no article)."""

    articles_by_status: list[tuple[str, int]]
    sources_by_status: list[tuple[str, int]]
    live_stories: int
    sources_overdue: int
    newest_fetched_at: datetime | None


def store_figures(engine: sa.Engine) -> StoreFigures:
    """The figures as they are now."""
    with engine.connect() as conn:
        return StoreFigures(
            articles_by_status=_counts(conn, articles.c.status),
            sources_by_status=_counts(conn, sources.c.status),
            live_stories=conn.execute(sa.select(sa.func.count()).select_from(stories)
                                      .where(stories.c.merged_into.is_(None))).scalar_one(),
            sources_overdue=conn.execute(sa.select(sa.func.count()).select_from(sources).where(
                schedulable(), sources.c.next_check_at < datetime.now(UTC))).scalar_one(),
            newest_fetched_at=conn.execute(sa.select(sa.func.max(articles.c.fetched_at))).scalar())


def _counts(conn: sa.Connection, column: sa.Column[str]) -> list[tuple[str, int]]:
    return [(value, count) for value, count in conn.execute(sa.select(column, sa.func.count()).group_by(column))]
