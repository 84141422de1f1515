"""The summary cache: one stored payload per story and summary engine, valid while its fingerprint matches."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.store.tables_ai import ai_summaries


def cached_summary(engine: sa.Engine, story_id: int, engine_name: str, fingerprint: str) -> dict[str, Any] | None:
    """The stored payload when its fingerprint matches the story's current articles."""
    table = ai_summaries
    with engine.connect() as conn:
        row = conn.execute(sa.select(table.c.fingerprint, table.c.payload)
                           .where(table.c.story_id == story_id, table.c.engine == engine_name)).first()
    if row is None or row.fingerprint != fingerprint:
        return None
    return row.payload


def store_summary(engine: sa.Engine, story_id: int, engine_name: str, fingerprint: str,
                  payload: dict[str, Any]) -> None:
    """Replace the cached summary of one story and engine."""
    table = ai_summaries
    with engine.begin() as conn:
        conn.execute(sa.delete(table).where(table.c.story_id == story_id, table.c.engine == engine_name))
        conn.execute(sa.insert(table).values(story_id=story_id, engine=engine_name, fingerprint=fingerprint,
                                             payload=payload, generated_at=datetime.now(UTC)))
