"""What the understanding stage reads and writes: articles to understand, their signals (vector, MinHash), the
near-duplicate band buckets, and the coverage that trending scores.

The stage's logic (embedding, clustering, what counts as a copy, how trending weighs outlets) stays in
:mod:`newsdesk.understand`; these functions only move rows, in chunks of at most 500 keys per ``IN`` list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import numpy as np
import sqlalchemy as sa

from newsdesk.store.story_rows import next_story_id
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals, duplicate_bands, stories

CHUNK = 500


class ArticleToUnderstand(NamedTuple):
    """An article as the understanding stage reads it."""

    id: int
    title: str
    text: str
    language: str | None
    published_at: datetime | None
    status: str
    story_id: int | None
    duplicate_of: int | None


class ArticleUnderstood(NamedTuple):
    """What the understanding stage found for one article."""

    id: int
    language: str | None
    story_id: int
    duplicate_of: int | None
    topics: list[str]


class Coverage(NamedTuple):
    """One article's coverage of a live story: its outlet and when it appeared (published, else fetched)."""

    story_id: int
    outlet: str | None
    id: int
    first: datetime


_READ_COLUMNS = (articles.c.id, articles.c.title, articles.c.text, articles.c.language, articles.c.published_at,
                 articles.c.status, articles.c.story_id, articles.c.duplicate_of)


def understood_for_replay(engine: sa.Engine, limit: int) -> tuple[list[tuple[ArticleToUnderstand, bytes]], int]:
    """The newest ``limit`` understood articles with a story (newest first) with their stored vectors, and the
    smallest story id above every stored one."""
    query = (sa.select(*_READ_COLUMNS, article_signals.c.vector)
             .join(article_signals, article_signals.c.article_id == articles.c.id)
             .where(articles.c.status == "understood", articles.c.story_id.is_not(None))
             .order_by(articles.c.id.desc()).limit(limit))
    with engine.connect() as conn:
        rows = [(ArticleToUnderstand(*row[:-1]), row[-1]) for row in conn.execute(query)]
        return rows, next_story_id(conn)


def articles_to_understand(engine: sa.Engine, ids: Sequence[int]) -> dict[int, ArticleToUnderstand]:
    """The stored ones among these articles, by id."""
    with engine.connect() as conn:
        return {row.id: ArticleToUnderstand(*row)
                for row in conn.execute(sa.select(*_READ_COLUMNS).where(articles.c.id.in_(list(ids))))}


def write_understanding(conn: sa.Connection, signals: list[tuple[int, bytes, bytes | None]], bands: list[dict],
                        understood: list[ArticleUnderstood]) -> None:
    """Signals (article id, vector, MinHash), band buckets and article updates of a batch, one executemany each."""
    conn.execute(sa.insert(article_signals), [
        {"article_id": article_id, "vector": vector, "minhash": minhash} for article_id, vector, minhash in signals])
    if bands:
        conn.execute(sa.insert(duplicate_bands), bands)
    conn.execute(sa.update(articles).where(articles.c.id == sa.bindparam("b_id")).values(
        language=sa.bindparam("b_language"), story_id=sa.bindparam("b_story"),
        duplicate_of=sa.bindparam("b_original"), status="understood", topics=sa.bindparam("b_topics")), [
        {"b_id": a.id, "b_language": a.language, "b_story": a.story_id, "b_original": a.duplicate_of,
         "b_topics": a.topics} for a in understood])


def vectors_for(engine: sa.Engine, article_ids: Sequence[int]) -> dict[int, np.ndarray]:
    """Stored embedding (512-d float32, unit length) of each understood article among ``article_ids``."""
    out: dict[int, np.ndarray] = {}
    ids = list(article_ids)
    with engine.connect() as conn:
        for start in range(0, len(ids), CHUNK):
            query = sa.select(article_signals.c.article_id, article_signals.c.vector).where(
                article_signals.c.article_id.in_(ids[start:start + CHUNK]))
            out.update({i: np.frombuffer(blob, dtype=np.float32).copy() for i, blob in conn.execute(query)})
    return out


def band_matches(conn: sa.Connection, band: int, buckets: list[int]) -> list[tuple[int, int]]:
    """(bucket, article id) of the stored articles with one of these buckets in this band."""
    out: list[tuple[int, int]] = []
    for start in range(0, len(buckets), CHUNK):
        query = sa.select(duplicate_bands.c.bucket, duplicate_bands.c.article_id).where(
            duplicate_bands.c.band == band, duplicate_bands.c.bucket.in_(buckets[start:start + CHUNK]))
        out += [(bucket, article_id) for bucket, article_id in conn.execute(query)]
    return out


def stored_minhashes(conn: sa.Connection, article_ids: list[int]) -> dict[int, np.ndarray]:
    """The stored MinHash signature of each of these articles that has one."""
    known: dict[int, np.ndarray] = {}
    for start in range(0, len(article_ids), CHUNK):
        query = sa.select(article_signals.c.article_id, article_signals.c.minhash).where(
            article_signals.c.article_id.in_(article_ids[start:start + CHUNK]), article_signals.c.minhash.is_not(None))
        known.update({article_id: np.frombuffer(blob, dtype=np.uint64) for article_id, blob in conn.execute(query)})
    return known


def recent_coverage(engine: sa.Engine, since: datetime, now: datetime, *, region: str | None, language: str | None,
                    limit: int, with_topics: bool) -> tuple[list[Coverage], dict[int, list[str]]]:
    """Articles of live stories seen since ``since`` (up to ``now``, at most ``limit``), optionally of one region and
    language, and (when asked) the topics of their stories."""
    when = sa.func.coalesce(articles.c.published_at, articles.c.fetched_at)
    query = (sa.select(articles.c.story_id, articles.c.outlet, articles.c.id, when.label("first"))
             .join(stories, stories.c.id == articles.c.story_id)
             .where(stories.c.last_seen_at >= since, stories.c.merged_into.is_(None), when >= since, when <= now))
    if region:
        query = query.where(articles.c.region == region)
    if language:
        query = query.where(articles.c.language == language)
    with engine.connect() as conn:
        rows = [Coverage(*row) for row in conn.execute(query.limit(limit))]
        topics = _story_topics(conn, {r.story_id for r in rows}) if with_topics else {}
    return rows, topics


def _story_topics(conn: sa.Connection, story_ids: set[int]) -> dict[int, list[str]]:
    ids = list(story_ids)
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        query = sa.select(stories.c.id, stories.c.topics).where(stories.c.id.in_(ids[start:start + CHUNK]))
        out.update({i: list(t or ()) for i, t in conn.execute(query)})
    return out
