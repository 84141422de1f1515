"""follow: when each reader last read a followed story, alerts (followed story or saved search), their firings

Revision ID: 0012_follow
Revises: 0012_store
Create Date: 2026-12-04 19:30:00
"""
import sqlalchemy as sa
from alembic import op

import newsdesk.store.metadata

revision = "0012_follow"
down_revision = "0012_store"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = newsdesk.store.metadata.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "story_visits",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("story_id", ID, nullable=False),
        sa.Column("read_at", WHEN, nullable=False),
        sa.Column("delta_since", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_story_visits_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "story_id", name=op.f("pk_story_visits")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("story_id", ID, nullable=True),
        sa.Column("keywords", sa.String(length=200), server_default="", nullable=False),
        sa.Column("edition", sa.String(length=8), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=2048), server_default="", nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_alerts_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("token", name=op.f("uq_alerts_token")),
    )
    op.create_index(op.f("ix_alerts_user_id"), "alerts", ["user_id"])
    op.create_index(op.f("ix_alerts_story_id"), "alerts", ["story_id"])
    op.create_table(
        "alert_events",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("alert_id", ID, nullable=False),
        sa.Column("article_id", ID, nullable=False),
        sa.Column("story_id", ID, nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=True),
        sa.Column("delivered_at", WHEN, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name=op.f("fk_alert_events_alert_id_alerts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_alert_events_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
        sa.UniqueConstraint("alert_id", "article_id", name="uq_alert_events_alert_article"),
    )
    op.create_index(op.f("ix_alert_events_next_attempt_at"), "alert_events", ["next_attempt_at"])
    op.create_index("ix_alert_events_alert_created", "alert_events", ["alert_id", "created_at"])


def downgrade() -> None:
    op.drop_table("alert_events")
    op.drop_table("alerts")
    op.drop_table("story_visits")
