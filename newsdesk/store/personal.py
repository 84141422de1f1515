"""The personal part of a shared page in one lookup: who the session belongs to and, on a story page, whether they
follow it and when they last looked.

Pages are rendered once for everyone and the web app stitches in what belongs to the signed-in reader
(see :mod:`newsdesk.web.http.stitching`). This module answers that with a single indexed statement (the session's
hash is the primary key of ``user_sessions``; the follow is found by its primary key in EXISTS subqueries, and the
story's articles fetched since the reader's last look by ``articles.story_id``), so a signed-in visit to a cached
page costs one cache hit plus this lookup (and, on pages with comments, the comments by their indexed target).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.store.tables_core import articles
from newsdesk.store.tables_people import follows, user_sessions, users


@dataclass(frozen=True)
class PersonalState:
    """The account behind a session and its relation to the story on the page (when there is one)."""

    user_id: int
    username: str
    role: str
    following: bool = False
    news_since_seen: bool = False  # a followed story has articles fetched since the reader last looked


def personal_state(conn: sa.Connection, token_hash: str, now: datetime,
                   story_id: int | None = None) -> PersonalState | None:
    """The session's account (None when unknown or expired), with its follow of ``story_id``: one statement."""
    followed = sa.exists().where(follows.c.user_id == users.c.id, follows.c.story_id == story_id)
    news = sa.exists().select_from(follows.join(articles, articles.c.story_id == follows.c.story_id)).where(
        follows.c.user_id == users.c.id, follows.c.story_id == story_id, articles.c.fetched_at > follows.c.seen_at)
    columns: list[sa.ColumnElement[Any]] = [users.c.id, users.c.username, users.c.role]
    if story_id is not None:
        columns += [followed.label("following"), news.label("news")]
    row = conn.execute(sa.select(*columns).join(user_sessions, user_sessions.c.user_id == users.c.id)
                       .where(user_sessions.c.token_hash == token_hash, user_sessions.c.expires_at > now)).first()
    if row is None:
        return None
    if story_id is None:
        return PersonalState(row.id, row.username, row.role)
    return PersonalState(row.id, row.username, row.role, bool(row.following), bool(row.news))
