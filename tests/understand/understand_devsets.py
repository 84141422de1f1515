"""Helpers for the understand tests: load a clustering-dev set, insert its articles, read back assignments."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from newsdesk.store.articles import ids_in_time_order, insert_article
from newsdesk.store.tables_core import articles


def load_rows(shared_dir: Path, name: str) -> list[dict]:
    path = shared_dir / "data" / "clustering-dev" / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def insert_rows(engine: sa.Engine, rows: list[dict]) -> list[int]:
    """Insert dev-set rows as articles (gold label dropped); ids in time order, as the importer hands them on."""
    ids = []
    with engine.begin() as conn:
        for row in rows:
            published = _utc(row.get("published"))
            ids.append(insert_article(conn, {
                "external_id": str(row["id"]), "title": row.get("title") or "", "text": row.get("text") or "",
                "outlet": row.get("source"), "url": row.get("url"),
                "published_at": published,
            }))
        return ids_in_time_order(conn, ids)


def assignments(engine: sa.Engine) -> dict[str, tuple[int | None, int | None]]:
    """external id -> (story id, duplicate_of article id)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(articles.c.external_id, articles.c.story_id, articles.c.duplicate_of)).all()
    return {r.external_id: (r.story_id, r.duplicate_of) for r in rows}


def _utc(text: str | None) -> datetime | None:
    if not text:
        return None
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)
