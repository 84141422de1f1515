"""The queries behind alerts: the alerts people set, the articles they are matched against, and the outbox of what
they fired (``alert_events``: pending until delivered, retried with backoff, given up after the last attempt)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from newsdesk.store.db import inserted_id
from newsdesk.store.reading import insert_missing
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_follow import alert_events, alerts

CHANNELS = ("atom", "webhook", "email")


def create_alert(conn: sa.Connection, user_id: int, channel: str, now: datetime, *, story_id: int | None = None,
                 keywords: str = "", edition: str | None = None, language: str | None = None,
                 topic: str | None = None, target: str = "") -> dict[str, Any]:
    """Store an alert (a followed story when ``story_id`` is given, else a saved search) with a fresh feed token
    and webhook secret; returns it."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown alert channel {channel!r}")
    values = {"user_id": user_id, "story_id": story_id, "keywords": keywords, "edition": edition,
              "language": language, "topic": topic, "channel": channel, "target": target,
              "token": secrets.token_urlsafe(24), "secret": secrets.token_hex(32), "created_at": now}
    alert_id = inserted_id(conn.execute(alerts.insert().values(**values)))
    return {"id": alert_id, **values}


def alerts_of(conn: sa.Connection, user_id: int) -> list[dict[str, Any]]:
    """The person's alerts, newest first."""
    query = sa.select(alerts).where(alerts.c.user_id == user_id).order_by(alerts.c.id.desc())
    return [dict(r) for r in conn.execute(query).mappings()]


def delete_alert(conn: sa.Connection, user_id: int, alert_id: int) -> bool:
    """Remove one of the person's alerts (and what it fired); False when it is not theirs."""
    mine = sa.and_(alerts.c.id == alert_id, alerts.c.user_id == user_id)
    if conn.execute(sa.select(alerts.c.id).where(mine)).first() is None:
        return False
    conn.execute(alert_events.delete().where(alert_events.c.alert_id == alert_id))
    conn.execute(alerts.delete().where(mine))
    return True


def alert_by_token(conn: sa.Connection, token: str) -> dict[str, Any] | None:
    row = conn.execute(sa.select(alerts).where(alerts.c.token == token)).mappings().first()
    return dict(row) if row else None


def alerts_for(conn: sa.Connection, story_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every saved-search alert, and the story alerts of ``story_ids``."""
    condition: sa.ColumnElement[bool] = alerts.c.story_id.is_(None)
    if story_ids:
        condition = sa.or_(condition, alerts.c.story_id.in_(list(story_ids)))
    return [dict(r) for r in conn.execute(sa.select(alerts).where(condition).order_by(alerts.c.id)).mappings()]


def move_alerts(conn: sa.Connection, gone: int, kept: int) -> None:
    """A story merged into another: its alerts follow the kept story."""
    conn.execute(alerts.update().where(alerts.c.story_id == gone).values(story_id=kept))


def new_articles(conn: sa.Connection, article_ids: Sequence[int]) -> list[dict[str, Any]]:
    """What matching needs of each article, in arrival order."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(article_ids), 500):
        query = sa.select(articles.c.id, articles.c.story_id, articles.c.duplicate_of, articles.c.title,
                          articles.c.text, articles.c.language, articles.c.region, articles.c.topics,
                          articles.c.outlet, articles.c.url, articles.c.published_at, articles.c.fetched_at).where(
            articles.c.id.in_(list(article_ids[start:start + 500])))
        rows += [dict(r) for r in conn.execute(query).mappings()]
    return sorted(rows, key=lambda r: (r["fetched_at"], r["id"]))


def fired_since(conn: sa.Connection, alert_id: int, since: datetime) -> int:
    """How many times the alert fired since ``since``."""
    return conn.execute(sa.select(sa.func.count()).select_from(alert_events).where(
        alert_events.c.alert_id == alert_id, alert_events.c.created_at > since)).scalar_one()


def add_event(conn: sa.Connection, alert: dict[str, Any], article: dict[str, Any], payload: dict[str, Any],
              now: datetime) -> bool:
    """Queue one firing (a feed's is delivered as it is stored); False when the article fired the alert before."""
    fired = conn.execute(sa.select(alert_events.c.id).where(alert_events.c.alert_id == alert["id"],
                                                            alert_events.c.article_id == article["id"])).first()
    if fired is not None:
        return False
    feed = alert["channel"] == "atom"
    insert_missing(conn, alert_events, [{
        "alert_id": alert["id"], "article_id": article["id"], "story_id": article["story_id"], "payload": payload,
        "created_at": now, "status": "delivered" if feed else "pending", "attempts": 0,
        "next_attempt_at": None if feed else now, "delivered_at": now if feed else None}])
    return True


def events_of(conn: sa.Connection, alert_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """The alert's firings, newest first."""
    query = (sa.select(alert_events).where(alert_events.c.alert_id == alert_id)
             .order_by(alert_events.c.created_at.desc(), alert_events.c.id.desc()).limit(limit))
    return [dict(r) for r in conn.execute(query).mappings()]


def due_events(conn: sa.Connection, now: datetime, limit: int = 100) -> list[dict[str, Any]]:
    """Pending firings whose next attempt is due, with their alert's channel, target and secret."""
    query = (sa.select(alert_events, alerts.c.channel, alerts.c.target, alerts.c.secret)
             .join(alerts, alerts.c.id == alert_events.c.alert_id)
             .where(alert_events.c.status == "pending", alert_events.c.next_attempt_at <= now)
             .order_by(alert_events.c.next_attempt_at, alert_events.c.id).limit(limit))
    return [dict(r) for r in conn.execute(query).mappings()]


def mark_delivered(conn: sa.Connection, event_id: int, now: datetime) -> None:
    conn.execute(alert_events.update().where(alert_events.c.id == event_id).values(
        status="delivered", delivered_at=now, attempts=alert_events.c.attempts + 1, next_attempt_at=None,
        last_error=None))


def mark_failed(conn: sa.Connection, event_id: int, error: str, retry_in: timedelta | None, now: datetime) -> None:
    """Note a failed attempt: try again after ``retry_in``, or give up (None)."""
    values: dict[str, Any] = {"attempts": alert_events.c.attempts + 1, "last_error": error[:2000]}
    if retry_in is None:
        values.update(status="failed", next_attempt_at=None)
    else:
        values.update(next_attempt_at=now + retry_in)
    conn.execute(alert_events.update().where(alert_events.c.id == event_id).values(**values))
