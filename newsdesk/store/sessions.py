"""Web sessions in the store: a session is the SHA-256 of a random cookie token, its account and an expiry, so a
copy of the table signs no one in and a session can be ended on the server (sign-out, password change)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from newsdesk.store.tables_people import user_sessions, users


def account_of_session(conn: sa.Connection, token_hash: str, now: datetime) -> sa.Row | None:
    """(id, username, role) of the account whose unexpired session this is, or None."""
    return conn.execute(sa.select(users.c.id, users.c.username, users.c.role)
                        .join(user_sessions, user_sessions.c.user_id == users.c.id)
                        .where(user_sessions.c.token_hash == token_hash, user_sessions.c.expires_at > now)).first()


def add_session(conn: sa.Connection, token_hash: str, user_id: int, now: datetime, lifetime: timedelta) -> None:
    """Record a new session (expired ones are cleared on the way)."""
    conn.execute(user_sessions.delete().where(user_sessions.c.expires_at <= now))
    conn.execute(user_sessions.insert().values(token_hash=token_hash, user_id=user_id, created_at=now,
                                               expires_at=now + lifetime))


def end_session(conn: sa.Connection, token_hash: str) -> None:
    conn.execute(user_sessions.delete().where(user_sessions.c.token_hash == token_hash))
