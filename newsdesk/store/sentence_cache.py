"""The cache of split and embedded article sentences (``ai_article_sentences``), one row per article.

What a row holds and when it is stale is the ai stage's business (:mod:`newsdesk.ai.sentence_store`); these
functions read rows in chunks and replace rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from newsdesk.store.tables_ai import ai_article_sentences

CHUNK = 500


class CachedSentences(NamedTuple):
    """One article's cached sentences: the key they were computed for, the sentences as lists, float16 vectors."""

    article_id: int
    content_key: str
    sentences: list[list[Any]]
    vectors: bytes


def cached_rows(engine: sa.Engine, article_ids: list[int]) -> list[CachedSentences]:
    """The cached rows of these articles (whatever their key)."""
    table = ai_article_sentences
    out: list[CachedSentences] = []
    with engine.connect() as conn:
        for start in range(0, len(article_ids), CHUNK):
            query = sa.select(table.c.article_id, table.c.content_key, table.c.sentences, table.c.vectors).where(
                table.c.article_id.in_(article_ids[start:start + CHUNK]))
            out += [CachedSentences(*row) for row in conn.execute(query)]
    return out


def replace_rows(engine: sa.Engine, rows: list[CachedSentences]) -> None:
    """Store these rows in place of the articles' old ones; a racing worker's rows, stored first, are kept."""
    now = datetime.now(UTC)
    table = ai_article_sentences
    try:
        with engine.begin() as conn:
            conn.execute(sa.delete(table).where(table.c.article_id.in_([r.article_id for r in rows])))
            conn.execute(sa.insert(table), [{**r._asdict(), "computed_at": now} for r in rows])
    except sa.exc.IntegrityError:
        pass  # another worker stored the same articles meanwhile; its rows are as good as ours
