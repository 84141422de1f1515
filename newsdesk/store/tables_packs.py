"""Tables of starter packs and WebSub: which packs an admin added and which sources each brought, and the push
subscriptions newsdesk holds at feeds' hubs.

A pack's sources are listed in ``pack_sources``; ``sources.added_by_pack`` names the pack that created a source, so
removing the last pack that lists it removes the source too, while a source an admin added by hand stays.
A WebSub subscription outlives its source on purpose (no foreign key): removing the source must still tell the hub
to stop, and the row goes once the hub confirmed (or the lease ran out).
"""

import sqlalchemy as sa

from newsdesk.store.metadata import TZ, BigId, metadata

packs = sa.Table(
    "packs", metadata,
    sa.Column("slug", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(128), nullable=False),  # English name, e.g. "USA | Texas"
    sa.Column("kind", sa.String(16), nullable=False),  # edition | topic
    sa.Column("language", sa.String(16)),
    sa.Column("region", sa.String(8)),
    sa.Column("names", sa.JSON, nullable=False, default=dict),  # display name by locale
    sa.Column("added_at", TZ, nullable=False),
)

pack_sources = sa.Table(
    "pack_sources", metadata,
    sa.Column("pack_slug", sa.String(64), sa.ForeignKey("packs.slug", ondelete="CASCADE"), primary_key=True),
    sa.Column("source_id", BigId, sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True, index=True),
)

websub_subscriptions = sa.Table(
    "websub_subscriptions", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("source_id", BigId, index=True),  # no foreign key: the unsubscription outlives the source
    sa.Column("topic_url", sa.String(2048), nullable=False),
    sa.Column("hub_url", sa.String(2048), nullable=False),
    sa.Column("token", sa.String(64), nullable=False, unique=True),  # the callback's path segment
    sa.Column("secret", sa.String(128), nullable=False),  # HMAC key the hub signs pushes with
    sa.Column("state", sa.String(16), nullable=False),  # subscribing | active | unsubscribing | denied
    sa.Column("lease_seconds", sa.Integer),
    sa.Column("requested_at", TZ, nullable=False),
    sa.Column("expires_at", TZ, index=True),
    sa.Column("last_push_at", TZ),
    sa.Column("pushes", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
)
