"""Comments on stories and articles, and followed stories: the queries behind the people features of the web app.

A comment belongs to a story or to an article (exactly one). Deleting one blanks it and keeps its place. A follow
remembers when the reader last looked at the story, so the "Following" page can say how many articles are new. When
clustering merges two stories, comments and followers move with the articles (:func:`move_to_story`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from newsdesk.store.alerts import move_alerts
from newsdesk.store.db import inserted_id
from newsdesk.store.follow import move_visits
from newsdesk.store.reading import insert_missing
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_people import comments, follows, users
from newsdesk.store.tables_understanding import stories
from newsdesk.text.display import clean_text

MAX_COMMENT_CHARS = 2000


class CommentRefused(ValueError):
    """A comment that is not stored; the reason is a short code the page words ("empty", "too_long", "too_many")."""


def add_comment(conn: sa.Connection, user_id: int, body: str, *, story_id: int | None = None,
                article_id: int | None = None, per_hour: int = 30) -> int:
    """Store a comment on a story or an article (control characters and bidi overrides removed); raises
    CommentRefused."""
    text = "\n".join(line.rstrip() for line in clean_text(body).strip().split("\n"))
    if not text:
        raise CommentRefused("empty")
    if len(text) > MAX_COMMENT_CHARS:
        raise CommentRefused("too_long")
    recent = conn.execute(sa.select(sa.func.count()).select_from(comments).where(
        comments.c.user_id == user_id, comments.c.created_at > datetime.now(UTC) - timedelta(hours=1))).scalar_one()
    if recent >= per_hour:
        raise CommentRefused("too_many")
    return inserted_id(conn.execute(comments.insert().values(user_id=user_id, story_id=story_id, article_id=article_id,
                                                 body=text, created_at=datetime.now(UTC))))


def delete_comment(conn: sa.Connection, user_id: int, comment_id: int) -> dict[str, Any] | None:
    """Blank a comment of the reader's own (any comment for a moderator); returns where it was (story_id,
    article_id), None if the reader may not."""
    moderator = conn.execute(sa.select(users.c.role).where(users.c.id == user_id)).scalar() in ("moderator", "admin")
    mine = sa.true() if moderator else comments.c.user_id == user_id
    row = conn.execute(sa.select(comments.c.story_id, comments.c.article_id).where(
        comments.c.id == comment_id, mine)).first()
    if row is None:
        return None
    conn.execute(comments.update().where(comments.c.id == comment_id).values(body="", deleted_at=datetime.now(UTC)))
    return dict(row._mapping)


def comments_on(conn: sa.Connection, *, story_id: int | None = None, article_id: int | None = None,
                limit: int = 500) -> list[dict[str, Any]]:
    """The comments of a story or an article, oldest first, with their authors' names."""
    target = comments.c.story_id == story_id if story_id is not None else comments.c.article_id == article_id
    query = (sa.select(comments.c.id, comments.c.user_id, comments.c.body, comments.c.created_at,
                       comments.c.deleted_at, users.c.username)
             .join(users, users.c.id == comments.c.user_id).where(target).order_by(comments.c.id).limit(limit))
    return [dict(r._mapping) for r in conn.execute(query)]


def follow(conn: sa.Connection, user_id: int, story_id: int, on: bool = True) -> None:
    """Follow (or stop following) a story; following twice (a double click) is following once."""
    if not on:
        conn.execute(follows.delete().where(follows.c.user_id == user_id, follows.c.story_id == story_id))
        return
    now = datetime.now(UTC)
    insert_missing(conn, follows, [{"user_id": user_id, "story_id": story_id, "created_at": now, "seen_at": now}])


def is_following(conn: sa.Connection, user_id: int, story_id: int) -> bool:
    return conn.execute(sa.select(follows.c.story_id).where(follows.c.user_id == user_id,
                                                            follows.c.story_id == story_id)).first() is not None


def mark_seen(conn: sa.Connection, user_id: int, story_id: int) -> None:
    """The reader looked at a followed story now."""
    conn.execute(follows.update().where(follows.c.user_id == user_id, follows.c.story_id == story_id)
                 .values(seen_at=datetime.now(UTC)))


def followed_stories(conn: sa.Connection, user_id: int) -> list[dict[str, Any]]:
    """Followed stories, most recently updated first, each with ``new``: articles fetched since the last look."""
    new = (sa.select(sa.func.count()).select_from(articles)
           .where(articles.c.story_id == follows.c.story_id, articles.c.fetched_at > follows.c.seen_at)
           .scalar_subquery())
    query = (sa.select(stories, follows.c.seen_at, new.label("new"))
             .join(follows, follows.c.story_id == stories.c.id).where(follows.c.user_id == user_id)
             .order_by(stories.c.last_seen_at.desc()))
    return [dict(r._mapping) for r in conn.execute(query)]


def move_to_story(conn: sa.Connection, gone: int, kept: int) -> None:
    """A story merged into another: its comments, followers, their last reads and alerts go with its articles."""
    conn.execute(comments.update().where(comments.c.story_id == gone).values(story_id=kept))
    followers = conn.execute(sa.select(follows.c.user_id, follows.c.created_at, follows.c.seen_at)
                             .where(follows.c.story_id == gone)).all()
    insert_missing(conn, follows, [{"user_id": u, "story_id": kept, "created_at": c, "seen_at": s}
                                   for u, c, s in followers])
    conn.execute(follows.delete().where(follows.c.story_id == gone))
    move_visits(conn, gone, kept)
    move_alerts(conn, gone, kept)
