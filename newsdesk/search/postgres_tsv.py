"""PostgreSQL search: a GIN index on a weighted ``tsvector`` expression over title (A) and text (B).

The ``simple`` configuration (no stemming, no stop words) is used because articles come in many languages; the
index is an expression index, so no column or trigger is needed and every write is indexed by PostgreSQL itself.
Queries repeat the indexed expression verbatim (``VECTOR_SQL``) so the planner uses the index. Headlines are cut
with ``ts_headline`` using the same highlight sentinels as SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from newsdesk.search import SearchFilters, SearchHit
from newsdesk.search.query import HIT_COLUMNS, filter_clauses, hit_from_row, query_terms, tsquery_text
from newsdesk.store.tables_core import articles

VECTOR_SQL = ("(setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || "
              "setweight(to_tsvector('simple'::regconfig, coalesce(text, '')), 'B'))")
CREATE_SQL = (f"CREATE INDEX ix_articles_search ON articles USING GIN ({VECTOR_SQL})",)
DROP_SQL = ("DROP INDEX IF EXISTS ix_articles_search",)
_HEADLINE_OPTIONS = "StartSel=\x02, StopSel=\x03, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \""
_HEADLINE_CHARS = 20000  # ts_headline re-parses the text: bound its cost on very long articles


class PostgresTsvBackend:
    """SearchBackend on a PostgreSQL GIN expression index created by migration 0004."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def index(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Nothing to do: the expression index is updated by PostgreSQL on every write."""
        return 0

    def rebuild(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("REINDEX INDEX ix_articles_search")

    def search(self, query: str, filters: SearchFilters, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        terms = query_terms(query)
        if not terms:
            return []
        tsquery = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery_text(terms))
        vector: sa.ColumnClause[Any] = sa.literal_column(VECTOR_SQL)
        title = sa.func.ts_headline(sa.literal_column("'simple'::regconfig"), articles.c.title, tsquery,
                                    "StartSel=\x02, StopSel=\x03, HighlightAll=true")
        body = sa.func.ts_headline(sa.literal_column("'simple'::regconfig"),
                                   sa.func.left(articles.c.text, _HEADLINE_CHARS), tsquery, _HEADLINE_OPTIONS)
        best = (
            sa.select(articles.c.id, sa.func.ts_rank_cd(vector, tsquery).label("rank"))
            .where(vector.op("@@")(tsquery), *filter_clauses(filters))
            .order_by(sa.text("rank DESC"), articles.c.id.desc())
            .limit(limit).offset(offset)
            .subquery("best")
        )
        # headlines only for the page of hits: the subquery ranks and cuts first
        stmt = (
            sa.select(*HIT_COLUMNS, title.label("title_marked"), body.label("snippet_marked"))
            .join_from(best, articles, articles.c.id == best.c.id)
            .order_by(best.c.rank.desc(), articles.c.id.desc())
        )
        with self.engine.connect() as conn:
            return [hit_from_row(row) for row in conn.execute(stmt)]
