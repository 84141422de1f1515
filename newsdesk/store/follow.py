"""The queries behind following a story: each reader's last visit to a followed story, the story's articles in the
order they arrived (with the wire copies among them), and who reported it first.

A visit more than ``gap`` after the previous one moves the "since you last read" window to start at that previous
visit; a visit within the gap (a reload, a click back from an article) keeps the window, so the delta the reader
is reading does not vanish under them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.store.reading import insert_missing
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_follow import story_visits
from newsdesk.store.tables_people import follows


@dataclass(frozen=True)
class Arrival:
    """One article of a story as it arrived: when it was fetched and published, by whom, and what it copies."""

    id: int
    outlet: str | None
    url: str | None
    title: str
    fetched_at: datetime
    published_at: datetime | None
    duplicate_of: int | None

    @property
    def reported_at(self) -> datetime:
        """When the outlet says it published, else when it was fetched."""
        return self.published_at or self.fetched_at


def last_read(conn: sa.Connection, user_id: int, story_id: int) -> datetime | None:
    """When the reader last read the followed story (the follow itself counts as a read); None when not followed."""
    found = conn.execute(sa.select(story_visits.c.read_at).where(
        story_visits.c.user_id == user_id, story_visits.c.story_id == story_id)).scalar()
    if found is not None:
        return found
    return conn.execute(sa.select(follows.c.created_at).where(
        follows.c.user_id == user_id, follows.c.story_id == story_id)).scalar()


def record_visit(conn: sa.Connection, user_id: int, story_id: int, gap: timedelta,
                 now: datetime | None = None) -> datetime | None:
    """Note a visit of a followed story and return the start of its "since you last read" window (None when the
    reader does not follow the story)."""
    now = now or datetime.now(UTC)
    previous = last_read(conn, user_id, story_id)
    if previous is None:
        return None
    row = conn.execute(sa.select(story_visits.c.read_at, story_visits.c.delta_since).where(
        story_visits.c.user_id == user_id, story_visits.c.story_id == story_id)).first()
    if row is None:
        insert_missing(conn, story_visits, [{"user_id": user_id, "story_id": story_id, "read_at": now,
                                             "delta_since": previous}])
        return previous
    since = row.delta_since if now - row.read_at <= gap else row.read_at
    conn.execute(story_visits.update().where(story_visits.c.user_id == user_id, story_visits.c.story_id == story_id)
                 .values(read_at=now, delta_since=since))
    return since


def last_reads(conn: sa.Connection, user_id: int) -> dict[int, datetime]:
    """The last read of every story the reader follows."""
    query = (sa.select(follows.c.story_id, sa.func.coalesce(story_visits.c.read_at, follows.c.created_at))
             .select_from(follows.outerjoin(story_visits, sa.and_(story_visits.c.user_id == follows.c.user_id,
                                                                    story_visits.c.story_id == follows.c.story_id)))
             .where(follows.c.user_id == user_id))
    return {story_id: read_at for story_id, read_at in conn.execute(query)}


def move_visits(conn: sa.Connection, gone: int, kept: int) -> None:
    """A story merged into another: the readers' visits go with it (a visit of the kept story wins)."""
    rows = conn.execute(sa.select(story_visits).where(story_visits.c.story_id == gone)).mappings().all()
    insert_missing(conn, story_visits, [{**row, "story_id": kept} for row in rows])
    conn.execute(story_visits.delete().where(story_visits.c.story_id == gone))


def arrivals(conn: sa.Connection, story_id: int, limit: int = 2000) -> list[Arrival]:
    """The story's articles in the order they arrived (fetch time, then id), wire copies included."""
    query = (sa.select(articles.c.id, articles.c.outlet, articles.c.url, articles.c.title, articles.c.fetched_at,
                       articles.c.published_at, articles.c.duplicate_of)
             .where(articles.c.story_id == story_id).order_by(articles.c.fetched_at, articles.c.id).limit(limit))
    return [Arrival(r.id, r.outlet, r.url, r.title or "", r.fetched_at, r.published_at, r.duplicate_of)
            for r in conn.execute(query)]


def copies_of(conn: sa.Connection, article_ids: list[int]) -> dict[int, list[int]]:
    """For each article among ``article_ids``, the ids of the stored articles marked as its copies."""
    out: dict[int, list[int]] = {}
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start:start + 500]
        query = sa.select(articles.c.duplicate_of, articles.c.id).where(articles.c.duplicate_of.in_(chunk))
        for original, copy in conn.execute(query.order_by(articles.c.id)):
            out.setdefault(original, []).append(copy)
    return out
