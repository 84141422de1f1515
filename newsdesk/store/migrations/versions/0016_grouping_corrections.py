"""grouping: why each article joined its story, moderators' corrections and their constraints, reader-app folding

Revision ID: 0012_grouping
Revises: 0012_ops
Create Date: 2026-12-04 19:10:00
"""
import sqlalchemy as sa
from alembic import op

import newsdesk.store.metadata

revision = "0012_grouping"
down_revision = "0012_ops"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = newsdesk.store.metadata.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "grouping_reasons",
        sa.Column("article_id", ID, nullable=False),
        sa.Column("story_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("shared_names", sa.JSON(), nullable=False),
        sa.Column("shared_terms", sa.JSON(), nullable=False),
        sa.Column("copy_of", ID, nullable=True),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_grouping_reasons_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_grouping_reasons")),
    )
    op.create_table(
        "grouping_corrections",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("story_id", ID, nullable=False),
        sa.Column("other_story_id", ID, nullable=True),
        sa.Column("article_ids", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("undone_at", WHEN, nullable=True),
        sa.Column("undone_by", ID, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_grouping_corrections_user_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["undone_by"], ["users.id"], name=op.f("fk_grouping_corrections_undone_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grouping_corrections")),
    )
    op.create_index(op.f("ix_grouping_corrections_story_id"), "grouping_corrections", ["story_id"])
    op.create_table(
        "grouping_links",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("correction_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("article_id", ID, nullable=False),
        sa.Column("other_article_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["correction_id"], ["grouping_corrections.id"],
                                name=op.f("fk_grouping_links_correction_id_grouping_corrections"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_grouping_links_article_id_articles"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_article_id"], ["articles.id"],
                                name=op.f("fk_grouping_links_other_article_id_articles"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grouping_links")),
    )
    op.create_index(op.f("ix_grouping_links_correction_id"), "grouping_links", ["correction_id"])
    op.create_table(
        "reader_app_options",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("fold_copies", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reader_app_options_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reader_app_options")),
    )


def downgrade() -> None:
    op.drop_table("reader_app_options")
    op.drop_index(op.f("ix_grouping_links_correction_id"), table_name="grouping_links")
    op.drop_table("grouping_links")
    op.drop_index(op.f("ix_grouping_corrections_story_id"), table_name="grouping_corrections")
    op.drop_table("grouping_corrections")
    op.drop_table("grouping_reasons")
