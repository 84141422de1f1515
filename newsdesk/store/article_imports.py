"""Importing articles under external ids, by the same identity rule as ingest.

An import line whose external id is known (as an article's id or an alias) was imported before and is skipped.
Every other line goes through :func:`newsdesk.store.article_batches.store_deliveries`, so an article already stored
under the same link, canonical URL, GUID or content hash (or an earlier line of the same batch) is the same article
whatever path it came by; the line's external id is then kept in ``article_aliases``, and ``export`` lists it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from newsdesk.store.article_batches import Delivery, store_deliveries
from newsdesk.store.tables_core import article_aliases, articles

LOOKUP_CHUNK = 500


@dataclass
class ImportedBatch:
    """What a batch of import lines became: new articles (their ids), aliases of stored ones, lines skipped."""

    new_ids: list[int] = field(default_factory=list)
    aliased: int = 0
    skipped: int = 0


def import_rows(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> ImportedBatch:
    """Store import rows (each with its ``external_id``) in the caller's transaction."""
    known = _known_external_ids(conn, [r["external_id"] for r in rows])
    outcome = ImportedBatch()
    fresh: list[dict[str, Any]] = []
    for row in rows:
        if row["external_id"] in known:
            outcome.skipped += 1
        else:
            known.add(row["external_id"])
            fresh.append(row)
    stored = store_deliveries(conn, [Delivery(row, None, None) for row in fresh])
    aliases = [{"external_id": row["external_id"], "article_id": s.article_id}
               for row, s in zip(fresh, stored, strict=True) if not s.new]
    if aliases:
        conn.execute(article_aliases.insert(), aliases)
    outcome.new_ids = [s.article_id for s in stored if s.new]
    outcome.aliased = len(aliases)
    return outcome


def _known_external_ids(conn: sa.Connection, ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start:start + LOOKUP_CHUNK]
        known.update(conn.execute(sa.select(articles.c.external_id).where(articles.c.external_id.in_(chunk))).scalars())
        known.update(conn.execute(sa.select(article_aliases.c.external_id)
                                  .where(article_aliases.c.external_id.in_(chunk))).scalars())
    return known

