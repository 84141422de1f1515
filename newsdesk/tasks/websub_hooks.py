"""What a poll does for WebSub: note the hub a fetched feed advertises, and slow the poll of a source whose hub
pushes (polling stays as the fallback). Both do nothing while ``websub_callback_url`` is unset."""

from __future__ import annotations

from datetime import datetime, timedelta

from newsdesk.config import Settings
from newsdesk.fetch.client import FetchResult
from newsdesk.sources.websub import find_hub
from newsdesk.store import websub as websub_store
from newsdesk.store.db import Engine


def note_hub(engine: Engine, settings: Settings, source_id: int, result: FetchResult, now: datetime) -> None:
    """Record the hub of a fetched feed, to be subscribed at the scheduler's next step."""
    if not settings.websub_callback_url:
        return
    link = find_hub(result.headers, result.content, result.url)
    if link is None:
        return
    with engine.begin() as conn:
        websub_store.note_hub(conn, source_id, link.hub, link.topic, now)


def push_slowed(engine: Engine, settings: Settings, source_id: int, now: datetime, at: datetime,
                interval: int) -> tuple[datetime, int]:
    """The next poll, moved out to ``websub_poll_interval`` when the source's hub pushed within that time."""
    slow = settings.websub_poll_interval
    if not settings.websub_callback_url or interval >= slow:
        return at, interval
    with engine.connect() as conn:
        pushing = websub_store.pushed_since(conn, source_id, now - timedelta(seconds=slow))
    return (now + timedelta(seconds=slow), slow) if pushing else (at, interval)
