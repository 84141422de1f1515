"""Accounts: create, list, change passwords and roles, check passwords (argon2id), and find the account behind a
Fever API key.

A name is unique whatever its case or Unicode spelling: the store keeps its NFKC case-folded form
(``username_key``) beside the name as written, and every lookup by name goes through it, so "alice", "Alice" and
"ＡＬＩＣＥ" are one account. Roles: ``reader``, ``moderator`` (also removes any comment), ``admin`` (also manages
sources and accounts).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from newsdesk.store.db import inserted_id
from newsdesk.store.tables_people import user_sessions, users

_HASHER = PasswordHasher()
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
ROLES = ("reader", "moderator", "admin")  # each may do what the ones before it may


class AccountError(ValueError):
    """A refused account change, with the reason in words."""


def fever_key(username: str, password: str) -> str:
    """What a Fever client sends as ``api_key``: the MD5 of "username:password" (the protocol's choice)."""
    return hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()


def stored_fever_key(key: str) -> str:
    """What the store keeps of a Fever key: its SHA-256 truncated to 32 hex digits, so a copy of the table cannot
    be sent as a key (guessing the password behind it is the MD5 the protocol chose)."""
    return hashlib.sha256(key.lower().encode()).hexdigest()[:32]


def username_key(username: str) -> str:
    """The form of a name that makes it unique: NFKC-normalised and case-folded."""
    return unicodedata.normalize("NFKC", username).casefold()


def _by_name(username: str) -> sa.ColumnElement[bool]:
    return users.c.username_key == username_key(username)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")


def _check(username: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AccountError(f"user name {username!r}: use 1-64 letters, digits, '.', '_', '@' or '-'")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")


def create_user(conn: sa.Connection, username: str, password: str, role: str = "reader") -> int:
    """A new account; raises AccountError for a bad name or role, a short password or a name already taken (in
    any case)."""
    _check(username, password)
    _check_role(role)
    if conn.execute(sa.select(users.c.id).where(_by_name(username))).first():
        raise AccountError(f"user {username!r} exists already")
    return inserted_id(conn.execute(users.insert().values(
        username=username, username_key=username_key(username), role=role, password_hash=_HASHER.hash(password),
        fever_key=stored_fever_key(fever_key(username, password)),
        created_at=datetime.now(UTC))))


def set_password(conn: sa.Connection, username: str, password: str) -> None:
    """Change a password: the Fever key and the Google Reader token change with it, and web sessions end."""
    _check(username, password)
    row = conn.execute(sa.select(users.c.id, users.c.username).where(_by_name(username))).first()
    if row is None:
        raise AccountError(f"no user {username!r}")
    user_id = row.id
    conn.execute(users.update().where(users.c.id == user_id).values(
        password_hash=_HASHER.hash(password), fever_key=stored_fever_key(fever_key(row.username, password))))
    conn.execute(user_sessions.delete().where(user_sessions.c.user_id == user_id))


def check_password(conn: sa.Connection, username: str, password: str) -> int | None:
    """The account's id when the password is right, else None."""
    row = conn.execute(sa.select(users.c.id, users.c.password_hash).where(_by_name(username))).first()
    if row is None:
        _HASHER.hash(password)  # the same work as a real check: timing does not tell which names exist
        return None
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return row.id


def account_by_name(conn: sa.Connection, username: str) -> sa.Row | None:
    """The account called ``username`` in any case: (id, username as stored, password_hash, role), or None."""
    return conn.execute(sa.select(users.c.id, users.c.username, users.c.password_hash, users.c.role)
                        .where(_by_name(username))).first()


def user_by_fever_key(conn: sa.Connection, key: str) -> int | None:
    """The account whose Fever key this is, if any."""
    if not re.fullmatch(r"[0-9a-fA-F]{32}", key or ""):
        return None
    return conn.execute(sa.select(users.c.id).where(users.c.fever_key == stored_fever_key(key))).scalar()


def list_users(conn: sa.Connection) -> list[tuple[str, datetime, str]]:
    """(user name, created at, role) of every account."""
    query = sa.select(users.c.username, users.c.created_at, users.c.role).order_by(users.c.username_key)
    return [(r.username, r.created_at, r.role) for r in conn.execute(query)]


def set_role(conn: sa.Connection, username: str, role: str) -> None:
    """Give an account a role (reader, moderator, admin)."""
    _check_role(role)
    if conn.execute(users.update().where(_by_name(username)).values(role=role)).rowcount == 0:
        raise AccountError(f"no user {username!r}")


def role_of(conn: sa.Connection, user_id: int) -> str | None:
    """The account's role, or None when there is no such account."""
    return conn.execute(sa.select(users.c.role).where(users.c.id == user_id)).scalar()


def account_count(conn: sa.Connection, role: str | None = None) -> int:
    """How many accounts exist (with ``role``, when given): the first run asks for an admin when there is none."""
    query = sa.select(sa.func.count()).select_from(users)
    return conn.execute(query.where(users.c.role == role) if role else query).scalar_one()
