"""Related articles for an article page: other outlets' coverage of the same story first, then nearest other stories.

Same-story articles come from the indexed ``articles.story_id``. Other stories come from an ANN search (usearch) over
the vectors of recent understood articles, built once per engine and extended as new articles are understood, so a
lookup never scans every stored vector.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import sqlalchemy as sa
from usearch.index import Index

from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals

EXCERPT_CHARS = 220
INDEX_MAX_ARTICLES = 200_000


class _VectorIndex:
    """ANN index over stored article vectors, caught up with new rows on each use (highest indexed id kept)."""

    def __init__(self) -> None:
        self.index = Index(ndim=512, metric="cos", dtype="f32")
        self.last_id = 0

    def catch_up(self, conn: sa.Connection) -> None:
        query = (sa.select(article_signals.c.article_id, article_signals.c.vector)
                 .where(article_signals.c.article_id > self.last_id).order_by(article_signals.c.article_id.desc())
                 .limit(INDEX_MAX_ARTICLES))
        rows = conn.execute(query).all()
        if rows:
            keys = np.array([r.article_id for r in rows], dtype=np.uint64)
            vectors = np.stack([np.frombuffer(r.vector, dtype=np.float32) for r in rows])
            self.index.add(keys, vectors)
            self.last_id = int(keys.max())


_INDEXES: dict[str, _VectorIndex] = {}  # one per database URL: the index is a cache of the stored vectors


def _index_for(engine: sa.Engine, conn: sa.Connection) -> _VectorIndex:
    index = _INDEXES.setdefault(str(engine.url), _VectorIndex())
    index.catch_up(conn)
    return index


def _excerpt(row: sa.Row) -> str:
    text = " ".join((row.summary or row.text or "").split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def _as_dict(row: sa.Row) -> dict:
    published: datetime | None = row.published_at
    return {"id": row.id, "title": row.title, "outlet": row.outlet, "published_at": published,
            "excerpt": _excerpt(row), "story_id": row.story_id, "language": row.language}


_COLUMNS = (articles.c.id, articles.c.title, articles.c.outlet, articles.c.published_at, articles.c.summary,
            articles.c.text, articles.c.story_id, articles.c.language, articles.c.duplicate_of)


def related_articles(engine: sa.Engine, article_id: int, limit: int = 6) -> list[dict]:
    """Up to ``limit`` related articles: same story from other outlets (copies left out), then other stories."""
    with engine.connect() as conn:
        me = conn.execute(sa.select(*_COLUMNS).where(articles.c.id == article_id)).first()
        if me is None:
            return []
        out: list[dict] = []
        if me.story_id is not None:
            same = conn.execute(sa.select(*_COLUMNS).where(
                articles.c.story_id == me.story_id, articles.c.id != article_id, articles.c.duplicate_of.is_(None))
                .order_by(articles.c.published_at.desc()).limit(limit * 4)).all()
            seen_outlets = {me.outlet}
            for row in same:
                if row.outlet not in seen_outlets and len(out) < limit:
                    seen_outlets.add(row.outlet)
                    out.append(_as_dict(row))
        if len(out) < limit:
            out += _nearest_other_stories(engine, conn, me, limit - len(out))
    return out


def _nearest_other_stories(engine: sa.Engine, conn: sa.Connection, me: sa.Row, limit: int) -> list[dict]:
    blob = conn.execute(sa.select(article_signals.c.vector).where(article_signals.c.article_id == me.id)).scalar()
    if blob is None:
        return []
    index = _index_for(engine, conn)
    if not len(index.index):
        return []
    hits = index.index.search(np.frombuffer(blob, dtype=np.float32), min(len(index.index), limit * 8 + 8))
    ids = [int(k) for k in hits.keys if int(k) != me.id]
    rows = {r.id: r for r in conn.execute(sa.select(*_COLUMNS).where(articles.c.id.in_(ids)))}
    out, stories_seen = [], {me.story_id}
    for article_id in ids:
        row = rows.get(article_id)
        if row is None or row.duplicate_of is not None or row.story_id in stories_seen:
            continue
        stories_seen.add(row.story_id)
        out.append(_as_dict(row))
        if len(out) == limit:
            break
    return out
