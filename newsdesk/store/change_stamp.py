"""A cheap stamp of the store's reading state: read models computed from the store stay valid while it is equal.

Two index lookups (the newest article id and the newest story activity, ``stories.last_seen_at`` is indexed), so a
page can check in well under a millisecond whether what it computed a moment ago still holds
(see :mod:`newsdesk.web.read_model_cache`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories


def change_stamp(conn: sa.Connection) -> tuple[Any, ...]:
    """(newest article id, newest story activity): it changes when an article is stored or a story grows."""
    newest_article = sa.select(sa.func.max(articles.c.id)).scalar_subquery()
    newest_story = sa.select(sa.func.max(stories.c.last_seen_at)).scalar_subquery()
    return tuple(conn.execute(sa.select(newest_article, newest_story)).one())
