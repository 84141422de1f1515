"""understanding: article vectors and MinHash signatures, LSH band buckets for near-duplicates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 21:00:00

The stories table itself is in 0001 (the lead's); this adds the understand stage's own tables.
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "article_signals",
        sa.Column("article_id", BigId, nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_article_signals_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_signals")),
    )
    op.create_table(
        "duplicate_bands",
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("article_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_duplicate_bands_article_id_articles"),
                                ondelete="CASCADE"),
    )
    op.create_index("ix_duplicate_bands_band_bucket", "duplicate_bands", ["band", "bucket"], unique=False)
    op.create_index("ix_duplicate_bands_article_id", "duplicate_bands", ["article_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_duplicate_bands_article_id", table_name="duplicate_bands")
    op.drop_index("ix_duplicate_bands_band_bucket", table_name="duplicate_bands")
    op.drop_table("duplicate_bands")
    op.drop_table("article_signals")
