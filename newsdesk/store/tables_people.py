"""Tables of people: accounts, sessions, each account's read and saved state of articles, comments and follows.

Each account has a role: ``reader`` (reads, comments, follows), ``moderator`` (also removes any comment),
``admin`` (also manages sources and accounts). Names are unique case-insensitively (``username_key``).
Sources and articles are shared by everyone on an install (a newsroom, a family); what is personal is whether an
article was read or saved. Only the articles someone touched have a row; an article without one is unread and not
saved. ``fever_key`` identifies what Fever clients send (MD5 of "username:password"; the column holds a SHA-256 of
it), kept beside the argon2 hash because the protocol needs it.
"""

import sqlalchemy as sa

from newsdesk.store.metadata import TZ, BigId, metadata
from newsdesk.store.tables_core import articles

users = sa.Table(
    "users", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),  # as written at sign-up, shown on pages
    sa.Column("username_key", sa.String(64), nullable=False, unique=True),  # NFKC case-folded: one account per name
    sa.Column("password_hash", sa.String(255), nullable=False),  # argon2id
    sa.Column("fever_key", sa.String(32), unique=True),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("role", sa.String(16), nullable=False, server_default="reader"),  # reader, moderator or admin
)

user_items = sa.Table(
    "user_items", metadata,
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("is_read", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("is_saved", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated_at", TZ, nullable=False),
)

# the unread list covers recent articles: found by fetch time, not by scanning every article
sa.Index("ix_articles_fetched_at", articles.c.fetched_at)

# A signed-in browser: the cookie carries a random token, the store only its SHA-256 (a leaked table signs no one in).
user_sessions = sa.Table(
    "user_sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("expires_at", TZ, nullable=False, index=True),
)

# Comments on a story ("full coverage" page) or on an article; deleting keeps the row (threads keep their shape).
comments = sa.Table(
    "comments", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("story_id", BigId, index=True),
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("deleted_at", TZ),
)

# Stories a person follows, and when they last looked (what is new since is counted from it).
follows = sa.Table(
    "follows", metadata,
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("story_id", BigId, primary_key=True),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("seen_at", TZ, nullable=False),
)
