"""ai tables: cached story summaries, cached sentence vectors, LLM call budget

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 20:30:00
"""
import sqlalchemy as sa
from alembic import op

import newsdesk.store.metadata

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ai_summaries",
        sa.Column("story_id", BIG_ID, nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("generated_at", newsdesk.store.metadata.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("story_id", "engine", name=op.f("pk_ai_summaries")),
    )
    op.create_table(
        "ai_article_sentences",
        sa.Column("article_id", BIG_ID, nullable=False),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("sentences", sa.JSON(), nullable=False),
        sa.Column("vectors", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", newsdesk.store.metadata.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                name=op.f("fk_ai_article_sentences_article_id_articles"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_ai_article_sentences")),
    )
    op.create_table(
        "ai_llm_calls",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("called_at", newsdesk.store.metadata.UTCDateTime(timezone=True), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("story_id", BIG_ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_llm_calls")),
    )
    with op.batch_alter_table("ai_llm_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_llm_calls_called_at"), ["called_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ai_llm_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_llm_calls_called_at"))
    op.drop_table("ai_llm_calls")
    op.drop_table("ai_article_sentences")
    op.drop_table("ai_summaries")
