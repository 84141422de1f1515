"""Related articles for an article page: other outlets' coverage of the same story first, then nearest other stories.

Same-story articles come from the indexed ``articles.story_id``. Other stories are found at query time, with no
state kept between calls: the stories active around the article's time (indexed ``stories.last_seen_at``, at most
``NEAR_STORIES_MAX`` of them) are ranked by the cosine between their representative article's vector and the
article's own, so a lookup reads a bounded number of vectors whatever the size of the store.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import sqlalchemy as sa

from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals, stories

EXCERPT_CHARS = 220
NEAR_STORIES_MAX = 600  # stories compared per lookup (about 1 MB of vectors)
NEAR_WINDOW = timedelta(days=3)  # stories last seen this close to the article's time are compared

_COLUMNS = (articles.c.id, articles.c.title, articles.c.outlet, articles.c.published_at, articles.c.summary,
            articles.c.text, articles.c.story_id, articles.c.language, articles.c.duplicate_of,
            articles.c.fetched_at)


def _excerpt(row: sa.Row) -> str:
    text = " ".join((row.summary or row.text or "").split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def _as_dict(row: sa.Row) -> dict:
    published: datetime | None = row.published_at
    return {"id": row.id, "title": row.title, "outlet": row.outlet, "published_at": published,
            "excerpt": _excerpt(row), "story_id": row.story_id, "language": row.language}


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
            out += _nearest_other_stories(conn, me, limit - len(out))
    return out


def _within_range(when: datetime) -> datetime:
    """A time the window arithmetic cannot overflow (rows stored before the store clamped publishing times)."""
    return min(max(when, datetime.min.replace(tzinfo=when.tzinfo) + NEAR_WINDOW),
               datetime.max.replace(tzinfo=when.tzinfo) - NEAR_WINDOW)


def _nearest_other_stories(conn: sa.Connection, me: sa.Row, limit: int) -> list[dict]:
    """Representative articles of the stories nearest to ``me`` among those active around its time."""
    blob = conn.execute(sa.select(article_signals.c.vector).where(article_signals.c.article_id == me.id)).scalar()
    if blob is None:
        return []
    when = _within_range(me.published_at or me.fetched_at or datetime.now(UTC))
    query = (sa.select(stories.c.representative_article_id, article_signals.c.vector)
             .join(article_signals, article_signals.c.article_id == stories.c.representative_article_id)
             .where(stories.c.last_seen_at.between(when - NEAR_WINDOW, when + NEAR_WINDOW),
                    stories.c.merged_into.is_(None))
             .order_by(stories.c.last_seen_at.desc()).limit(NEAR_STORIES_MAX))
    if me.story_id is not None:
        query = query.where(stories.c.id != me.story_id)
    found = conn.execute(query).all()
    if not found:
        return []
    vectors = np.frombuffer(b"".join(r.vector for r in found), dtype=np.float32).reshape(len(found), -1)
    similarity = vectors @ np.frombuffer(blob, dtype=np.float32)
    best = [found[i].representative_article_id for i in np.argsort(-similarity)[:limit]]
    rows = {r.id: r for r in conn.execute(sa.select(*_COLUMNS).where(articles.c.id.in_(best)))}
    return [_as_dict(rows[i]) for i in best if i in rows]
