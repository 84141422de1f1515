"""Tables of the understanding stage (owned by newsdesk/understand): stories, article vectors and MinHash
signatures, and the LSH band buckets of the near-duplicate index."""

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

# One row per understood article: its embedding (float32 bytes, 512-d, L2-normalised) and, for texts long enough,
# its MinHash signature (uint64 bytes). Vectors rebuild the in-memory ANN indexes after a restart.
article_signals = sa.Table(
    "article_signals", metadata,
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("vector", sa.LargeBinary, nullable=False),
    sa.Column("minhash", sa.LargeBinary),
)

# LSH bands of the MinHash signatures: a copy shares at least one (band, bucket) with its original.
duplicate_bands = sa.Table(
    "duplicate_bands", metadata,
    sa.Column("band", sa.SmallInteger, nullable=False),
    sa.Column("bucket", sa.BigInteger, nullable=False),
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
)

sa.Index("ix_duplicate_bands_band_bucket", duplicate_bands.c.band, duplicate_bands.c.bucket)
sa.Index("ix_duplicate_bands_article_id", duplicate_bands.c.article_id)
