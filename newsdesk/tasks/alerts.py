"""Alerts after understanding: match the newly understood articles against every alert, queue a firing for each
alert that material news matches (within its hourly limit), then deliver the firings that are due.

``alerts_after_understanding`` runs at the end of each understanding batch, in the embedded scheduler and in the
understand worker alike (both go through ``UnderstandingStage``); ``deliver_due`` also runs on every sweep, so a
retry waits for its time, not for the next article.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings
from newsdesk.follow import alert_rules, delivery
from newsdesk.store import alerts as alert_store
from newsdesk.store.db import Engine

log = logging.getLogger(__name__)


def alerts_after_understanding(engine: Engine, settings: Settings, article_ids: Sequence[int]) -> int:
    """Evaluate and deliver; returns how many firings were queued. A failure here never undoes understanding."""
    try:
        queued = evaluate_alerts(engine, settings, article_ids)
        deliver_due(engine, settings)
    except Exception:  # alerts are a side effect: a bug in them must not stop the pipeline
        log.exception("evaluating alerts failed")
        return 0
    return queued


def evaluate_alerts(engine: Engine, settings: Settings, article_ids: Sequence[int],
                    now: datetime | None = None) -> int:
    """Queue a firing of every alert a material new article matches, at most ``alerts_per_hour`` per alert."""
    if not article_ids:
        return 0
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        found = alert_store.new_articles(conn, list(article_ids))
        candidates = alert_store.alerts_for(conn, sorted({a["story_id"] for a in found if a["story_id"]}))
    if not candidates:
        return 0
    queued = 0
    for article in found:
        matching = [alert for alert in candidates if alert_rules.matches(alert, article)]
        if not matching:
            continue
        facts = alert_rules.material_facts(engine, settings, article)
        if facts is None:
            continue
        for alert in matching:
            queued += _fire(engine, settings, alert, article, facts, now)
    return queued


def _fire(engine: Engine, settings: Settings, alert: dict, article: dict, facts: list, now: datetime) -> int:
    with engine.begin() as conn:
        if alert_store.fired_since(conn, alert["id"], now - timedelta(hours=1)) >= settings.alerts_per_hour:
            return 0
        body = alert_rules.payload(alert, article, facts, settings.web_base_url.rstrip("/"), now.isoformat())
        return int(alert_store.add_event(conn, alert, article, body, now))


def deliver_due(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Try every pending webhook and mail firing that is due; returns how many went through."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        due = alert_store.due_events(conn, now)
    delivered = 0
    for event in due:
        try:
            if event["channel"] == "webhook":
                delivery.send_webhook(event["target"], event["secret"], event["payload"], settings)
            else:
                delivery.send_mail(event["target"], event["payload"], settings)
        except delivery.DeliveryFailed as failed:
            _failed(engine, settings, event, str(failed), now)
            continue
        with engine.begin() as conn:
            alert_store.mark_delivered(conn, event["id"], datetime.now(UTC))
        delivered += 1
    return delivered


def _failed(engine: Engine, settings: Settings, event: dict, error: str, now: datetime) -> None:
    """Note the failure: retry after the backoff (doubling with each attempt), or give up after the last."""
    attempts = event["attempts"] + 1
    retry = None
    if attempts < settings.alerts_webhook_attempts:
        retry = timedelta(seconds=settings.alerts_retry_seconds * 2 ** (attempts - 1))
    log.warning("alert %s: delivery %s failed (attempt %d): %s", event["alert_id"], event["id"], attempts, error)
    with engine.begin() as conn:
        alert_store.mark_failed(conn, event["id"], error, retry, now)
