"""The queries behind story grouping people can see into and correct: reasons, constraints, corrections' log.

Reasons say why each article joined its story (written by the understanding stage). Corrections are moderators'
moves, splits and merges; each leaves must-link / cannot-link rows (``grouping_links``) that hold until it is undone.
``constraints_version`` changes whenever a correction is made or undone, so the process that assigns stories knows
to reload them (and its indexes, which the correction changed under it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from newsdesk.store.db import inserted_id
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_grouping import grouping_corrections, grouping_links, grouping_reasons
from newsdesk.store.tables_people import comments, follows, users
from newsdesk.store.tables_understanding import article_signals, stories

CHUNK = 500


class ArticleToReplay(NamedTuple):
    """What story assignment needs of a stored article, with its stored vector."""

    id: int
    title: str
    text: str
    language: str | None
    published_at: datetime | None
    duplicate_of: int | None
    story_id: int | None
    vector: bytes


def record_reasons(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Store (replacing any earlier one) the reason of each article in ``rows``."""
    now = datetime.now(UTC)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        conn.execute(grouping_reasons.delete().where(grouping_reasons.c.article_id.in_([r["article_id"]
                                                                                       for r in chunk])))
        conn.execute(sa.insert(grouping_reasons), [{**r, "recorded_at": now} for r in chunk])


