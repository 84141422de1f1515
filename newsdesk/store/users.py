"""Accounts: create, list, change passwords, check them (argon2id), and find the account behind a Fever API key."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from newsdesk.store.tables_people import user_sessions, users

_HASHER = PasswordHasher()
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8


class AccountError(ValueError):
    """A refused account change, with the reason in words."""


def fever_key(username: str, password: str) -> str:
    """What a Fever client sends as ``api_key``: the MD5 of "username:password" (the protocol's choice)."""
    return hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()


def stored_fever_key(key: str) -> str:
    """What the store keeps of a Fever key: its SHA-256 truncated to 32 hex digits, so a copy of the table cannot
    be sent as a key (guessing the password behind it is the MD5 the protocol chose)."""
    return hashlib.sha256(key.lower().encode()).hexdigest()[:32]


def _check(username: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AccountError(f"user name {username!r}: use 1-64 letters, digits, '.', '_', '@' or '-'")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")


def create_user(conn: sa.Connection, username: str, password: str) -> int:
    """A new account; raises AccountError for a bad name, a short password or a name already taken."""
    _check(username, password)
    if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
        raise AccountError(f"user {username!r} exists already")
    return conn.execute(users.insert().values(
        username=username, password_hash=_HASHER.hash(password),
        fever_key=stored_fever_key(fever_key(username, password)),
        created_at=datetime.now(UTC))).inserted_primary_key[0]


def set_password(conn: sa.Connection, username: str, password: str) -> None:
    """Change a password: the Fever key and the Google Reader token change with it, and web sessions end."""
    _check(username, password)
    user_id = conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar()
    if user_id is None:
        raise AccountError(f"no user {username!r}")
    conn.execute(users.update().where(users.c.id == user_id).values(
        password_hash=_HASHER.hash(password), fever_key=stored_fever_key(fever_key(username, password))))
    conn.execute(user_sessions.delete().where(user_sessions.c.user_id == user_id))


def check_password(conn: sa.Connection, username: str, password: str) -> int | None:
    """The account's id when the password is right, else None."""
    row = conn.execute(sa.select(users.c.id, users.c.password_hash).where(users.c.username == username)).first()
    if row is None:
        _HASHER.hash(password)  # the same work as a real check: timing does not tell which names exist
        return None
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return row.id


def user_by_fever_key(conn: sa.Connection, key: str) -> int | None:
    """The account whose Fever key this is, if any."""
    if not re.fullmatch(r"[0-9a-fA-F]{32}", key or ""):
        return None
    return conn.execute(sa.select(users.c.id).where(users.c.fever_key == stored_fever_key(key))).scalar()


def list_users(conn: sa.Connection) -> list[tuple[str, datetime, bool]]:
    """(user name, created at, moderator) of every account."""
    query = sa.select(users.c.username, users.c.created_at, users.c.is_moderator).order_by(users.c.username)
    return [(r.username, r.created_at, bool(r.is_moderator)) for r in conn.execute(query)]


def set_moderator(conn: sa.Connection, username: str, on: bool) -> None:
    """Make an account a moderator (it may remove anyone's comment), or not."""
    if conn.execute(users.update().where(users.c.username == username).values(is_moderator=on)).rowcount == 0:
        raise AccountError(f"no user {username!r}")
