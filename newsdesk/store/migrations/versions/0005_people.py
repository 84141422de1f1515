"""people: accounts and their read/saved state of articles; index on articles.fetched_at

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 02:10:00
"""
import sqlalchemy as sa
from alembic import op

import newsdesk.store.metadata

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TZ = newsdesk.store.metadata.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("fever_key", sa.String(length=32), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
        sa.UniqueConstraint("fever_key", name=op.f("uq_users_fever_key")),
    )
    op.create_table(
        "user_items",
        sa.Column("user_id", BIG_ID, nullable=False),
        sa.Column("article_id", BIG_ID, nullable=False),
        sa.Column("is_read", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_saved", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_items_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_user_items_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "article_id", name=op.f("pk_user_items")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index("ix_articles_fetched_at", ["fetched_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_fetched_at")
    op.drop_table("user_items")
    op.drop_table("users")
