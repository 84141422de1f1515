"""Turning what a person types into safe full-text queries, and the article filters both backends share.

User input never reaches MATCH or to_tsquery as syntax: it is split into words, and each word is quoted (FTS5) or
is a bare lexeme (tsquery). The last word matches as a prefix so results appear while typing.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from newsdesk.search import SearchFilters, SearchHit
from newsdesk.store.tables_core import articles

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12  # a longer query adds cost and no precision

HIT_COLUMNS = (articles.c.id, articles.c.outlet, articles.c.language, articles.c.region, articles.c.url,
               articles.c.story_id, articles.c.published_at, articles.c.duplicate_of)


def query_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, at most MAX_TERMS."""
    return [w.lower() for w in _WORD.findall(query or "")][:MAX_TERMS]


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term must appear; the last one as a prefix."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    if quoted:
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery_text(terms: list[str]) -> str:
    """A to_tsquery expression: every term must appear; the last one as a prefix."""
    parts = [t.replace("'", "") for t in terms]
    if parts:
        parts[-1] += ":*"
    return " & ".join(parts)


def filter_clauses(filters: SearchFilters) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses on ``articles`` for the given filters."""
    clauses: list[sa.ColumnElement[bool]] = []
    if filters.outlet:
        clauses.append(articles.c.outlet == filters.outlet)
    if filters.language:
        clauses.append(articles.c.language == filters.language)
    if filters.region:
        clauses.append(articles.c.region == filters.region.upper())
    if filters.topic:
        clauses.append(sa.cast(articles.c.topics, sa.Text).like(f'%"{filters.topic}"%'))
    if filters.date_from:
        clauses.append(articles.c.published_at >= filters.date_from)
    if filters.date_to:
        clauses.append(articles.c.published_at < filters.date_to)
    return clauses


def hit_from_row(row: sa.Row) -> SearchHit:
    """A SearchHit from a row holding HIT_COLUMNS plus ``title_marked`` and ``snippet_marked``."""
    return SearchHit(article_id=row.id, title_marked=row.title_marked or "", snippet_marked=row.snippet_marked or "",
                     outlet=row.outlet, language=row.language, region=row.region, url=row.url,
                     story_id=row.story_id, published_at=row.published_at, duplicate_of=row.duplicate_of)
