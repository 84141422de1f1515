"""What ``newsdesk status`` and ``/metrics`` read about the pipeline: sources by scheduling state, checks in flight
per worker, and how far each stage lags behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from newsdesk.store.metadata import TZ
from newsdesk.store.tables_core import articles, sources


@dataclass(frozen=True)
class SourceCounts:
    """Sources by state: ``due`` waits for a check nobody has it yet; ``handed_out`` waits in the ingest queue;
    ``checking`` is being checked by a live worker."""

    total: int
    due: int
    handed_out: int
    checking: int
    failing: int
    disabled: int


def _due(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(sources.c.status != "disabled",
                   sa.or_(sources.c.next_check_at.is_(None), sources.c.next_check_at <= now))


def _checking(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(sources.c.leased_by.is_not(None), sources.c.leased_until >= now)


def source_counts(conn: sa.Connection, now: datetime) -> SourceCounts:
    handed_out = sa.and_(sources.c.lease_token.is_not(None), sources.c.leased_by.is_(None))

    def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = conn.execute(sa.select(
        sa.func.count(), count(sa.and_(_due(now), sources.c.lease_token.is_(None))), count(handed_out),
        count(_checking(now)), count(sources.c.status == "failing"), count(sources.c.status == "disabled"))).one()
    return SourceCounts(*(int(v) for v in row))


def checks_by_worker(conn: sa.Connection, now: datetime) -> dict[str, int]:
    """Source checks in flight, per worker (its holder name)."""
    return dict(conn.execute(sa.select(sources.c.leased_by, sa.func.count()).where(_checking(now))
                             .group_by(sources.c.leased_by)).all())


def oldest_due(conn: sa.Connection, now: datetime) -> datetime | None:
    """When the longest-waiting due source that nobody is checking came due (never-checked ones count from their
    addition)."""
    since = sa.func.coalesce(sources.c.next_check_at, sources.c.added_at)
    return conn.execute(sa.select(sa.func.min(since, type_=TZ)).where(_due(now), sa.not_(_checking(now)))).scalar()


def oldest_unfinished(conn: sa.Connection) -> datetime | None:
    """When the oldest article still waiting for understanding (status 'stored') was stored."""
    query = sa.select(sa.func.min(articles.c.fetched_at, type_=TZ)).where(articles.c.status == "stored")
    return conn.execute(query).scalar()


def unfinished_count(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).where(articles.c.status == "stored")).scalar_one()
