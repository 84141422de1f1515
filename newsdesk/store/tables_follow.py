"""Tables of following a story and of alerts: when each reader last read a followed story, the alerts people set
(a followed story or a saved search, and how to hear of it), and what each alert fired.

``story_visits`` keeps, per reader and followed story, the last visit (``read_at``) and the start of the window the
story page shows as "since you last read" (``delta_since``): it moves to the previous visit once a visit is more than
a visit gap after the one before, so reloading the page keeps showing the same delta. An alert's Atom token and
webhook secret are random; the token is the only credential of its feed. ``alert_events`` is the outbox: one row per
firing, delivered at once for a feed, by POST or mail for the others, retried with backoff until it goes through or
the attempts run out.
"""

import sqlalchemy as sa

from newsdesk.store.metadata import TZ, BigId, metadata

story_visits = sa.Table(
    "story_visits", metadata,
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("story_id", BigId, primary_key=True),
    sa.Column("read_at", TZ, nullable=False),
    sa.Column("delta_since", TZ, nullable=False),
)

alerts = sa.Table(
    "alerts", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("story_id", BigId, index=True),  # a followed story; else a saved search (the four fields below)
    sa.Column("keywords", sa.String(200), nullable=False, server_default=""),
    sa.Column("edition", sa.String(8)),
    sa.Column("language", sa.String(16)),
    sa.Column("topic", sa.String(64)),
    sa.Column("channel", sa.String(16), nullable=False),  # atom | webhook | email
    sa.Column("target", sa.String(2048), nullable=False, server_default=""),  # webhook URL or mail address
    sa.Column("token", sa.String(64), nullable=False, unique=True),  # the private Atom feed's token
    sa.Column("secret", sa.String(64), nullable=False),  # HMAC key of webhook signatures
    sa.Column("created_at", TZ, nullable=False),
)

alert_events = sa.Table(
    "alert_events", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("alert_id", BigId, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("story_id", BigId),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # pending | delivered | failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", TZ, index=True),
    sa.Column("delivered_at", TZ),
    sa.Column("last_error", sa.Text),
    sa.UniqueConstraint("alert_id", "article_id", name="uq_alert_events_alert_article"),
)
sa.Index("ix_alert_events_alert_created", alert_events.c.alert_id, alert_events.c.created_at)
