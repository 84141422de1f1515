"""packs and websub: starter packs and the sources they brought; WebSub push subscriptions

Revision ID: 0012_packs
Revises: 0012_follow
Create Date: 2026-12-04 19:10:00
"""
import sqlalchemy as sa
from alembic import op

import newsdesk.store.metadata

revision = "0012_packs"
down_revision = "0012_follow"
branch_labels = None
depends_on = None

WHEN = newsdesk.store.metadata.UTCDateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "packs",
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("region", sa.String(length=8), nullable=True),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("added_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_packs")),
    )
    op.create_table(
        "pack_sources",
        sa.Column("pack_slug", sa.String(length=64), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=False),
        sa.ForeignKeyConstraint(["pack_slug"], ["packs.slug"], name=op.f("fk_pack_sources_pack_slug_packs"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_pack_sources_source_id_sources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pack_slug", "source_id", name=op.f("pk_pack_sources")),
    )
    op.create_index(op.f("ix_pack_sources_source_id"), "pack_sources", ["source_id"], unique=False)
    op.create_table(
        "websub_subscriptions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("topic_url", sa.String(length=2048), nullable=False),
        sa.Column("hub_url", sa.String(length=2048), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("lease_seconds", sa.Integer(), nullable=True),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=True),
        sa.Column("last_push_at", WHEN, nullable=True),
        sa.Column("pushes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_websub_subscriptions")),
        sa.UniqueConstraint("token", name=op.f("uq_websub_subscriptions_token")),
    )
    op.create_index(op.f("ix_websub_subscriptions_source_id"), "websub_subscriptions", ["source_id"], unique=False)
    op.create_index(op.f("ix_websub_subscriptions_expires_at"), "websub_subscriptions", ["expires_at"], unique=False)
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("added_by_pack", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("added_by_pack")
    op.drop_index(op.f("ix_websub_subscriptions_expires_at"), table_name="websub_subscriptions")
    op.drop_index(op.f("ix_websub_subscriptions_source_id"), table_name="websub_subscriptions")
    op.drop_table("websub_subscriptions")
    op.drop_index(op.f("ix_pack_sources_source_id"), table_name="pack_sources")
    op.drop_table("pack_sources")
    op.drop_table("packs")
