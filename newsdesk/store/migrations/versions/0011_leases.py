"""leases: the one process that may assign stories; source checks claimed by the ingest worker running them

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import newsdesk.store.metadata

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

WHEN = newsdesk.store.metadata.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=True),
        sa.Column("expires_at", WHEN, nullable=True),
        sa.Column("generation", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("leased_by", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("leased_until", WHEN, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("leased_until")
        batch_op.drop_column("leased_by")
        batch_op.drop_column("lease_token")
    op.drop_table("leases")
