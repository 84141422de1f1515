"""Writing story rows: merges and moves of members, and each touched story's row recomputed from its members.

A story's row is recomputed from its member articles each time it is touched (one indexed query per 500 stories);
what the row says (title, counts, topics, trend) is the understanding stage's to decide
(:mod:`newsdesk.understand.story_values`), handed in as a function.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

import numpy as np
import sqlalchemy as sa

from newsdesk.store import social
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals, stories

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


class StoryMember(NamedTuple):
    """What a story's row is computed from, per member article."""

    id: int
    story_id: int
    title: str | None
    outlet: str | None
    language: str | None
    region: str | None
    published_at: datetime | None
    fetched_at: datetime
    duplicate_of: int | None
    topics: list[str] | None


# story id, its members, the newest SAMPLE of them, stored vectors of their originals -> the story's column values
StoryValues = Callable[[int, list[StoryMember], list[StoryMember], dict[int, np.ndarray]], dict[str, Any]]


def refresh_stories(conn: sa.Connection, story_ids: set[int], values_of: StoryValues) -> None:
    """Recompute the rows of these stories (new ones are inserted with the given id): one members query, one
    vectors query and one executemany each for updates and inserts, per 500 stories."""
    ids = sorted(story_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        existing = set(conn.execute(sa.select(stories.c.id).where(stories.c.id.in_(chunk))).scalars())
        members = _members_by_story(conn, chunk)
        recent = {k: sorted(rows, key=_when)[-SAMPLE:] for k, rows in members.items()}
        vectors = _vectors(conn, [m.id for rows in recent.values() for m in rows if m.duplicate_of is None])
        values = {k: values_of(k, members[k], recent[k], vectors) for k in members}
        updates = [{"b_id": k, **{f"v_{c}": v for c, v in row.items()}} for k, row in values.items() if k in existing]
        if updates:
            conn.execute(sa.update(stories).where(stories.c.id == sa.bindparam("b_id"))
                         .values({c: sa.bindparam(f"v_{c}") for c in next(iter(values.values()))}), updates)
        inserts = [{"id": k, **row} for k, row in values.items() if k not in existing]
        if inserts:
            conn.execute(sa.insert(stories), inserts)
            advance_id_sequence(conn)


def _members_by_story(conn: sa.Connection, story_ids: list[int]) -> dict[int, list[StoryMember]]:
    out: dict[int, list[StoryMember]] = {}
    query = (sa.select(articles.c.id, articles.c.story_id, articles.c.title, articles.c.outlet, articles.c.language,
                       articles.c.region, articles.c.published_at, articles.c.fetched_at, articles.c.duplicate_of,
                       articles.c.topics).where(articles.c.story_id.in_(story_ids)))
    for row in conn.execute(query):
        out.setdefault(row.story_id, []).append(StoryMember._make(row))
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


def _when(member: StoryMember) -> datetime:
    return member.published_at or member.fetched_at


def retitle_story(engine: sa.Engine, story_id: int, title: str, article_id: int, *,
                  unless_titled_by: set[int]) -> bool:
    """Title the story with ``title`` from ``article_id`` unless its title article is one of ``unless_titled_by``;
    True when the row changed."""
    with engine.begin() as conn:
        current = conn.execute(sa.select(stories.c.representative_article_id)
                               .where(stories.c.id == story_id)).scalar_one_or_none()
        if current in unless_titled_by:
            return False
        conn.execute(sa.update(stories).where(stories.c.id == story_id).values(
            title=title, representative_article_id=article_id))
    return True
