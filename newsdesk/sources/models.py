"""The one shape every feed format is turned into: :class:`ParsedFeed` holding :class:`FeedEntry` items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.sources.plaintext import html_to_text

# A feed item whose content carries at least this many words is taken as the full article: the page need not be
# fetched. Teasers and summaries in real feeds run 20-80 words; full stories are several hundred.
FULL_TEXT_MIN_WORDS = 150


@dataclass
class FeedEntry:
    """One item of a feed or news sitemap. Times are timezone-aware UTC; ``url`` is absolute."""

    guid: str | None
    url: str | None
    title: str
    summary: str | None = None
    content_html: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    image: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def has_full_text(self) -> bool:
        """True when ``content_html`` is long enough to be the article itself (see FULL_TEXT_MIN_WORDS)."""
        if not self.content_html:
            return False
        return len(html_to_text(self.content_html).split()) >= FULL_TEXT_MIN_WORDS


@dataclass
class ParsedFeed:
    """A parsed feed: ``kind`` is 'rss', 'atom', 'json', 'sitemap' or 'sitemapindex'."""

    kind: str
    title: str | None
    site_url: str | None
    language: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    child_sitemaps: list[str] = field(default_factory=list)


class FeedParseError(ValueError):
    """The content is not a feed (or sitemap) at all; the message says what it looked like."""
