"""The LLM call budget: at most ``ai_llm_max_calls_per_hour`` calls in any rolling hour, shared by all workers.

A caller reserves a call before making it. The reservation is a row in ``ai_llm_calls``; a worker inserts its row,
then counts the rows of the last hour up to its own id, and withdraws when that count is over the limit. Two
workers racing for the last slot can both withdraw (never both proceed), which errs on the side of the bill.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.store.tables_ai import ai_llm_calls

WINDOW = timedelta(hours=1)
KEEP = timedelta(days=2)  # older rows are pruned; they only serve as a record of recent use


def reserve_call(engine: sa.Engine, settings: Settings, purpose: str, story_id: int | None = None,
                 now: datetime | None = None) -> bool:
    """Claim one LLM call for ``purpose``; False (and nothing recorded) when the hourly budget is spent."""
    limit = settings.ai_llm_max_calls_per_hour
    if limit <= 0:
        return False
    now = now or datetime.now(UTC)
    table = ai_llm_calls
    with engine.begin() as conn:
        conn.execute(sa.delete(table).where(table.c.called_at < now - KEEP))
        my_id = conn.execute(sa.insert(table).values(called_at=now, purpose=purpose, story_id=story_id)
                             .returning(table.c.id)).scalar_one()
    with engine.begin() as conn:
        used = conn.execute(sa.select(sa.func.count()).select_from(table)
                            .where(table.c.called_at > now - WINDOW, table.c.called_at <= now,
                                   table.c.id <= my_id)).scalar_one()
        if used > limit:
            conn.execute(sa.delete(table).where(table.c.id == my_id))
            return False
    return True


def calls_in_last_hour(engine: sa.Engine, now: datetime | None = None) -> int:
    """How many LLM calls the install made in the rolling hour before ``now``."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(ai_llm_calls)
                            .where(ai_llm_calls.c.called_at > now - WINDOW)).scalar_one()
