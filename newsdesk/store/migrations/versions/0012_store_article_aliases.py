"""article_aliases: further external ids of an imported article (the import follows the ingest identity rule)

Revision ID: 0012_store
Revises: 0011
Create Date: 2026-12-04 19:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_store"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "article_aliases",
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("article_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_article_aliases_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("external_id", name=op.f("pk_article_aliases")),
    )
    with op.batch_alter_table("article_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_aliases_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_aliases_article_id"))
    op.drop_table("article_aliases")
