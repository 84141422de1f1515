"""WebSub on the subscriber's side, the moving parts: asking hubs to subscribe, renew and unsubscribe, and storing
a pushed feed through the ingest path.

:func:`maintain` runs with every scheduler step when ``websub_callback_url`` is set: sources removed since get
their subscriptions marked for unsubscription, then every due row (new, lease ending, unverified for too long,
unsubscription pending) gets its request. The hub then verifies with a GET to the callback
(``newsdesk.web.pages.websub``), which settles the row. :func:`ingest_pushed` parses a push body as the feed and
stores its new entries like a poll would (same claims, extraction and batch writer), without understanding them:
the scheduler's next step does that, with its long-lived stage.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from newsdesk.config import Settings
from newsdesk.fetch.errors import FetchError
from newsdesk.fetch.form_post import post_form
from newsdesk.sources.websub import callback_url
from newsdesk.store import websub as websub_store
from newsdesk.store.db import Engine
from newsdesk.store.websub import Subscription

log = logging.getLogger(__name__)


def maintain(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Send every due hub request; returns how many were sent. Does nothing without ``websub_callback_url``."""
    if not settings.websub_callback_url:
        return 0
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        websub_store.mark_orphans(conn)
        websub_store.drop_expired_unsubscriptions(conn, now)
        due = websub_store.due_requests(conn, now, settings.websub_renew_before, settings.websub_retry_seconds)
    if due:
        asyncio.run(_send_all(engine, settings, due, now))
    return len(due)


async def _send_all(engine: Engine, settings: Settings, due: list[Subscription], now: datetime) -> None:
    await asyncio.gather(*(_send(engine, settings, sub, now) for sub in due))


async def _send(engine: Engine, settings: Settings, sub: Subscription, now: datetime) -> None:
    unsubscribe = sub.state == "unsubscribing"
    fields = {"hub.mode": "unsubscribe" if unsubscribe else "subscribe", "hub.topic": sub.topic_url,
              "hub.callback": callback_url(settings.websub_callback_url, sub.token)}
    if not unsubscribe:
        fields.update({"hub.lease_seconds": str(settings.websub_lease_seconds), "hub.secret": sub.secret})
    error = None
    try:
        status, text = await post_form(sub.hub_url, fields, allow_networks=settings.fetch_allow_networks,
                                       timeout=settings.fetch_connect_timeout + settings.fetch_read_timeout,
                                       user_agent=settings.fetch_user_agent)
        if not 200 <= status < 300:
            error = f"hub answered HTTP {status}: {text.strip()[:300]}"
    except FetchError as exc:
        error = str(exc)
    with engine.begin() as conn:
        if unsubscribe and error is not None and sub.expires_at is None:
            websub_store.forget(conn, sub.id)  # never verified, and the hub will not take the request: done
            return
        websub_store.mark_requested(conn, sub.id, now, unsubscribe=unsubscribe, error=error)
    if error:
        log.info("websub %s at %s: %s", fields["hub.mode"], sub.hub_url, error)


def ingest_pushed(engine: Engine, settings: Settings, source_id: int, body: bytes, content_type: str | None,
                  ) -> int:
    """Store the new entries of a pushed feed body for ``source_id``; returns how many articles were new."""
    from newsdesk.fetch.client import PoliteClient
    from newsdesk.fetch.throttle import AdmissionGate
    from newsdesk.sources.feeds import FeedParseError
    from newsdesk.store.sources import get_source
    from newsdesk.tasks.extraction_pool import ExtractionPool
    from newsdesk.tasks.ingest import IngestPass

    with engine.connect() as conn:
        source = get_source(conn, source_id)
    if source is None:
        return 0
    in_process = settings.replace(extract_processes=1)  # a push brings a few entries: no process pool for them

    async def run() -> int:
        async with ExtractionPool(in_process) as pool, \
                PoliteClient(in_process, AdmissionGate(settings.fetch_max_in_flight)) as client:
            ingest = IngestPass(engine, in_process, client, pool, None)
            await ingest.run_pushed(source, body, content_type)
            return ingest.summary.new

    try:
        return asyncio.run(run())
    except FeedParseError as exc:
        log.info("websub push for source %d is not a feed: %s", source_id, exc)
        return 0
