"""Queries on starter packs: add a pack (its sources, idempotently), remove one, and what is installed.

Adding a pack records it in ``packs``, adds each feed through :func:`newsdesk.store.sources.add_source` (so the
URL and text rules hold; a feed already known keeps its own fields and is only listed) and lists every source in
``pack_sources``. Removing a pack drops its listing and then every source it listed that no other pack lists and
that a pack created (``sources.added_by_pack``): sources an admin added by hand stay. Removed sources' articles
stay, as :func:`newsdesk.store.sources.remove_source` keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import sqlalchemy as sa

from newsdesk.store.sources import add_source, remove_source
from newsdesk.store.tables_core import sources
from newsdesk.store.tables_packs import pack_sources, packs
from newsdesk.text.urls import UrlError


class Pack(Protocol):
    """What the store needs of a starter pack (``newsdesk.sources.packs.Pack`` is one)."""

    @property
    def slug(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def language(self) -> str | None: ...

    @property
    def region(self) -> str | None: ...

    @property
    def names(self) -> Mapping[str, str]: ...

    @property
    def feeds(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class PackResult:
    """What adding or removing a pack did."""

    slug: str
    created: int = 0  # sources that did not exist before
    listed: int = 0  # sources the pack lists now (new and already known)
    refused: tuple[str, ...] = ()  # feed URLs the URL rule refused
    removed: int = 0  # sources removed with the pack
    articles_kept: int = 0  # articles of removed sources, kept without a source


def add_pack(conn: sa.Connection, pack: Pack, now: datetime | None = None) -> PackResult:
    """Add ``pack`` and its sources; adding it again changes nothing but lists feeds it gained."""
    if conn.execute(sa.select(packs.c.slug).where(packs.c.slug == pack.slug)).first() is None:
        conn.execute(packs.insert().values(slug=pack.slug, name=pack.name, kind=pack.kind, language=pack.language,
                                           region=pack.region, names=dict(pack.names),
                                           added_at=now or datetime.now(UTC)))
    listed = set(conn.execute(sa.select(pack_sources.c.source_id).where(pack_sources.c.pack_slug == pack.slug))
                 .scalars())
    created, refused, ids = 0, [], []
    for feed_url in pack.feeds:
        try:
            source_id, new = add_source(conn, feed_url, name=None, language=pack.language, region=pack.region,
                                        topics=[pack.name])
        except UrlError:
            refused.append(feed_url)
            continue
        if new:
            created += 1
            conn.execute(sources.update().where(sources.c.id == source_id).values(added_by_pack=pack.slug))
        if source_id not in listed:
            listed.add(source_id)
            ids.append(source_id)
            _add_topic(conn, source_id, pack.name)
    if ids:
        conn.execute(pack_sources.insert(), [{"pack_slug": pack.slug, "source_id": i} for i in ids])
    return PackResult(pack.slug, created=created, listed=len(listed), refused=tuple(refused))


def _add_topic(conn: sa.Connection, source_id: int, topic: str) -> None:
    """A feed several packs list carries each pack's name among its topics."""
    topics = conn.execute(sa.select(sources.c.topics).where(sources.c.id == source_id)).scalar_one() or []
    if topic not in topics:
        conn.execute(sources.update().where(sources.c.id == source_id).values(topics=[*topics, topic]))


def remove_pack(conn: sa.Connection, slug: str) -> PackResult | None:
    """Remove a pack and the sources only it brought (see module docstring); None when it is not installed."""
    if conn.execute(sa.select(packs.c.slug).where(packs.c.slug == slug)).first() is None:
        return None
    listed = list(conn.execute(sa.select(pack_sources.c.source_id).where(pack_sources.c.pack_slug == slug))
                  .scalars())
    conn.execute(pack_sources.delete().where(pack_sources.c.pack_slug == slug))
    conn.execute(packs.delete().where(packs.c.slug == slug))
    still_listed = sa.select(pack_sources.c.source_id).where(pack_sources.c.source_id == sources.c.id).exists()
    orphans = list(conn.execute(sa.select(sources.c.id).where(
        sources.c.id.in_(listed), sources.c.added_by_pack.is_not(None), ~still_listed)).scalars()) if listed else []
    kept = sum(remove_source(conn, source_id) or 0 for source_id in orphans)
    return PackResult(slug, listed=len(listed), removed=len(orphans), articles_kept=kept)


def installed_packs(conn: sa.Connection) -> dict[str, int]:
    """Installed pack slugs with how many sources each lists."""
    rows = conn.execute(sa.select(packs.c.slug, sa.func.count(pack_sources.c.source_id))
                        .select_from(packs.outerjoin(pack_sources, pack_sources.c.pack_slug == packs.c.slug))
                        .group_by(packs.c.slug))
    return {slug: count for slug, count in rows}


def packs_of_source(conn: sa.Connection, source_id: int) -> list[str]:
    """Slugs of the packs that list a source."""
    return list(conn.execute(sa.select(pack_sources.c.pack_slug).where(pack_sources.c.source_id == source_id)
                             .order_by(pack_sources.c.pack_slug)).scalars())


def has_sources(conn: sa.Connection) -> bool:
    """True once any source exists (the first-run page is offered only before)."""
    return conn.execute(sa.select(sources.c.id).limit(1)).first() is not None
