"""Queries on leases: take, renew and hand back a named lease (one holder at a time, until it expires); hand out,
claim and renew scale-out source checks.

A lease is one row of ``leases``; taking it is one conditional UPDATE (free, expired, or already ours), so it works
the same on SQLite and PostgreSQL and two processes cannot both win. ``generation`` counts the changes of holder:
a process that held the lease before and finds a different generation on taking it again knows someone else worked
in between. Times come from the caller's clock (UTC); hosts sharing a database keep their clocks in sync (NTP),
far tighter than a lease's length.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from newsdesk.store.reading import insert_missing
from newsdesk.store.tables_core import leases, sources


@dataclass(frozen=True)
class LeaseRow:
    """Who holds a lease and until when (``holder`` stays after a release; ``expires_at`` then lies in the past)."""

    name: str
    holder: str | None
    expires_at: datetime | None
    generation: int


def try_acquire(conn: sa.Connection, name: str, holder: str, ttl: float, now: datetime) -> int | None:
    """Take the lease when it is free, expired or already ours: its generation, or None while another holds it."""
    insert_missing(conn, leases, [{"name": name, "generation": 0}])
    taken = conn.execute(
        leases.update()
        .where(leases.c.name == name,
               sa.or_(leases.c.holder == holder, leases.c.holder.is_(None), leases.c.expires_at.is_(None),
                      leases.c.expires_at < now))
        .values(holder=holder, expires_at=now + timedelta(seconds=ttl),
                generation=sa.case((leases.c.holder == holder, leases.c.generation),
                                   else_=leases.c.generation + 1)))
    if taken.rowcount != 1:
        return None
    return conn.execute(sa.select(leases.c.generation).where(leases.c.name == name)).scalar_one()


def take_over(conn: sa.Connection, name: str, holder: str, dead_holder: str, ttl: float, now: datetime) -> int | None:
    """Take the lease from ``dead_holder`` before it runs out (the caller knows that process is gone): its new
    generation, or None when someone else has it by now."""
    taken = conn.execute(leases.update().where(leases.c.name == name, leases.c.holder == dead_holder)
                         .values(holder=holder, expires_at=now + timedelta(seconds=ttl),
                                 generation=leases.c.generation + 1))
    if taken.rowcount != 1:
        return None
    return conn.execute(sa.select(leases.c.generation).where(leases.c.name == name)).scalar_one()


def renew(conn: sa.Connection, name: str, holder: str, ttl: float, now: datetime) -> bool:
    """Push the lease's end ``ttl`` seconds past ``now``; False when it is no longer ours (another took it over).

    Inside a transaction this is also a fence: on PostgreSQL the row stays locked until commit, so nobody takes the
    lease over while that transaction's work is being committed."""
    renewed = conn.execute(leases.update().where(leases.c.name == name, leases.c.holder == holder)
                           .values(expires_at=now + timedelta(seconds=ttl)))
    return renewed.rowcount == 1


def release(conn: sa.Connection, name: str, holder: str, now: datetime) -> None:
    """Hand the lease back at once (the holder stays recorded, so taking it again keeps the generation)."""
    conn.execute(leases.update().where(leases.c.name == name, leases.c.holder == holder).values(expires_at=now))


def read(conn: sa.Connection, name: str) -> LeaseRow | None:
    row = conn.execute(sa.select(leases).where(leases.c.name == name)).first()
    return LeaseRow(row.name, row.holder, row.expires_at, row.generation) if row else None


# Source checks in scale-out: handed out with a token, claimed by the worker that runs them, renewed while it runs.

def _stale(now: datetime, ttl: float, queue_empty: bool, lost_after: float) -> sa.ColumnElement[bool]:
    """A handed-out check that is not in flight any more: claimed, and its heartbeat stopped ``ttl`` seconds ago
    (the worker died); or handed out ``lost_after`` seconds ago, never claimed, and the ingest queue is empty (the
    queue lost it: Redis restarted without its data)."""
    dead = sa.and_(sources.c.leased_by.is_not(None), sources.c.leased_until < now)
    if not queue_empty:
        return dead
    handed_out_before = now + timedelta(seconds=ttl - lost_after)  # leased_until is hand-out time + ttl
    return sa.or_(dead, sa.and_(sources.c.leased_by.is_(None), sources.c.leased_until < handed_out_before))


def hand_out_due(conn: sa.Connection, now: datetime, ttl: float, queue_empty: bool,
                 lost_after: float) -> list[tuple[int, str]]:
    """Mark every due source that is not in flight with a new token (``leased_until`` = now + ttl, not yet claimed);
    returns (source id, token) pairs, oldest due first, for the caller to enqueue."""
    query = (sa.select(sources.c.id)
             .where(sources.c.status != "disabled",
                    sa.or_(sources.c.next_check_at.is_(None), sources.c.next_check_at <= now),
                    sa.or_(sources.c.lease_token.is_(None), _stale(now, ttl, queue_empty, lost_after)))
             .order_by(sources.c.next_check_at.is_not(None), sources.c.next_check_at, sources.c.id))
    handed = [(source_id, uuid.uuid4().hex) for source_id in conn.execute(query).scalars()]
    if handed:
        conn.execute(sources.update().where(sources.c.id == sa.bindparam("b_id")).values(
            lease_token=sa.bindparam("b_token"), leased_by=None, leased_until=now + timedelta(seconds=ttl)),
            [{"b_id": source_id, "b_token": token} for source_id, token in handed])
    return handed


def claim_check(conn: sa.Connection, source_id: int, token: str, worker: str, ttl: float, now: datetime) -> bool:
    """A worker starts the check it was handed: False when that hand-out is void (the source was handed out again
    after this one was given up for lost, or the check already ended)."""
    claimed = conn.execute(sources.update().where(sources.c.id == source_id, sources.c.lease_token == token)
                           .values(leased_by=worker, leased_until=now + timedelta(seconds=ttl)))
    return claimed.rowcount == 1


def renew_check(conn: sa.Connection, source_id: int, token: str, worker: str, ttl: float, now: datetime) -> bool:
    """The heartbeat of a running check; False once the check ended or was taken from this worker."""
    renewed = conn.execute(sources.update().where(sources.c.id == source_id, sources.c.lease_token == token,
                                                  sources.c.leased_by == worker)
                           .values(leased_until=now + timedelta(seconds=ttl)))
    return renewed.rowcount == 1


def hand_back_check(conn: sa.Connection, source_id: int, token: str, worker: str, now: datetime) -> None:
    """A worker stopping before its check ended gives the claim up now: the next scheduler tick hands it out again."""
    conn.execute(sources.update().where(sources.c.id == source_id, sources.c.lease_token == token,
                                        sources.c.leased_by == worker).values(leased_until=now))


def live(conn: sa.Connection, prefix: str, now: datetime) -> list[LeaseRow]:
    """Leases named ``prefix…`` whose holder is alive (renewed, not run out), by name."""
    rows = conn.execute(sa.select(leases).where(leases.c.name.startswith(prefix, autoescape=True),
                                                leases.c.expires_at > now).order_by(leases.c.name))
    return [LeaseRow(r.name, r.holder, r.expires_at, r.generation) for r in rows]


def forget(conn: sa.Connection, name: str) -> None:
    conn.execute(leases.delete().where(leases.c.name == name))


def forget_expired(conn: sa.Connection, prefix: str, before: datetime) -> int:
    """Delete leases named ``prefix…`` that ran out before ``before`` (workers that were killed long ago)."""
    return conn.execute(leases.delete().where(leases.c.name.startswith(prefix, autoescape=True),
                                              leases.c.expires_at < before)).rowcount
