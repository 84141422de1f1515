"""What each person has read and saved: marks on single articles, on a feed or a topic up to a time, and the lists
of unread and saved articles that reader apps synchronise.

An article with no row for a person is unread and not saved. Unread lists cover articles fetched within the last
``window`` only (news older than that counts as read), so a store of millions of articles still answers in one
indexed query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from newsdesk.store.read_models import json_list_has
from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_people import user_items

CHUNK = 500


def insert_missing(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """Insert rows, skipping those whose primary key exists already (also when a parallel request just added them):
    INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""
    if not rows:
        return
    dialect = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}.get(conn.dialect.name)
    if dialect is None:
        raise NotImplementedError(f"insert_missing: no ON CONFLICT support for {conn.dialect.name}")
    conn.execute(dialect(table).on_conflict_do_nothing(), rows)  # type: ignore[attr-defined]  # both dialects' Insert have it


def _upsert(conn: sa.Connection, user_id: int, article_ids: Sequence[int], **flags: bool) -> None:
    """Set ``flags`` (is_read / is_saved) on the person's rows of these articles, creating missing rows."""
    now = datetime.now(UTC)
    for start in range(0, len(article_ids), CHUNK):
        chunk = list(dict.fromkeys(article_ids[start:start + CHUNK]))
        existing = list(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
        insert_missing(conn, user_items, [{"user_id": user_id, "article_id": a, "is_read": False, "is_saved": False,
                                           "updated_at": now} for a in existing])
        mine = sa.and_(user_items.c.user_id == user_id, user_items.c.article_id.in_(existing))
        conn.execute(user_items.update().where(mine).values(updated_at=now, **flags))


def mark_read(conn: sa.Connection, user_id: int, article_ids: Sequence[int], read: bool = True) -> None:
    _upsert(conn, user_id, article_ids, is_read=read)


def mark_saved(conn: sa.Connection, user_id: int, article_ids: Sequence[int], saved: bool = True) -> None:
    _upsert(conn, user_id, article_ids, is_saved=saved)


def _window(window: timedelta) -> sa.ColumnElement[bool]:
    return articles.c.fetched_at >= datetime.now(UTC) - window


def _read_ids(user_id: int) -> sa.Select:
    return sa.select(user_items.c.article_id).where(user_items.c.user_id == user_id, user_items.c.is_read)


def _saved_ids(user_id: int) -> sa.Select:
    return sa.select(user_items.c.article_id).where(user_items.c.user_id == user_id, user_items.c.is_saved)


def is_read(user_id: int) -> sa.ColumnElement[bool]:
    """Articles the person has read."""
    return articles.c.id.in_(_read_ids(user_id))


def is_unread(user_id: int, window: timedelta) -> sa.ColumnElement[bool]:
    """Articles the person has not read, fetched within ``window`` (NOT EXISTS: an anti-join on both backends)."""
    read = sa.exists().where(user_items.c.user_id == user_id, user_items.c.article_id == articles.c.id,
                             user_items.c.is_read)
    return sa.and_(_window(window), ~read)


def is_saved(user_id: int) -> sa.ColumnElement[bool]:
    """Articles the person has saved."""
    return articles.c.id.in_(_saved_ids(user_id))


def mark_read_where(conn: sa.Connection, user_id: int, condition: sa.ColumnElement[bool], before: datetime,
                    window: timedelta) -> int:
    """Mark read every unread article matching ``condition`` fetched before ``before``; returns how many."""
    ids = list(conn.execute(sa.select(articles.c.id).where(
        condition, articles.c.source_id.is_not(None), articles.c.fetched_at <= before,
        is_unread(user_id, window))).scalars())
    mark_read(conn, user_id, ids)
    return len(ids)


def unread_ids(conn: sa.Connection, user_id: int, window: timedelta) -> list[int]:
    """Articles from a feed, fetched within ``window``, that the person has not read; oldest first."""
    query = (sa.select(articles.c.id).where(articles.c.source_id.is_not(None), is_unread(user_id, window))
             .order_by(articles.c.id))
    return list(conn.execute(query).scalars())


def saved_ids(conn: sa.Connection, user_id: int) -> list[int]:
    return list(conn.execute(_saved_ids(user_id).order_by(user_items.c.article_id)).scalars())


def states(conn: sa.Connection, user_id: int, article_ids: Sequence[int]) -> dict[int, tuple[bool, bool]]:
    """(read, saved) of the person's rows among ``article_ids`` (articles without a row are absent)."""
    query = sa.select(user_items.c.article_id, user_items.c.is_read, user_items.c.is_saved).where(
        user_items.c.user_id == user_id, user_items.c.article_id.in_(list(article_ids)))
    return {a: (bool(r), bool(s)) for a, r, s in conn.execute(query)}


def in_topic(topic: str | None) -> sa.ColumnElement[bool]:
    """Articles whose source carries ``topic`` (None: every article)."""
    if topic is None:
        return sa.true()
    return articles.c.source_id.in_(sa.select(sources.c.id).where(json_list_has(sources.c.topics, topic)))