def reasons_of(conn: sa.Connection, article_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The stored reason of each of these articles that has one."""
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(article_ids), CHUNK):
        query = grouping_reasons.select().where(grouping_reasons.c.article_id.in_(article_ids[start:start + CHUNK]))
        out.update({r.article_id: dict(r._mapping) for r in conn.execute(query)})
    return out


def active_links(conn: sa.Connection) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(must-links, cannot-links) of every correction not undone."""
    query = (sa.select(grouping_links.c.kind, grouping_links.c.article_id, grouping_links.c.other_article_id)
             .join(grouping_corrections, grouping_corrections.c.id == grouping_links.c.correction_id)
             .where(grouping_corrections.c.undone_at.is_(None)).order_by(grouping_links.c.id))
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    for kind, a, b in conn.execute(query):
        (must if kind == "must" else cannot).append((a, b))
    return must, cannot


def constraints_version(conn: sa.Connection) -> tuple[int, int]:
    """Changes whenever a correction is made or undone: (newest correction id, how many are undone)."""
    row = conn.execute(sa.select(sa.func.max(grouping_corrections.c.id),
                                 sa.func.count(grouping_corrections.c.undone_at))).one()
    return int(row[0] or 0), int(row[1] or 0)


def members(conn: sa.Connection, story_id: int) -> list[int]:
    """The ids of a story's articles, oldest first."""
    return list(conn.execute(sa.select(articles.c.id).where(articles.c.story_id == story_id)
                             .order_by(articles.c.id)).scalars())


def stories_of(conn: sa.Connection, article_ids: Iterable[int]) -> dict[int, int | None]:
    """article id -> story id, for those of ``article_ids`` that exist."""
    ids = list(article_ids)
    out: dict[int, int | None] = {}
    for start in range(0, len(ids), CHUNK):
        query = sa.select(articles.c.id, articles.c.story_id).where(articles.c.id.in_(ids[start:start + CHUNK]))
        out.update(dict(conn.execute(query).all()))
    return out


def copies_of(conn: sa.Connection, article_ids: Iterable[int]) -> list[int]:
    """Wire copies (near-duplicates) of these articles."""
    ids = list(article_ids)
    return [i for start in range(0, len(ids), CHUNK) for i in conn.execute(
        sa.select(articles.c.id).where(articles.c.duplicate_of.in_(ids[start:start + CHUNK]))).scalars()]


def set_stories(conn: sa.Connection, placement: Mapping[int, int | None]) -> None:
    """Put each article (id) in its story (id)."""
    if placement:
        conn.execute(sa.update(articles).where(articles.c.id == sa.bindparam("b_id")).values(
            story_id=sa.bindparam("b_story")), [{"b_id": a, "b_story": s} for a, s in placement.items()])


def story_state(conn: sa.Connection, story_id: int) -> dict[str, Any] | None:
    row = conn.execute(sa.select(stories.c.id, stories.c.merged_into, stories.c.representative_article_id,
                                 stories.c.title).where(stories.c.id == story_id)).first()
    return dict(row._mapping) if row else None


def set_merged_into(conn: sa.Connection, story_id: int, into: int | None) -> None:
    values: dict[str, Any] = {"merged_into": into, "updated_at": datetime.now(UTC)}
    if into is not None:
        values.update(article_count=0, outlet_count=0)
    conn.execute(sa.update(stories).where(stories.c.id == story_id).values(**values))


def new_story(conn: sa.Connection) -> int:
    """Reserve a story id (the row is filled in when its articles' story rows are refreshed)."""
    now = datetime.now(UTC)
    return inserted_id(conn.execute(stories.insert().values(title="", languages=[], regions=[], topics=[],
                                                            first_seen_at=now, last_seen_at=now, updated_at=now)))


def social_of(conn: sa.Connection, story_id: int) -> dict[str, list]:
    """The story's comment ids and followers (user id, created, seen as ISO text): what a merge carries away."""
    comment_ids = list(conn.execute(sa.select(comments.c.id).where(comments.c.story_id == story_id)).scalars())
    followers = [[u, c.isoformat(), s.isoformat()] for u, c, s in conn.execute(
        sa.select(follows.c.user_id, follows.c.created_at, follows.c.seen_at).where(follows.c.story_id == story_id))]
    return {"comments": comment_ids, "followers": followers}


def restore_social(conn: sa.Connection, story_id: int, moved_to: int, earlier: dict[str, list],
                   kept_followers: list[int]) -> None:
    """Undo a merge's move of comments and followers: they go back to ``story_id``; followers of ``moved_to`` who
    followed only the merged-away story stop following it."""
    if earlier["comments"]:
        conn.execute(comments.update().where(comments.c.id.in_(earlier["comments"])).values(story_id=story_id))
    for user_id, created, seen in earlier["followers"]:
        conn.execute(follows.delete().where(follows.c.user_id == user_id, follows.c.story_id == story_id))
        conn.execute(follows.insert().values(user_id=user_id, story_id=story_id,
                                             created_at=datetime.fromisoformat(created),
                                             seen_at=datetime.fromisoformat(seen)))
        if user_id not in kept_followers:
            conn.execute(follows.delete().where(follows.c.user_id == user_id, follows.c.story_id == moved_to))


def log_correction(conn: sa.Connection, user_id: int, kind: str, story_id: int, other_story_id: int | None,
                   article_ids: list[int], before: dict[str, Any],
                   links: list[tuple[str, int, int]]) -> int:
    """Store a correction and its links; returns its id."""
    correction_id = inserted_id(conn.execute(grouping_corrections.insert().values(
        user_id=user_id, kind=kind, story_id=story_id, other_story_id=other_story_id, article_ids=article_ids,
        before=before, created_at=datetime.now(UTC))))
    if links:
        conn.execute(grouping_links.insert(), [{"correction_id": correction_id, "kind": k, "article_id": a,
                                                "other_article_id": b} for k, a, b in links])
    return correction_id


def correction(conn: sa.Connection, correction_id: int) -> dict[str, Any] | None:
    row = conn.execute(grouping_corrections.select().where(grouping_corrections.c.id == correction_id)).first()
    return dict(row._mapping) if row else None


def later_corrections(conn: sa.Connection, correction_id: int, story_ids: Iterable[int]) -> list[int]:
    """Ids of corrections made after ``correction_id``, not undone, that touch any of ``story_ids``."""
    ids = list(story_ids)
    query = (sa.select(grouping_corrections.c.id)
             .where(grouping_corrections.c.id > correction_id, grouping_corrections.c.undone_at.is_(None),
                    sa.or_(grouping_corrections.c.story_id.in_(ids), grouping_corrections.c.other_story_id.in_(ids)))
             .order_by(grouping_corrections.c.id))
    return list(conn.execute(query).scalars())


def mark_undone(conn: sa.Connection, correction_id: int, user_id: int) -> None:
    conn.execute(grouping_corrections.update().where(grouping_corrections.c.id == correction_id)
                 .values(undone_at=datetime.now(UTC), undone_by=user_id))


def corrections_log(conn: sa.Connection, story_ids: Iterable[int] | None = None, limit: int = 200
                    ) -> list[dict[str, Any]]:
    """Corrections, newest first, with who made (and undid) them; only those touching ``story_ids`` when given."""
    made_by, undone_by = users.alias("made_by"), users.alias("undone_by_user")
    query = (sa.select(grouping_corrections, made_by.c.username.label("username"),
                       undone_by.c.username.label("undone_by_name"))
             .outerjoin(made_by, made_by.c.id == grouping_corrections.c.user_id)
             .outerjoin(undone_by, undone_by.c.id == grouping_corrections.c.undone_by)
             .order_by(grouping_corrections.c.id.desc()).limit(limit))
    if story_ids is not None:
        ids = list(story_ids)
        query = query.where(sa.or_(grouping_corrections.c.story_id.in_(ids),
                                   grouping_corrections.c.other_story_id.in_(ids)))
    return [dict(r._mapping) for r in conn.execute(query)]


def understood_in_time_order(conn: sa.Connection) -> list[int]:
    """Every understood article with a story, in the order stories grow in: by publication time (undated ones
    after), then by id."""
    undated = sa.case((articles.c.published_at.is_(None), 1), else_=0)
    query = (sa.select(articles.c.id).where(articles.c.status == "understood", articles.c.story_id.is_not(None))
             .order_by(undated, articles.c.published_at, articles.c.id))
    return list(conn.execute(query).scalars())


def articles_to_replay(conn: sa.Connection, article_ids: list[int]) -> list[ArticleToReplay]:
    """What story assignment needs of these articles (with their stored vectors), in the order given."""
    query = (sa.select(articles.c.id, articles.c.title, articles.c.text, articles.c.language,
                       articles.c.published_at, articles.c.duplicate_of, articles.c.story_id, article_signals.c.vector)
             .join(article_signals, article_signals.c.article_id == articles.c.id)
             .where(articles.c.id.in_(article_ids)))
    found = {r.id: ArticleToReplay._make(r) for r in conn.execute(query)}
    return [found[i] for i in article_ids if i in found]


def understood_count(conn: sa.Connection) -> int:
    """How many understood articles have a story (what a recluster replays)."""
    return conn.execute(sa.select(sa.func.count()).select_from(articles).where(
        articles.c.status == "understood", articles.c.story_id.is_not(None))).scalar_one()
