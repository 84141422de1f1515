"""Turning a feed entry (and the page it links to, once extracted) into the values of one article row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from newsdesk.extract import ExtractedArticle
from newsdesk.sources.feeds import FeedEntry
from newsdesk.store.sources import SourceRow
from newsdesk.text.urls import checked_url_or_none


@dataclass(frozen=True)
class EntryRef:
    """What identifies an entry before its page is fetched: canonical URL and GUID."""

    url: str | None
    guid: str | None

    @property
    def key(self) -> str | None:
        return self.url or self.guid


def entry_ref(entry: FeedEntry) -> EntryRef:
    """Canonical URL (tracking parameters stripped) and GUID of a feed entry."""
    return EntryRef(url=checked_url_or_none(entry.url), guid=entry.guid or None)


def outlet_name(source: SourceRow, feed_title: str | None, url: str | None) -> str:
    """The publisher's display name: the source's name, else the feed's title, else the host."""
    if source.name:
        return source.name
    if feed_title:
        return feed_title
    host = urlsplit(url or source.site_url or source.feed_url).hostname or ""
    return host.removeprefix("www.")


def article_values(source: SourceRow, feed_title: str | None, entry: FeedEntry, ref: EntryRef,
                   page: ExtractedArticle | None, page_error: str | None) -> dict[str, Any]:
    """Merge feed metadata with extracted page metadata; the feed wins for times and titles it states."""
    declared = checked_url_or_none(page.canonical_url) if page is not None else None
    url = ref.url or declared
    text = (page.text if page is not None else "") or entry.summary or ""
    language = (page.language if page else None) or entry.language or source.language
    return {
        "url": url,
        "canonical_url": declared if declared != url else None,
        "guid": ref.guid,
        "source_id": source.id,
        "outlet": outlet_name(source, feed_title, url),
        "source_url": source.feed_url,
        "region": source.region,
        "title": (entry.title or (page.title if page else "") or "").strip()[:2000],
        "summary": entry.summary,
        "text": text,
        "html": page.html if page is not None else None,
        "byline": ((page.byline if page else None) or entry.author or None),
        "image_url": checked_url_or_none(entry.image or (page.image if page else None)),
        "language": language,
        "published_at": entry.published or (page.published if page else None) or entry.updated,
        "updated_at": entry.updated or (page.updated if page else None),
        "extract_error": page_error,
        "topics": list(source.topics),
    }
