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
from newsdesk.store import social
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals, stories
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.evidence import Story
from newsdesk.understand.topics import story_topics
from newsdesk.understand.trending import trend_score

SAMPLE = 200  # members looked at for the representative and topics (the newest ones)


def merge_story_rows(conn: sa.Connection, merged: dict[int, int]) -> None:
    """Point articles (and readers' comments and follows) of merged-away stories at the story they joined and mark
    the old rows."""
    for gone, kept in merged.items():
        conn.execute(sa.update(articles).where(articles.c.story_id == gone).values(story_id=kept))
        social.move_to_story(conn, gone, kept)
        conn.execute(sa.update(stories).where(stories.c.id == gone).values(
            merged_into=kept, article_count=0, outlet_count=0, updated_at=datetime.now(UTC)))


def move_story_rows(conn: sa.Connection, moved: dict[int, int]) -> None:
    """Point articles that a split or a refinement moved at their story (article id -> story id), one executemany."""
    if moved:
        conn.execute(sa.update(articles).where(articles.c.id == sa.bindparam("b_id")).values(
            story_id=sa.bindparam("b_story")), [{"b_id": a, "b_story": s} for a, s in moved.items()])


def refresh_stories(conn: sa.Connection, story_ids: set[int], clusterer: StoryClusterer | None,
                    settings: Settings) -> None:
    """Recompute the rows of these stories (new ones are inserted with the clusterer's key as their id): one members
    query, one vectors query and one executemany each for updates and inserts, per 500 stories. Without a clusterer
    (a moderator's correction) the representative is the first original of the recent members."""
    ids = sorted(story_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        existing = set(conn.execute(sa.select(stories.c.id).where(stories.c.id.in_(chunk))).scalars())
        members = _members_by_story(conn, chunk)
        recent = {k: sorted(rows, key=_when)[-SAMPLE:] for k, rows in members.items()}
        vectors = _vectors(conn, [m.id for rows in recent.values() for m in rows if m.duplicate_of is None])
        values = {k: _story_values(members[k], recent[k], vectors,
                                   clusterer.stories.get(clusterer.resolve(k)) if clusterer else None, settings)
                  for k in members}
        updates = [{"b_id": k, **{f"v_{c}": v for c, v in row.items()}} for k, row in values.items() if k in existing]
        if updates:
            conn.execute(sa.update(stories).where(stories.c.id == sa.bindparam("b_id"))
                         .values({c: sa.bindparam(f"v_{c}") for c in next(iter(values.values()))}), updates)
        inserts = [{"id": k, **row} for k, row in values.items() if k not in existing]
        if inserts:
            conn.execute(sa.insert(stories), inserts)
            advance_id_sequence(conn)


def _members_by_story(conn: sa.Connection, story_ids: list[int]) -> dict[int, list[sa.Row]]:
    out: dict[int, list[sa.Row]] = {}
    query = (sa.select(articles.c.id, articles.c.story_id, articles.c.title, articles.c.outlet, articles.c.language,
                       articles.c.region, articles.c.published_at, articles.c.fetched_at, articles.c.duplicate_of,
                       articles.c.topics).where(articles.c.story_id.in_(story_ids)))
    for row in conn.execute(query):
        out.setdefault(row.story_id, []).append(row)
    return out


def _vectors(conn: sa.Connection, article_ids: list[int]) -> dict[int, np.ndarray]:
    out: dict[int, np.ndarray] = {}
    for start in range(0, len(article_ids), 500):
        query = sa.select(article_signals.c.article_id, article_signals.c.vector).where(
            article_signals.c.article_id.in_(article_ids[start:start + 500]))
        out.update({i: np.frombuffer(blob, dtype=np.float32) for i, blob in conn.execute(query)})
    return out


def advance_id_sequence(conn: sa.Connection) -> None:
    """On PostgreSQL, move the ``stories.id`` sequence past the explicit ids inserted above, so rows inserted without
    an id (by other stages) never collide. SQLite's rowid already continues after the largest id."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('stories', 'id'), "
                             "GREATEST((SELECT MAX(id) FROM stories), 1))"))


def next_story_id(conn: sa.Connection) -> int:
    """The smallest id above every stored story: where new clusterer keys start after a restart."""
    return (conn.execute(sa.select(sa.func.max(stories.c.id))).scalar() or 0) + 1


def _story_values(members: list[sa.Row], recent: list[sa.Row], vectors: dict[int, np.ndarray], story: Story | None,
                  settings: Settings) -> dict:
    times = [m.published_at or m.fetched_at for m in members]
    representative = _representative(recent, vectors, story)
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


def _representative(recent: list[sa.Row], vectors: dict[int, np.ndarray], story: Story | None) -> sa.Row:
    """The original member closest to the story centroid among the recent ones (the first when there is no choice;
    without the clusterer's story, the mean of their vectors stands for its centroid)."""
    originals = [m for m in recent if m.duplicate_of is None] or recent
    scored = [m for m in originals if m.id in vectors]
    if len(originals) == 1 or not scored:
        return originals[0]
    centroid = story.centroid() if story is not None else np.mean([vectors[m.id] for m in scored], axis=0)
    return max(scored, key=lambda m: float(vectors[m.id] @ centroid))


def _when(member: sa.Row) -> datetime:
    return member.published_at or member.fetched_at
