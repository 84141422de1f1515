"""Where coverage could come from: the regions that have sources (editions worth offering), and the regions and
languages that report on a subject (a story's blindspot is those of them that did not report the story).

Both read bounded sets: sources are a small table; a subject's reach is read from the ``window`` newest articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from newsdesk.store.read_models import json_list_has
from newsdesk.store.tables_core import articles, sources

WINDOW = 5000


@dataclass(frozen=True)
class Reach:
    """Regions and languages with articles on a subject, each sorted."""

    regions: list[str]
    languages: list[str]


def source_regions(conn: sa.Connection) -> set[str]:
    """Region codes (upper case) of the sources: an edition without one would always be empty."""
    rows = conn.execute(sa.select(sources.c.region).where(sources.c.region.is_not(None)).distinct())
    return {r.region.upper() for r in rows if r.region}


def subject_reach(conn: sa.Connection, topics: Sequence[str], window: int = WINDOW) -> Reach:
    """Regions and languages of the recent articles that carry any of ``topics`` (all recent ones without)."""
    newest = sa.select(articles.c.region, articles.c.language).order_by(articles.c.id.desc())
    if topics:
        newest = newest.where(sa.or_(*(json_list_has(articles.c.topics, t) for t in topics)))
    recent = newest.limit(window).subquery("recent")
    rows = conn.execute(sa.select(recent.c.region, recent.c.language).distinct()).all()
    return Reach(sorted({r.region.upper() for r in rows if r.region}),
                 sorted({r.language for r in rows if r.language}))
