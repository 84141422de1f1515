"""Reading a story's articles for the ai stage: the non-duplicate members, with what a citation needs to show."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa

from newsdesk.store.tables_core import articles


@dataclass(frozen=True)
class StoryArticle:
    """One article of a story as the summariser sees it."""

    id: int
    title: str
    text: str
    language: str | None
    outlet: str
    url: str | None
    published_at: datetime | None
    region: str | None
    content_hash: str | None

    @property
    def content_key(self) -> str:
        """Changes whenever the text or its language does."""
        basis = self.content_hash or hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        return f"{basis}:{self.language or ''}"


_COLUMNS = (articles.c.id, articles.c.title, articles.c.text, articles.c.language, articles.c.outlet, articles.c.url,
            articles.c.source_url, articles.c.published_at, articles.c.region, articles.c.content_hash)


def story_articles(engine: sa.Engine, story_id: int) -> list[StoryArticle]:
    """The story's articles that are not marked duplicates of another, oldest first (then by id)."""
    return _select(engine, articles.c.story_id == story_id)


def articles_by_id(engine: sa.Engine, ids: list[int]) -> list[StoryArticle]:
    """The given articles (duplicates left out), oldest first."""
    return _select(engine, articles.c.id.in_(ids)) if ids else []


def _select(engine: sa.Engine, condition: sa.ColumnElement[bool]) -> list[StoryArticle]:
    query = (
        sa.select(*_COLUMNS).where(condition, articles.c.duplicate_of.is_(None))
        .order_by(articles.c.published_at.is_(None), articles.c.published_at, articles.c.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        StoryArticle(id=row.id, title=row.title or "", text=row.text or "", language=row.language,
                     outlet=_outlet_name(row.outlet, row.url or row.source_url, row.id), url=row.url,
                     published_at=row.published_at, region=row.region, content_hash=row.content_hash)
        for row in rows
    ]


def _outlet_name(outlet: str | None, url: str | None, article_id: int) -> str:
    """The publisher's display name; else the host of its link; else a name unique to the article."""
    if outlet and outlet.strip():
        return outlet.strip()
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return f"article {article_id}"


def story_fingerprint(members: list[StoryArticle], version: str) -> str:
    """A hash of the story's membership and contents; a summary is regenerated when it changes."""
    basis = version + "|" + ";".join(f"{a.id}:{a.content_key}" for a in sorted(members, key=lambda a: a.id))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()
