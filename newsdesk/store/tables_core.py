"""Core tables: sources, articles, which feed delivered which article, and the leases of work done once at a time.

``articles.story_id`` and ``articles.duplicate_of`` are written by the understanding stage (its tables live in
``tables_understanding.py``); ``story_id`` carries no database foreign key so that stage's migration can come after
this one on PostgreSQL.
"""

import sqlalchemy as sa

from newsdesk.store.metadata import TZ, BigId, metadata

sources = sa.Table(
    "sources", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("feed_url", sa.String(2048), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False, server_default="feed"),  # feed | sitemap
    sa.Column("site_url", sa.String(2048)),
    sa.Column("name", sa.String(512)),
    sa.Column("language", sa.String(16)),
    sa.Column("region", sa.String(8)),
    sa.Column("topics", sa.JSON, nullable=False, default=list),
    sa.Column("etag", sa.String(512)),
    sa.Column("last_modified", sa.String(128)),
    sa.Column("added_at", TZ, nullable=False),
    sa.Column("last_checked_at", TZ),
    sa.Column("last_success_at", TZ),
    sa.Column("last_error_at", TZ),
    sa.Column("last_error", sa.Text),
    sa.Column("error_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("status", sa.String(16), nullable=False, server_default="active"),  # active | failing | disabled
    sa.Column("next_check_at", TZ, index=True),
    sa.Column("interval_seconds", sa.Integer),
    sa.Column("entries_per_day", sa.Float),
    sa.Column("paused_at", TZ),  # set while an admin has paused the source: never due, kept with its articles
    # Scale-out: a check handed to the ingest queue carries ``lease_token``; the worker running it records itself in
    # ``leased_by`` and keeps ``leased_until`` ahead by a heartbeat. All three are cleared when the check ends.
    sa.Column("lease_token", sa.String(32)),
    sa.Column("leased_by", sa.String(255)),
    sa.Column("leased_until", TZ),
    sa.Column("added_by_pack", sa.String(64)),  # the starter pack that created it (see tables_packs)
)

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("external_id", sa.String(255), unique=True),
    sa.Column("url", sa.String(2048), unique=True),  # the link it was found by, tracking parameters stripped
    sa.Column("canonical_url", sa.String(2048), index=True),  # the page's own rel=canonical / og:url, if it differs
    sa.Column("guid", sa.String(2048), index=True),
    sa.Column("source_id", BigId, sa.ForeignKey("sources.id", ondelete="SET NULL"), index=True),
    sa.Column("outlet", sa.String(512)),  # display name of the publisher
    sa.Column("source_url", sa.String(2048)),  # feed or site URL it came from (export contract)
    sa.Column("region", sa.String(8)),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("summary", sa.Text),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    sa.Column("html", sa.Text),  # sanitized body HTML for display
    sa.Column("byline", sa.String(512)),
    sa.Column("image_url", sa.String(2048)),
    sa.Column("language", sa.String(16), index=True),
    sa.Column("published_at", TZ, index=True),
    sa.Column("updated_at", TZ),
    sa.Column("fetched_at", TZ, nullable=False),
    sa.Column("content_hash", sa.String(64), index=True),
    sa.Column("word_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("status", sa.String(16), nullable=False, server_default="stored"),  # stored | understood
    sa.Column("extract_error", sa.Text),
    sa.Column("story_id", BigId, index=True),
    sa.Column("duplicate_of", BigId, sa.ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    sa.Column("topics", sa.JSON, nullable=False, default=list),
    sa.Column("archived_at", TZ),  # body, vectors and sentences dropped by the retention policy at this time
)

article_feeds = sa.Table(
    "article_feeds", metadata,
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("source_id", BigId, sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("guid", sa.String(2048)),
    sa.Column("seen_at", TZ, nullable=False),
)

# Further external ids of an imported article: an import line whose article was already stored (same link, GUID or
# content hash) keeps its id here, so ``export`` lists every id it was given and a second import skips it.
article_aliases = sa.Table(
    "article_aliases", metadata,
    sa.Column("external_id", sa.String(255), primary_key=True),
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
)

# A named lease: the one process allowed to run a stage that must run once at a time (``understand``: story
# assignment keeps its indexes in memory), until ``expires_at`` unless renewed. ``generation`` changes whenever
# another holder takes it, so a process that held it before knows its in-memory state went stale meanwhile.
leases = sa.Table(
    "leases", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("holder", sa.String(255)),
    sa.Column("expires_at", TZ),
    sa.Column("generation", sa.Integer, nullable=False, server_default="0"),
)

sa.Index("ix_articles_status_id", articles.c.status, articles.c.id)
sa.Index("ix_articles_story_published", articles.c.story_id, articles.c.published_at)
