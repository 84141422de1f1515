"""source pause: sources.paused_at (set while an admin has paused the source; a paused source is never due)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import newsdesk.store.metadata

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TZ = newsdesk.store.metadata.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_at", TZ, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("paused_at")
