"""retention: articles.archived_at (set when the retention policy dropped the body and vectors)

Revision ID: 0012_ops
Revises: 0012_packs
Create Date: 2026-12-04 19:40:00
"""
import sqlalchemy as sa
from alembic import op

import newsdesk.store.metadata

revision = "0012_ops"
down_revision = "0012_packs"
branch_labels = None
depends_on = None

TZ = newsdesk.store.metadata.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", TZ, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
