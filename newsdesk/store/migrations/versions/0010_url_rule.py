"""the URL rule on data stored before it: URLs that are not http(s) are removed, highlight sentinels are taken out
of article text

Before the rule, OPML import stored any ``xmlUrl`` (``javascript:``, ``data:``) and feeds could store any image
URL. Sources whose feed URL is not http(s) are deleted (such a URL can never be fetched, so no article came from
it); other URL columns that are not http(s) become NULL. The highlight sentinels (\\x02, \\x03) are removed from
article titles, summaries and text, so only the search backend's own marks become <mark>. Reads every article
once; only rows that need it are written.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SENTINELS = ("\x02", "\x03")
ARTICLE_URLS = ("url", "canonical_url", "image_url", "source_url")
ARTICLE_TEXTS = ("title", "summary", "text")


def _not_http(column: str) -> str:
    """SQL true when a (non-null) URL column holds anything but an http(s) URL."""
    start = f"lower(ltrim({column}))"
    return f"({column} IS NOT NULL AND {start} NOT LIKE 'http://%' AND {start} NOT LIKE 'https://%')"


def upgrade() -> None:
    conn = op.get_bind()
    bad_sources = f"SELECT id FROM sources WHERE {_not_http('feed_url')}"
    conn.execute(sa.text(f"UPDATE articles SET source_id = NULL WHERE source_id IN ({bad_sources})"))
    conn.execute(sa.text(f"DELETE FROM article_feeds WHERE source_id IN ({bad_sources})"))
    conn.execute(sa.text(f"DELETE FROM sources WHERE {_not_http('feed_url')}"))
    conn.execute(sa.text(f"UPDATE sources SET site_url = NULL WHERE {_not_http('site_url')}"))
    for column in ARTICLE_URLS:
        conn.execute(sa.text(f"UPDATE articles SET {column} = NULL WHERE {_not_http(column)}"))
    for column in ARTICLE_TEXTS:
        conn.execute(sa.text(f"UPDATE articles SET {column} = replace(replace({column}, :start, ''), :end, '') "
                             f"WHERE {column} LIKE :has_start OR {column} LIKE :has_end"),
                     {"start": SENTINELS[0], "end": SENTINELS[1], "has_start": f"%{SENTINELS[0]}%",
                      "has_end": f"%{SENTINELS[1]}%"})


def downgrade() -> None:
    """Nothing to restore: the removed values were never usable."""
