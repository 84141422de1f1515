"""Full-text search over articles behind one small interface.

``SearchBackend`` is what the web pages and the API call; ``backend_for(engine)`` picks the implementation for the
database's dialect: SQLite FTS5 (``sqlite_fts``) or PostgreSQL ``tsvector`` (``postgres_tsv``). Both keep their index in
step with the ``articles`` table inside the database (triggers or an expression index created by migration 0004), so
writers never call the search stage. Snippets come back as plain text with highlight sentinels; ``highlight.to_html``
turns them into escaped HTML with ``<mark>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from newsdesk.store.db import Engine


@dataclass(frozen=True)
class SearchFilters:
    """Optional restrictions of a search; ``None`` means no restriction."""

    outlet: str | None = None
    language: str | None = None
    region: str | None = None
    topic: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None


@dataclass(frozen=True)
class SearchHit:
    """One matching article; ``title_marked`` and ``snippet_marked`` carry highlight sentinels (see ``highlight``)."""

    article_id: int
    title_marked: str
    snippet_marked: str
    outlet: str | None
    language: str | None
    region: str | None
    url: str | None
    story_id: int | None
    published_at: datetime | None
    duplicate_of: int | None


class SearchBackend(Protocol):
    """Full-text search of stored articles. Implementations are cheap to build and hold no connection."""

    def index(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Make these article rows searchable; returns how many needed work (0 when the database keeps up itself)."""

    def rebuild(self) -> None:
        """Rebuild the whole index from the ``articles`` table."""

    def search(self, query: str, filters: SearchFilters, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Best matches first; an empty or wordless query matches nothing."""


def backend_for(engine: Engine) -> SearchBackend:
    """The search backend for this engine's dialect."""
    if engine.dialect.name == "sqlite":
        from newsdesk.search.sqlite_fts import SqliteFtsBackend

        return SqliteFtsBackend(engine)
    if engine.dialect.name == "postgresql":
        from newsdesk.search.postgres_tsv import PostgresTsvBackend

        return PostgresTsvBackend(engine)
    raise NotImplementedError(f"no search backend for {engine.dialect.name}")
