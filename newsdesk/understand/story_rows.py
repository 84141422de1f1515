"""Writing story rows: counts, outlets, languages, regions, time span, representative headline, topics, trend.

A story's row is recomputed from its member articles each time it is touched (one indexed query per story). The
representative is the original (non-duplicate) member closest to the story centroid among the most recent ones,
and its headline is the story title.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals, stories
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.topics import story_topics
from newsdesk.understand.trending import trend_score

SAMPLE = 200  # members looked at for the representative and topics (the newest ones)


def merge_story_rows(conn: sa.Connection, merged: dict[int, int]) -> None:
    """Point articles of merged-away stories at the story they joined and mark the old rows."""
    for gone, kept in merged.items():
        conn.execute(sa.update(articles).where(articles.c.story_id == gone).values(story_id=kept))
        conn.execute(sa.update(stories).where(stories.c.id == gone).values(
            merged_into=kept, article_count=0, outlet_count=0, updated_at=datetime.now(UTC)))


def refresh_stories(conn: sa.Connection, story_ids: set[int], clusterer: StoryClusterer, settings: Settings) -> None:
    """Recompute the rows of these stories (new ones are inserted with the clusterer's key as their id)."""
    ids = sorted(story_ids)
    existing = set(conn.execute(sa.select(stories.c.id).where(stories.c.id.in_(ids))).scalars()) if ids else set()
    inserted = False
    for story_id in ids:
        values = _story_values(conn, story_id, clusterer, settings)
        if values is None:
            continue
        if story_id in existing:
            conn.execute(sa.update(stories).where(stories.c.id == story_id).values(**values))
        else:
            conn.execute(sa.insert(stories).values(id=story_id, **values))
            inserted = True
    if inserted:
        advance_id_sequence(conn)


def advance_id_sequence(conn: sa.Connection) -> None:
    """On PostgreSQL, move the ``stories.id`` sequence past the explicit ids inserted above, so rows inserted without
    an id (by other stages) never collide. SQLite's rowid already continues after the largest id."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('stories', 'id'), "
                             "GREATEST((SELECT MAX(id) FROM stories), 1))"))


def next_story_id(conn: sa.Connection) -> int:
    """The smallest id above every stored story: where new clusterer keys start after a restart."""
    return (conn.execute(sa.select(sa.func.max(stories.c.id))).scalar() or 0) + 1


def _story_values(conn: sa.Connection, story_id: int, clusterer: StoryClusterer, settings: Settings) -> dict | None:
    members = conn.execute(
        sa.select(articles.c.id, articles.c.title, articles.c.outlet, articles.c.language, articles.c.region,
                  articles.c.published_at, articles.c.fetched_at, articles.c.duplicate_of, articles.c.topics)
        .where(articles.c.story_id == story_id)).all()
    if not members:
        return None
    times = [m.published_at or m.fetched_at for m in members]
    recent = sorted(members, key=lambda m: m.published_at or m.fetched_at)[-SAMPLE:]
    representative = _representative(conn, recent, clusterer, story_id)
    first_seen = {}
    for m, when in zip(members, times, strict=True):
        outlet = m.outlet or f"article-{m.id}"
        first_seen[outlet] = min(first_seen.get(outlet, when), when)
    return {
        "title": representative.title,
        "representative_article_id": representative.id,
        "first_seen_at": min(times),
        "last_seen_at": max(times),
        "article_count": len(members),
        "outlet_count": len(first_seen),
        "languages": sorted({m.language for m in members if m.language}),
        "regions": sorted({m.region for m in members if m.region}),
        "topics": story_topics(m.topics for m in recent),
        "trend_score": trend_score(first_seen.values(), max(times), settings),
        "merged_into": None,
        "updated_at": datetime.now(UTC),
    }


def _representative(conn: sa.Connection, recent: list[sa.Row], clusterer: StoryClusterer, story_id: int) -> sa.Row:
    originals = [m for m in recent if m.duplicate_of is None] or recent
    story = clusterer.stories.get(clusterer.resolve(story_id))
    if story is None or len(originals) == 1:
        return originals[0]
    rows = conn.execute(sa.select(article_signals.c.article_id, article_signals.c.vector)
                        .where(article_signals.c.article_id.in_([m.id for m in originals]))).all()
    if not rows:
        return originals[0]
    centroid = story.centroid()
    best = max(rows, key=lambda r: float(np.frombuffer(r.vector, dtype=np.float32) @ centroid))
    return next(m for m in originals if m.id == best.article_id)
