"""Stories in reader apps: each account's choice to fold wire copies into one item, the ``Stories`` stream (one item
per story: its representative article), the other outlets an item stands for, and read marks that reach the copies.

A wire copy is an article with ``duplicate_of`` set (the near-duplicate index found its original). Folded, a reader
app sees only originals; marking an original read marks its copies read, so the unread counts agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa

from newsdesk.store import reading
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_grouping import reader_app_options
from newsdesk.store.tables_understanding import stories

CHUNK = 500
MAX_OUTLETS = 12  # other outlets listed in one item


def folds_copies(conn: sa.Connection, user_id: int) -> bool:
    """Whether the account folds wire copies in reader apps (off unless chosen)."""
    return bool(conn.execute(sa.select(reader_app_options.c.fold_copies)
                             .where(reader_app_options.c.user_id == user_id)).scalar())


def set_fold_copies(conn: sa.Connection, user_id: int, on: bool) -> None:
    reading.insert_missing(conn, reader_app_options, [{"user_id": user_id, "fold_copies": on}])
    conn.execute(reader_app_options.update().where(reader_app_options.c.user_id == user_id).values(fold_copies=on))


def is_original() -> sa.ColumnElement[bool]:
    """Articles that are not wire copies of another."""
    return articles.c.duplicate_of.is_(None)


def is_story_item() -> sa.ColumnElement[bool]:
    """The articles that stand for a story in the Stories stream: each live story's representative."""
    return articles.c.id.in_(sa.select(stories.c.representative_article_id).where(
        stories.c.merged_into.is_(None), stories.c.article_count > 0,
        stories.c.representative_article_id.is_not(None)))


def with_copies(conn: sa.Connection, article_ids: Sequence[int]) -> list[int]:
    """The articles and every wire copy of them."""
    ids = list(dict.fromkeys(article_ids))
    for start in range(0, len(article_ids), CHUNK):
        chunk = list(article_ids[start:start + CHUNK])
        ids += conn.execute(sa.select(articles.c.id).where(articles.c.duplicate_of.in_(chunk))).scalars().all()
    return list(dict.fromkeys(ids))


def unread_originals(conn: sa.Connection, user_id: int, window: timedelta) -> list[int]:
    """Like ``reading.unread_ids``, wire copies left out."""
    query = (sa.select(articles.c.id).where(articles.c.source_id.is_not(None), is_original(),
                                            reading.is_unread(user_id, window)).order_by(articles.c.id))
    return list(conn.execute(query).scalars())


def other_outlets(conn: sa.Connection, article_ids: Sequence[int]) -> dict[int, list[str]]:
    """For each article: the other outlets it stands for (its copies' outlets; for a story's representative, every
    other outlet of the story), sorted, at most MAX_OUTLETS."""
    found: dict[int, set[str]] = {}
    for start in range(0, len(article_ids), CHUNK):
        chunk = list(article_ids[start:start + CHUNK])
        copies = sa.select(articles.c.duplicate_of, articles.c.outlet).where(articles.c.duplicate_of.in_(chunk))
        for original, outlet in conn.execute(copies):
            found.setdefault(original, set()).add(outlet or "")
        members = articles.alias("members")
        story_rows = (sa.select(stories.c.representative_article_id, members.c.outlet)
                      .join(members, members.c.story_id == stories.c.id)
                      .where(stories.c.representative_article_id.in_(chunk), stories.c.merged_into.is_(None)))
        for representative, outlet in conn.execute(story_rows):
            found.setdefault(representative, set()).add(outlet or "")
        own = dict(conn.execute(sa.select(articles.c.id, articles.c.outlet).where(articles.c.id.in_(chunk))).all())
        for article_id in chunk:
            found.get(article_id, set()).discard(own.get(article_id) or "")
    return {a: sorted(o for o in outlets if o)[:MAX_OUTLETS] for a, outlets in found.items() if any(outlets)}
