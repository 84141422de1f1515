"""Tables of the understanding stage: stories (owned by newsdesk/understand)."""

import sqlalchemy as sa

from newsdesk.store.metadata import TZ, BigId, metadata

stories = sa.Table(
    "stories", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("representative_article_id", BigId),
    sa.Column("first_seen_at", TZ),
    sa.Column("last_seen_at", TZ, index=True),
    sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("outlet_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("languages", sa.JSON, nullable=False, default=list),
    sa.Column("regions", sa.JSON, nullable=False, default=list),
    sa.Column("topics", sa.JSON, nullable=False, default=list),
    sa.Column("trend_score", sa.Float, nullable=False, server_default="0"),
    sa.Column("merged_into", BigId),
    sa.Column("updated_at", TZ),
)
