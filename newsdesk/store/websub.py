"""Queries on WebSub subscriptions: note a hub a feed advertises, what to (re)subscribe or unsubscribe, the hub's
verification of intent, pushes received, and the push-aware poll schedule.

States: ``new`` (hub seen, nothing sent), ``subscribing`` (request sent, awaiting the hub's GET), ``active``
(verified; ``expires_at`` is the lease's end), ``unsubscribing`` (its source was removed: the hub is asked to stop,
the row goes when it confirms or the lease ends), ``denied`` (the hub refused; ``last_error`` says why).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.store.tables_core import sources
from newsdesk.store.tables_packs import websub_subscriptions as subs

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # a request time that makes a row due at once


@dataclass(frozen=True)
class Subscription:
    id: int
    source_id: int | None
    topic_url: str
    hub_url: str
    token: str
    secret: str
    state: str
    expires_at: datetime | None


def _row(r: sa.Row) -> Subscription:
    return Subscription(r.id, r.source_id, r.topic_url, r.hub_url, r.token, r.secret, r.state, r.expires_at)


def note_hub(conn: sa.Connection, source_id: int, hub_url: str, topic_url: str, now: datetime) -> bool:
    """Record the hub a source's feed advertises; True when there is something (new) to subscribe to."""
    row = conn.execute(sa.select(subs).where(subs.c.source_id == source_id, subs.c.state != "unsubscribing")).first()
    if row is not None and (row.hub_url, row.topic_url) == (hub_url, topic_url):
        return False
    if row is not None:  # the feed moved to another hub: drop the old subscription, subscribe at the new one
        conn.execute(subs.update().where(subs.c.id == row.id).values(state="unsubscribing", requested_at=LONG_AGO))
    conn.execute(subs.insert().values(source_id=source_id, hub_url=hub_url[:2048], topic_url=topic_url[:2048],
                                      token=secrets.token_hex(16), secret=secrets.token_hex(20), state="new",
                                      requested_at=now))
    return True


def mark_orphans(conn: sa.Connection) -> int:
    """Subscriptions whose source was removed become 'unsubscribing' (due at once); returns how many."""
    source_gone = ~sa.select(sources.c.id).where(sources.c.id == subs.c.source_id).exists()
    return conn.execute(subs.update().where(subs.c.state != "unsubscribing", source_gone)
                        .values(state="unsubscribing", requested_at=LONG_AGO)).rowcount


def due_requests(conn: sa.Connection, now: datetime, renew_before: int, retry_after: int) -> list[Subscription]:
    """Rows needing a request to their hub: new ones, leases about to end (renewal), unverified requests older than
    ``retry_after`` seconds, and unsubscriptions not yet sent (or unconfirmed for that long)."""
    stale = now - timedelta(seconds=retry_after)
    renew_at = now + timedelta(seconds=renew_before)
    query = sa.select(subs).where(sa.or_(
        subs.c.state == "new",
        sa.and_(subs.c.state == "active", subs.c.expires_at <= renew_at, subs.c.requested_at <= stale),
        sa.and_(subs.c.state.in_(("subscribing", "unsubscribing")), subs.c.requested_at <= stale),
    )).order_by(subs.c.id)
    return [_row(r) for r in conn.execute(query)]


def mark_requested(conn: sa.Connection, sub_id: int, now: datetime, *, unsubscribe: bool,
                   error: str | None = None) -> None:
    """A request was sent (or failed with ``error``): wait for the hub's verification until the retry time."""
    values: dict = {"requested_at": now, "last_error": error}
    if not unsubscribe:
        values["state"] = sa.case((subs.c.state == "active", "active"), else_="subscribing")
    conn.execute(subs.update().where(subs.c.id == sub_id).values(**values))


def by_token(conn: sa.Connection, token: str) -> Subscription | None:
    row = conn.execute(sa.select(subs).where(subs.c.token == token[:64])).first()
    return _row(row) if row else None


def verify(conn: sa.Connection, token: str, mode: str, topic: str, lease_seconds: int | None,
           now: datetime) -> bool:
    """The hub's GET: True (echo the challenge) only when it matches a request of ours for that topic."""
    sub = by_token(conn, token)
    if sub is None or sub.topic_url != topic:
        return False
    if mode == "unsubscribe" and sub.state == "unsubscribing":
        conn.execute(subs.delete().where(subs.c.id == sub.id))
        return True
    # 'new' too: the hub may verify before the request's own answer is recorded (the token reached only that hub)
    if mode == "subscribe" and sub.state in ("new", "subscribing", "active"):
        lease = lease_seconds if lease_seconds and lease_seconds > 0 else None
        conn.execute(subs.update().where(subs.c.id == sub.id).values(
            state="active", lease_seconds=lease, last_error=None,
            expires_at=now + timedelta(seconds=lease) if lease else None))
        return True
    return False


def deny(conn: sa.Connection, token: str, topic: str, reason: str) -> bool:
    """The hub refused our subscription (``hub.mode=denied``)."""
    return conn.execute(subs.update().where(subs.c.token == token[:64], subs.c.topic_url == topic)
                        .values(state="denied", last_error=(reason or "denied by the hub")[:2000])).rowcount > 0


def record_push(conn: sa.Connection, sub_id: int, now: datetime, poll_interval: int) -> None:
    """A signed push arrived: count it, and move its source's next poll out to ``poll_interval`` from now."""
    conn.execute(subs.update().where(subs.c.id == sub_id).values(last_push_at=now, pushes=subs.c.pushes + 1))
    source_id = conn.execute(sa.select(subs.c.source_id).where(subs.c.id == sub_id)).scalar()
    later = now + timedelta(seconds=poll_interval)
    conn.execute(sources.update().where(sources.c.id == source_id, sa.or_(sources.c.next_check_at.is_(None),
                                                                           sources.c.next_check_at < later))
                 .values(next_check_at=later))


def pushed_since(conn: sa.Connection, source_id: int, since: datetime) -> bool:
    """True when the source's hub pushed after ``since`` (its polling is then slowed)."""
    return conn.execute(sa.select(subs.c.id).where(subs.c.source_id == source_id, subs.c.state == "active",
                                                   subs.c.last_push_at >= since).limit(1)).first() is not None


def drop_expired_unsubscriptions(conn: sa.Connection, now: datetime) -> int:
    """Unsubscriptions whose lease ended anyway: the hub stopped on its own, the row goes."""
    return conn.execute(subs.delete().where(subs.c.state == "unsubscribing", subs.c.expires_at.is_not(None),
                                            subs.c.expires_at < now)).rowcount


def subscriptions_of(conn: sa.Connection, source_id: int) -> list[Subscription]:
    return [_row(r) for r in conn.execute(sa.select(subs).where(subs.c.source_id == source_id).order_by(subs.c.id))]


def forget(conn: sa.Connection, sub_id: int) -> None:
    conn.execute(subs.delete().where(subs.c.id == sub_id))
