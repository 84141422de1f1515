"""roles and case-insensitive user names: users.role (reader, moderator, admin) replaces is_moderator; username_key
(the NFKC case-folded name) is unique, so "alice", "Alice" and "ALICE" are one account

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 16:00:00
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(16), server_default="reader", nullable=False))
        batch_op.add_column(sa.Column("username_key", sa.String(64), nullable=True))
    conn = op.get_bind()
    taken: set[str] = set()
    rows = conn.execute(sa.text("SELECT id, username, is_moderator FROM users ORDER BY id")).fetchall()
    for row in rows:
        key = _key(row.username)
        if key in taken:  # an older install may hold "alice" and "Alice": the later one keeps a distinct key
            key = f"{key}#{row.id}"
        taken.add(key)
        conn.execute(sa.text("UPDATE users SET username_key = :key, role = :role WHERE id = :id"),
                     {"key": key, "role": "moderator" if row.is_moderator else "reader", "id": row.id})
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("username_key", existing_type=sa.String(64), nullable=False)
        batch_op.create_unique_constraint(op.f("uq_users_username_key"), ["username_key"])
        batch_op.drop_column("is_moderator")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_moderator", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE users SET is_moderator = (role <> 'reader')")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_users_username_key"), type_="unique")
        batch_op.drop_column("username_key")
        batch_op.drop_column("role")
