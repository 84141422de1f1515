"""Queries on sources: add, list, due for a check, record the outcome of a check, and what an admin changes (edit,
pause and resume, refresh now, remove).

A paused source (``paused_at`` set) is never due. Removing a source deletes its row and its feed links; the
articles it delivered stay (stories, comments and readers' marks refer to them), with no source.

Whatever path a source comes by, its feed and site URLs must pass :func:`newsdesk.text.urls.checked_url` here
(:class:`UrlError` otherwise; stored in canonical spelling) and its name and topics are cleaned of control
characters and bidi overrides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.store.db import inserted_id
from newsdesk.store.tables_core import article_feeds, articles, sources
from newsdesk.text.codes import language_code, region_code
from newsdesk.text.display import clean_all, clean_optional
from newsdesk.text.urls import checked_url

CHECK_ENDED = {"lease_token": None, "leased_by": None, "leased_until": None}  # a scale-out check's claim, cleared


@dataclass(frozen=True)
class SourceRow:
    """A source as the pipeline sees it."""

    id: int
    feed_url: str
    kind: str
    site_url: str | None
    name: str | None
    language: str | None
    region: str | None
    topics: list[str]
    etag: str | None
    last_modified: str | None
    error_count: int
    status: str


def _row(r: sa.Row) -> SourceRow:
    return SourceRow(r.id, r.feed_url, r.kind, r.site_url, r.name, r.language, r.region, list(r.topics or []),
                     r.etag, r.last_modified, r.error_count, r.status)


def add_source(conn: sa.Connection, feed_url: str, *, kind: str = "feed", name: str | None = None,
               site_url: str | None = None, language: str | None = None, region: str | None = None,
               topics: Sequence[str] = ()) -> tuple[int, bool]:
    """Insert a source unless its feed URL is known; returns (id, created). Known sources get missing fields filled.
    Raises :class:`newsdesk.text.urls.UrlError` when the feed or site URL is not http(s)."""
    feed_url = checked_url(feed_url)
    site_url = checked_url(site_url) if site_url else None
    name, language, region = clean_optional(name), language_code(language), region_code(region)
    topics = clean_all(topics)
    existing = conn.execute(sa.select(sources).where(sources.c.feed_url == feed_url)).first()
    if existing is not None:
        offered = {"name": name, "site_url": site_url, "language": language, "region": region}
        fill: dict[str, Any] = {k: v for k, v in offered.items() if v and not getattr(existing, k)}
        if topics and not existing.topics:
            fill["topics"] = list(topics)
        if fill:
            conn.execute(sources.update().where(sources.c.id == existing.id).values(**fill))
        return existing.id, False
    result = conn.execute(sources.insert().values(
        feed_url=feed_url, kind=kind, name=name, site_url=site_url, language=language, region=region,
        topics=list(topics), added_at=datetime.now(UTC)))
    return inserted_id(result), True


def list_sources(conn: sa.Connection) -> list[sa.Row]:
    """Every source with its health columns, by name."""
    return list(conn.execute(sa.select(sources).order_by(sa.func.lower(sa.func.coalesce(sources.c.name,
                                                                                          sources.c.feed_url)))))


def schedulable() -> sa.ColumnElement[bool]:
    """Sources the scheduler may check at all: neither disabled nor paused."""
    return sa.and_(sources.c.status != "disabled", sources.c.paused_at.is_(None))


def next_checks(conn: sa.Connection) -> tuple[datetime | None, int]:
    """When the soonest scheduled check of a schedulable source is, and how many have never been scheduled."""
    soonest = conn.execute(sa.select(sa.func.min(sources.c.next_check_at)).where(schedulable())).scalar()
    never = conn.execute(sa.select(sa.func.count()).where(sources.c.next_check_at.is_(None), schedulable())).scalar()
    return soonest, never or 0


def due_sources(conn: sa.Connection, now: datetime, limit: int | None = None) -> list[SourceRow]:
    """Sources whose next check time has come (or that were never checked), oldest first; disabled or paused
    ones never."""
    query = (sa.select(sources)
             .where(schedulable())
             .where(sa.or_(sources.c.next_check_at.is_(None), sources.c.next_check_at <= now))
             .order_by(sources.c.next_check_at.is_not(None), sources.c.next_check_at, sources.c.id))
    if limit:
        query = query.limit(limit)
    return [_row(r) for r in conn.execute(query)]


def get_source(conn: sa.Connection, source_id: int) -> SourceRow | None:
    row = conn.execute(sa.select(sources).where(sources.c.id == source_id)).first()
    return _row(row) if row else None


def record_success(conn: sa.Connection, source_id: int, *, now: datetime, next_check_at: datetime,
                   interval: int, etag: str | None, last_modified: str | None, **fields: Any) -> None:
    """A check that worked (200 or 304): error count cleared, validators kept, next check scheduled, claim ended.
    Fields the feed states (``site_url``, ``name``, ``language``...) are held to the same rules as in
    :func:`add_source`."""
    if fields.get("site_url"):
        fields["site_url"] = checked_url(fields["site_url"])
    for text_field in ("name", "language"):
        if isinstance(fields.get(text_field), str):
            fields[text_field] = clean_optional(fields[text_field])
    values: dict[str, Any] = {"last_checked_at": now, "last_success_at": now, "error_count": 0, "status": "active",
                              "last_error": None, "next_check_at": next_check_at, "interval_seconds": interval,
                              **CHECK_ENDED}
    if etag is not None or last_modified is not None:
        values.update(etag=etag, last_modified=last_modified)
    values.update({k: v for k, v in fields.items() if v is not None})
    conn.execute(sources.update().where(sources.c.id == source_id).values(**values))


def record_failure(conn: sa.Connection, source_id: int, *, now: datetime, error: str, next_check_at: datetime,
                   interval: int, failing_after: int) -> None:
    """A check that failed: the error is kept and counted; after ``failing_after`` in a row the source is 'failing'
    (its claim ends too: the retry is the next check, at the backed-off time)."""
    count = (conn.execute(sa.select(sources.c.error_count).where(sources.c.id == source_id)).scalar_one() or 0) + 1
    conn.execute(sources.update().where(sources.c.id == source_id).values(
        last_checked_at=now, last_error_at=now, last_error=error[:2000], error_count=count,
        status="failing" if count >= failing_after else "active", next_check_at=next_check_at,
        interval_seconds=interval, **CHECK_ENDED))


def source_detail(conn: sa.Connection, source_id: int) -> dict[str, Any] | None:
    """Every column of one source (health included), or None."""
    row = conn.execute(sa.select(sources).where(sources.c.id == source_id)).first()
    return dict(row._mapping) if row else None


def update_source(conn: sa.Connection, source_id: int, *, name: str | None, language: str | None,
                  region: str | None, topics: Sequence[str]) -> bool:
    """Set what an admin edits (None clears a field); False when there is no such source."""
    result = conn.execute(sources.update().where(sources.c.id == source_id).values(
        name=clean_optional(name), language=language_code(language), region=region_code(region),
        topics=clean_all(topics)))
    return result.rowcount > 0


def pause_source(conn: sa.Connection, source_id: int, now: datetime) -> bool:
    """Stop checking a source until it is resumed (a pause already in force keeps its time)."""
    result = conn.execute(sources.update().where(sources.c.id == source_id, sources.c.paused_at.is_(None))
                          .values(paused_at=now))
    return result.rowcount > 0


def resume_source(conn: sa.Connection, source_id: int) -> bool:
    """Check a paused source again, on its schedule (at once when its next check time passed during the pause)."""
    result = conn.execute(sources.update().where(sources.c.id == source_id, sources.c.paused_at.is_not(None))
                          .values(paused_at=None))
    return result.rowcount > 0


def refresh_source(conn: sa.Connection, source_id: int, now: datetime) -> bool:
    """Make a source due now, so the next scheduler step checks it; False when it is missing or paused."""
    result = conn.execute(sources.update().where(sources.c.id == source_id, sources.c.paused_at.is_(None))
                          .values(next_check_at=now))
    return result.rowcount > 0


def articles_delivered(conn: sa.Connection, source_id: int) -> int:
    """How many stored articles came from a source."""
    return conn.execute(sa.select(sa.func.count()).select_from(articles)
                        .where(articles.c.source_id == source_id)).scalar_one()


def remove_source(conn: sa.Connection, source_id: int) -> int | None:
    """Delete a source, its schedule and its feed links; its articles stay, without a source. Returns how many
    articles were kept, or None when there is no such source."""
    if conn.execute(sa.select(sources.c.id).where(sources.c.id == source_id)).first() is None:
        return None
    kept = conn.execute(articles.update().where(articles.c.source_id == source_id).values(source_id=None)).rowcount
    conn.execute(article_feeds.delete().where(article_feeds.c.source_id == source_id))
    conn.execute(sources.delete().where(sources.c.id == source_id))
    return kept
