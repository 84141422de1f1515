"""Storing many delivered articles in one transaction: one lookup, one multi-row insert, one insert of feed links.

The ingest pass writes what it extracts in batches (``newsdesk.tasks.article_writer``): per article, a transaction
with its own lookup, insert, link and commit cost more CPU in the pipeline's one process than the rest of storing
together. The identity rules (see :mod:`newsdesk.store.articles`): an article already stored under the same link or
declared canonical URL (either column), GUID or content hash is the same article, and so is an earlier article of
the same batch; a delivery of a known article only adds the feed's link.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.store.articles import complete_row
from newsdesk.store.tables_core import article_feeds, articles

LOOKUP_CHUNK = 200  # keys per IN list of the lookup (SQLite's default limit on bound parameters is 32,766)


@dataclass
class Delivery:
    """One article as a feed delivered it: its row values (``url``, ``canonical_url``, ``guid``, ``text`` ...) and
    the feed that delivered it, with the GUID that feed gave it."""

    values: dict[str, Any]
    source_id: int | None
    guid: str | None


@dataclass
class Stored:
    """Where a delivery ended up: the article's id, and whether this batch inserted it."""

    article_id: int
    new: bool


def delivery_keys(values: dict[str, Any]) -> list[tuple[str, str]]:
    """The identities of an article: ("link", url or canonical URL), ("guid", ...), ("hash", content hash)."""
    keys = [("link", link) for link in dict.fromkeys(v for v in (values.get("url"), values.get("canonical_url")) if v)]
    if values.get("guid"):
        keys.append(("guid", values["guid"]))
    if values.get("content_hash"):
        keys.append(("hash", values["content_hash"]))
    return keys


def store_deliveries(conn: sa.Connection, deliveries: Sequence[Delivery]) -> list[Stored]:
    """Store a batch in the caller's transaction; one :class:`Stored` per delivery, in order."""
    rows = [complete_row(d.values) for d in deliveries]
    known = _stored_ids(conn, [key for row in rows for key in delivery_keys(row)])
    plan: list[tuple[str, int]] = []  # ("old", article id) or ("new", index into fresh)
    fresh: list[dict[str, Any]] = []
    creators: set[int] = set()  # the deliveries that insert a row
    for index, row in enumerate(rows):
        keys = delivery_keys(row)
        matches = [known[k] for k in keys if k in known]
        target = min((m for m in matches if m[0] == "old"), default=None) or min(matches, default=None)
        if target is None:
            target = ("new", len(fresh))
            fresh.append(row)
            creators.add(index)
        for key in keys:
            known.setdefault(key, target)
        plan.append(target)
    new_ids = _insert_rows(conn, fresh)
    stored = [Stored(new_ids[ref] if kind == "new" else ref, index in creators)
              for index, (kind, ref) in enumerate(plan)]
    _link_feeds(conn, [(s.article_id, d.source_id, d.guid) for s, d in zip(stored, deliveries, strict=True)])
    return stored


def _stored_ids(conn: sa.Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, int]]:
    """Map each key already in the store to ("old", lowest article id holding it)."""
    wanted: dict[str, list[str]] = {"link": [], "guid": [], "hash": []}
    for kind, value in dict.fromkeys(keys):
        wanted[kind].append(value)
    columns = (("link", articles.c.url), ("link", articles.c.canonical_url), ("guid", articles.c.guid),
               ("hash", articles.c.content_hash))
    found: dict[tuple[str, str], tuple[str, int]] = {}
    for kind, column in columns:
        values = wanted[kind]
        for start in range(0, len(values), LOOKUP_CHUNK):
            query = sa.select(column, articles.c.id).where(column.in_(values[start:start + LOOKUP_CHUNK]))
            for value, article_id in conn.execute(query):
                key = (kind, value)
                if key not in found or article_id < found[key][1]:
                    found[key] = ("old", article_id)
    return found


def _insert_rows(conn: sa.Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows (one statement per set of columns) and return their ids in the rows' order."""
    ids: dict[int, int] = {}
    by_columns: dict[tuple[str, ...], list[int]] = {}
    for index, row in enumerate(rows):
        by_columns.setdefault(tuple(sorted(row)), []).append(index)
    for indexes in by_columns.values():
        statement = articles.insert().returning(articles.c.id, sort_by_parameter_order=True)
        result = conn.execute(statement, [rows[i] for i in indexes])
        ids.update(zip(indexes, result.scalars(), strict=True))
    return [ids[i] for i in range(len(rows))]


def _link_feeds(conn: sa.Connection, links: list[tuple[int, int | None, str | None]]) -> None:
    """Record each (article, feed) pair once, keeping links that are already there."""
    wanted: dict[tuple[int, int], str | None] = {}
    for article_id, source_id, guid in links:
        if source_id is not None:
            wanted.setdefault((article_id, source_id), guid)
    if not wanted:
        return
    pairs = list(wanted)
    present: set[tuple[int, int]] = set()
    for start in range(0, len(pairs), LOOKUP_CHUNK):
        article_ids = sorted({a for a, _ in pairs[start:start + LOOKUP_CHUNK]})
        query = sa.select(article_feeds.c.article_id, article_feeds.c.source_id).where(
            article_feeds.c.article_id.in_(article_ids))
        present.update((a, s) for a, s in conn.execute(query))
    now = datetime.now(UTC)
    new = [{"article_id": a, "source_id": s, "guid": g, "seen_at": now} for (a, s), g in wanted.items()
           if (a, s) not in present]
    if new:
        conn.execute(article_feeds.insert(), new)
