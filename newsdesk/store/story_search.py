"""Stories whose articles mean what a query means, in any language: the query's embedding against the stored
article vectors (multilingual, so "terremoto" meets English quake reports), beside full-text search.

Only the ``window`` newest articles' vectors are read (an indexed scan from the newest id), which bounds the cost
of a query whatever the store holds: 5,000 vectors are 10 MB and one matrix product. A story scores the best
similarity of its articles; stories are kept above ``floor`` and within ``margin`` of the best one, so a query
that matches nothing well returns nothing rather than the least unrelated stories.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa

from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import article_signals, stories

WINDOW = 5000
FLOOR = 0.35
MARGIN = 0.1


def stories_near(conn: sa.Connection, vector: np.ndarray, *, limit: int = 10, window: int = WINDOW,
                 floor: float = FLOOR, margin: float = MARGIN) -> list[tuple[int, float]]:
    """(story id, similarity) of live stories whose best article lies near ``vector``, nearest first."""
    newest = (sa.select(articles.c.id, articles.c.story_id).where(articles.c.story_id.is_not(None))
              .order_by(articles.c.id.desc()).limit(window).subquery("newest"))
    query = (sa.select(newest.c.story_id, article_signals.c.vector)
             .join(article_signals, article_signals.c.article_id == newest.c.id)
             .join(stories, stories.c.id == newest.c.story_id).where(stories.c.merged_into.is_(None)))
    rows = conn.execute(query).all()
    if not rows:
        return []
    matrix = np.stack([np.frombuffer(r.vector, dtype=np.float32) for r in rows])
    similarity = matrix @ vector.astype(np.float32)
    best: dict[int, float] = {}
    for row, score in zip(rows, similarity.tolist(), strict=True):
        best[row.story_id] = max(best.get(row.story_id, -1.0), score)
    if not best:
        return []
    cut = max(floor, max(best.values()) - margin)
    ranked = sorted(((s, v) for s, v in best.items() if v >= cut), key=lambda sv: (-sv[1], sv[0]))
    return ranked[:limit]


def story_rows(conn: sa.Connection, ids: Sequence[int]) -> dict[int, dict]:
    """Story rows by id (titles and times of the groups search shows)."""
    if not ids:
        return {}
    return {r.id: dict(r._mapping) for r in conn.execute(sa.select(stories).where(stories.c.id.in_(list(ids))))}
