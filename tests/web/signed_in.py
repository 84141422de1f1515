"""Sessions for tests: an account with a given role and a session cookie for it, without going through /login
(so sign-in limits and the form are not part of what a test measures)."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from newsdesk.store.users import account_by_name, create_user
from newsdesk.web.sessions import SESSION_COOKIE, start_session


def session_cookie(engine: sa.Engine, role: str = "reader", name: str | None = None) -> tuple[str, str]:
    """(cookie name, cookie value) of a new session for an account of ``role`` (created when missing)."""
    name = name or f"{role}-{secrets.token_hex(4)}"
    with engine.begin() as conn:
        found = account_by_name(conn, name)
        user_id = found.id if found else create_user(conn, name, f"{name}-password", role)
    return SESSION_COOKIE, start_session(engine, user_id, 1)


def sign_in_as(client: object, engine: sa.Engine, role: str = "reader", name: str | None = None) -> None:
    """Give a TestClient (or anything with a ``cookies`` jar) a session of an account with ``role``."""
    cookie, token = session_cookie(engine, role, name)
    client.cookies.set(cookie, token)  # type: ignore[attr-defined]
