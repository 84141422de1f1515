"""Who is reading: server-side sessions behind an HttpOnly, SameSite=Lax cookie, and the :class:`Viewer` every room
of the web app asks for through :func:`viewer` (looked up once per request).

The cookie holds a random token; the store keeps only its SHA-256, with an expiry (``web_session_days``). A
signed-in reader's home, search, story and article pages are the shared (cached) page rendered without the session,
with their own parts stitched in (``http.stitching``); every other page of theirs bypasses the page cache
(``http.microcache``), so one reader's page is never served to another.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from starlette.requests import Request

from newsdesk.store import sessions
from newsdesk.store.db import Engine
from newsdesk.web.site import site_of

SESSION_COOKIE = "nd_session"
_UNKNOWN = object()


@dataclass(frozen=True)
class Viewer:
    """The signed-in reader and their role (reader, moderator or admin)."""

    id: int
    username: str
    role: str = "reader"

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def token_hash(token: str) -> str:
    """What the store keeps of a session token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def viewer(request: Request) -> Viewer | None:
    """Who is reading, from the session cookie (None when signed out or expired); looked up once per request."""
    known = getattr(request.state, "viewer", _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    token = request.cookies.get(SESSION_COOKIE, "")
    found = None
    if token:
        with site_of(request).engine.connect() as conn:
            row = sessions.account_of_session(conn, token_hash(token), datetime.now(UTC))
        found = Viewer(row.id, row.username, row.role) if row else None
    request.state.viewer = found
    return found


def start_session(engine: Engine, user_id: int, days: int) -> str:
    """A new session for ``user_id``; returns the cookie's token."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        sessions.add_session(conn, token_hash(token), user_id, datetime.now(UTC), timedelta(days=days))
    return token


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        sessions.end_session(conn, token_hash(token))
