"""A person's saved articles ("save for later") as the web app lists them. The mark is the one reader apps call
starred (``user_items.is_saved``, see :mod:`newsdesk.store.reading`): saving in the web app stars in the apps and the
other way round."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from newsdesk.store.read_models import BRIEF_COLUMNS
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_people import user_items


def is_saved_by(conn: sa.Connection, user_id: int, article_id: int) -> bool:
    query = sa.select(user_items.c.is_saved).where(user_items.c.user_id == user_id,
                                                   user_items.c.article_id == article_id)
    return bool(conn.execute(query).scalar())


def saved_articles(conn: sa.Connection, user_id: int, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """Briefs of the person's saved articles, the most recently saved first."""
    query = (sa.select(*BRIEF_COLUMNS, user_items.c.updated_at.label("saved_at"))
             .join(user_items, user_items.c.article_id == articles.c.id)
             .where(user_items.c.user_id == user_id, user_items.c.is_saved)
             .order_by(user_items.c.updated_at.desc(), articles.c.id.desc()).limit(limit).offset(offset))
    return [dict(row._mapping) for row in conn.execute(query)]
