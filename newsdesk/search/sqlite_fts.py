"""SQLite FTS5 search: an external-content table over ``articles`` kept in step by triggers.

Only title and text are indexed (``unicode61`` with diacritics folded, so "ecole" finds "école"). The UPDATE trigger
fires only when title or text change: the understanding stage rewrites ``story_id`` on many rows and must not pay for
reindexing. Ranking is BM25 with the title weighted five times the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from newsdesk.search import SearchFilters, SearchHit
from newsdesk.search.query import HIT_COLUMNS, filter_clauses, fts5_query, hit_from_row, query_terms
from newsdesk.store.tables_core import articles

CREATE_SQL = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
)
DROP_SQL = (
    "DROP TRIGGER IF EXISTS articles_fts_au",
    "DROP TRIGGER IF EXISTS articles_fts_ad",
    "DROP TRIGGER IF EXISTS articles_fts_ai",
    "DROP TABLE IF EXISTS articles_fts",
)

_fts = sa.table("articles_fts", sa.column("rowid"))
_RANK: sa.ColumnClause[Any] = sa.literal_column("bm25(articles_fts, 5.0, 1.0)")
_TITLE: sa.ColumnClause[Any] = sa.literal_column("highlight(articles_fts, 0, char(2), char(3))")
_SNIPPET: sa.ColumnClause[Any] = sa.literal_column("snippet(articles_fts, 1, char(2), char(3), '…', 24)")


class SqliteFtsBackend:
    """SearchBackend on FTS5; the index is maintained by the triggers of migration 0004."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def index(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Nothing to do: INSERT/UPDATE/DELETE triggers index rows as they are written."""
        return 0

    def rebuild(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")

    def search(self, query: str, filters: SearchFilters, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        terms = query_terms(query)
        if not terms:
            return []
        stmt = (
            sa.select(*HIT_COLUMNS, _TITLE.label("title_marked"), _SNIPPET.label("snippet_marked"))
            .select_from(_fts.join(articles, articles.c.id == _fts.c.rowid))
            .where(sa.text("articles_fts MATCH :match").bindparams(match=fts5_query(terms)), *filter_clauses(filters))
            .order_by(_RANK, articles.c.id.desc())
            .limit(limit).offset(offset)
        )
        with self.engine.connect() as conn:
            return [hit_from_row(row) for row in conn.execute(stmt)]
