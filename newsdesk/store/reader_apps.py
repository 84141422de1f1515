"""What the reader-app protocols (Fever, Google Reader: ``newsdesk.web.readerapps``) read: the feeds, unread counts,
pages of article ids under a stream's conditions, and items.

A stream or a mark names a set of articles; its condition is built from :mod:`newsdesk.store.reading` (read,
unread, saved, in a topic) and the constructors here (every article, none, one feed's, all but a set), and handed
back to these functions or to :func:`newsdesk.store.reading.mark_read_where` without the protocol seeing SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, TypeAlias

import sqlalchemy as sa

from newsdesk.store.tables_core import articles, sources

Condition: TypeAlias = sa.ColumnElement[bool]  # a set of articles


class Feed(NamedTuple):
    """A source as reader apps list it."""

    id: int
    name: str | None
    feed_url: str
    site_url: str | None
    topics: list[str] | None
    added_at: datetime | None
    last_success_at: datetime | None


class Item(NamedTuple):
    """An article as reader apps show it, with its feed."""

    id: int
    title: str
    url: str | None
    html: str | None
    text: str
    byline: str | None
    outlet: str | None
    published_at: datetime | None
    fetched_at: datetime
    source_id: int
    name: str | None
    site_url: str | None
    feed_url: str
    topics: list[str] | None


def everything() -> Condition:
    return sa.true()


def nothing() -> Condition:
    return sa.false()


def from_feed(source_id: int) -> Condition:
    return articles.c.source_id == source_id


def all_but(condition: Condition) -> Condition:
    return sa.not_(condition)


def feeds(conn: sa.Connection) -> list[Feed]:
    """Every source, by id."""
    query = sa.select(sources.c.id, sources.c.name, sources.c.feed_url, sources.c.site_url, sources.c.topics,
                      sources.c.added_at, sources.c.last_success_at).order_by(sources.c.id)
    return [Feed._make(row) for row in conn.execute(query)]


def unread_by_feed(conn: sa.Connection, *unread: Condition) -> list[tuple[int, int, datetime]]:
    """(source id, unread articles, when the newest was fetched) per feed, of the articles meeting every condition."""
    query = (sa.select(articles.c.source_id, sa.func.count(), sa.func.max(articles.c.fetched_at))
             .where(articles.c.source_id.is_not(None), *unread)
             .group_by(articles.c.source_id))
    return [(source_id, count, newest) for source_id, count, newest in conn.execute(query)]


def unread_total(conn: sa.Connection, *unread: Condition) -> tuple[int, datetime | None]:
    """(feed articles meeting every condition, when the newest of them was fetched)."""
    count, newest = conn.execute(sa.select(sa.func.count(), sa.func.max(articles.c.fetched_at))
                                 .where(articles.c.source_id.is_not(None), *unread)).one()
    return int(count), newest


def newest_fetched(conn: sa.Connection) -> datetime | None:
    """When the newest article was fetched (None in an empty store)."""
    return conn.execute(sa.select(sa.func.max(articles.c.fetched_at))).scalar()


def feed_article_count(conn: sa.Connection) -> int:
    """Articles that came from a feed."""
    return conn.execute(sa.select(sa.func.count()).select_from(articles)
                        .where(articles.c.source_id.is_not(None))).scalar_one()


def page_ids(conn: sa.Connection, conditions: Sequence[Condition], *, oldest: datetime | None,
             newest: datetime | None, after: int | None, oldest_first: bool, count: int) -> list[int]:
    """Up to ``count`` ids of feed articles meeting every condition, fetched in [oldest, newest], past ``after``
    in the order asked (ids grow with time)."""
    where = [articles.c.source_id.is_not(None), *conditions]
    if oldest:
        where.append(articles.c.fetched_at >= oldest)
    if newest:
        where.append(articles.c.fetched_at <= newest)
    if after is not None:
        where.append(articles.c.id > after if oldest_first else articles.c.id < after)
    order = articles.c.id.asc() if oldest_first else articles.c.id.desc()
    return list(conn.execute(sa.select(articles.c.id).where(*where).order_by(order).limit(count)).scalars())


def items(conn: sa.Connection, article_ids: Sequence[int]) -> dict[int, Item]:
    """These articles (those from a feed) with their feed, by id."""
    query = (sa.select(articles.c.id, articles.c.title, articles.c.url, articles.c.html, articles.c.text,
                       articles.c.byline, articles.c.outlet, articles.c.published_at, articles.c.fetched_at,
                       articles.c.source_id, sources.c.name, sources.c.site_url, sources.c.feed_url, sources.c.topics)
             .join(sources, sources.c.id == articles.c.source_id).where(articles.c.id.in_(list(article_ids))))
    return {row.id: Item._make(row) for row in conn.execute(query)}


def fever_items(conn: sa.Connection, *, with_ids: list[int] | None, max_id: int | None, since_id: int,
                limit: int, only: Condition | None = None) -> list[Any]:
    """Feed articles (meeting ``only`` when given): those of ``with_ids``; else up to ``limit`` below ``max_id``
    (newest first); else up to ``limit`` above ``since_id`` (oldest first)."""
    query = sa.select(articles.c.id, articles.c.source_id, articles.c.title, articles.c.byline, articles.c.outlet,
                      articles.c.html, articles.c.text, articles.c.url, articles.c.published_at,
                      articles.c.fetched_at).where(articles.c.source_id.is_not(None))
    if only is not None:
        query = query.where(only)
    if with_ids is not None:
        query = query.where(articles.c.id.in_(with_ids)).order_by(articles.c.id)
    elif max_id is not None:
        query = query.where(articles.c.id < max_id).order_by(articles.c.id.desc()).limit(limit)
    else:
        query = query.where(articles.c.id > since_id).order_by(articles.c.id).limit(limit)
    return list(conn.execute(query).all())
