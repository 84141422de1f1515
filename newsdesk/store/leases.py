"""Queries on leases: take, renew and hand back a named lease (one holder at a time, until it expires).

A lease is one row of ``leases``; taking it is one conditional UPDATE (free, expired, or already ours), so it works
the same on SQLite and PostgreSQL and two processes cannot both win. ``generation`` counts the changes of holder:
a process that held the lease before and finds a different generation on taking it again knows someone else worked
in between. Times come from the caller's clock (UTC); hosts sharing a database keep their clocks in sync (NTP),
far tighter than a lease's length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from newsdesk.store.reading import insert_missing
from newsdesk.store.tables_core import leases


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
