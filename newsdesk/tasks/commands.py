"""Source management used by the CLI and the web app: add by feed or site URL, OPML import and export."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.fetch.client import PoliteClient
from newsdesk.sources.discovery import discover_feeds
from newsdesk.sources.opml import OpmlOutline, RefusedOutline, checked_outlines, parse_opml, write_opml
from newsdesk.store import sources as source_store
from newsdesk.store.db import Engine
from newsdesk.text.urls import checked_url


class SourceError(ValueError):
    """A source could not be added (no feed found, URL refused…); the message says why."""


@dataclass(frozen=True)
class AddedSource:
    id: int
    feed_url: str
    kind: str
    created: bool
    alternatives: tuple[str, ...] = ()


async def _discover(settings: Settings, url: str) -> list:
    async with PoliteClient(settings) as client:
        return await discover_feeds(client, url)


def add_source(engine: Engine, settings: Settings, url: str, *, name: str | None = None,
               language: str | None = None, region: str | None = None, topics: Sequence[str] = ()) -> AddedSource:
    """Add a source by feed URL or by site URL (the site's feeds are discovered; the first one is added)."""
    try:
        url = checked_url(url)
    except ValueError as exc:
        raise SourceError(f"not a usable URL: {url!r} ({exc})") from exc
    found = asyncio.run(_discover(settings, url))
    if not found:
        raise SourceError(f"no feed or news sitemap found at {url}")
    best = found[0]
    kind = "sitemap" if best.kind in {"sitemap", "sitemapindex"} else "feed"
    with engine.begin() as conn:
        source_id, created = source_store.add_source(
            conn, best.url, kind=kind, name=name or best.title or None, site_url=None if best.url == url else url,
            language=language, region=region.upper() if region else None, topics=topics)
    return AddedSource(source_id, best.url, kind, created, tuple(f.url for f in found[1:]))


@dataclass(frozen=True)
class OpmlImport:
    """What an OPML import did: feeds in the file, how many were added or already known, and the outlines refused
    (each with its feed URL as written, its title and the reason), which were not stored."""

    outlines: int
    created: int
    known: int
    refused: tuple[RefusedOutline, ...] = ()


def import_opml(engine: Engine, path: Path, progress: Callable[[int], None] | None = None) -> OpmlImport:
    """Add every feed of an OPML file (folders become topics) in one transaction; known feeds are kept. Outlines whose
    URLs break the URL rule are refused and listed in the result; the others are still added."""
    outlines, refused = checked_outlines(parse_opml(path.read_bytes()))
    created = 0
    with engine.begin() as conn:
        for outline in outlines:
            _, new = source_store.add_source(
                conn, outline.feed_url, name=outline.title, site_url=outline.site_url, language=outline.language,
                region=outline.region, topics=outline.topics)
            created += new
            if progress:
                progress(1)
    if progress and refused:
        progress(len(refused))
    return OpmlImport(len(outlines) + len(refused), created, len(outlines) - created, tuple(refused))


def export_opml(engine: Engine) -> str:
    """Every source as OPML 2.0, topics as folders."""
    with engine.connect() as conn:
        rows = source_store.list_sources(conn)
    return write_opml(OpmlOutline(feed_url=r.feed_url, title=r.name or r.feed_url, site_url=r.site_url,
                                  topics=list(r.topics or []), language=r.language, region=r.region) for r in rows)


def store_pushed_feed(engine: Engine, settings: Settings, source_id: int, body: bytes,
                      content_type: str | None) -> int:
    """Store the new entries of a feed body a WebSub hub pushed for a source (see ``tasks.websub``)."""
    from newsdesk.tasks.websub import ingest_pushed

    return ingest_pushed(engine, settings, source_id, body, content_type)
