"""JSON Feed 1.0 / 1.1 (https://jsonfeed.org) turned into a :class:`ParsedFeed`; URLs that break the URL rule
(:func:`newsdesk.text.urls.checked_url`) are dropped."""

from __future__ import annotations

import html
import json
from typing import Any

from newsdesk.sources.dates import parse_iso_datetime
from newsdesk.sources.models import FeedEntry, FeedParseError, ParsedFeed
from newsdesk.sources.plaintext import html_to_text
from newsdesk.text.urls import checked_url_or_none


def parse_json_feed(content: bytes, url: str) -> ParsedFeed:
    """Parse a JSON Feed; items that are not objects are skipped, a document that is no JSON Feed raises."""
    try:
        document = json.loads(_decode(content))
    except (ValueError, RecursionError) as exc:
        raise FeedParseError(f"{url}: not valid JSON ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise FeedParseError(f"{url}: JSON without an 'items' list is not a JSON Feed")
    version = document.get("version")
    if isinstance(version, str) and version and "jsonfeed.org" not in version:
        raise FeedParseError(f"{url}: JSON with version {version!r} is not a JSON Feed")
    feed_language = _text(document.get("language")) or None
    entries = [_entry(item, url, feed_language) for item in document["items"] if isinstance(item, dict)]
    site = _text(document.get("home_page_url"))
    return ParsedFeed(
        kind="json",
        title=_text(document.get("title")) or None,
        site_url=checked_url_or_none(site, url),
        language=feed_language,
        entries=entries,
    )


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("latin-1")  # JSON Feed must be UTF-8; a wrong byte should not lose the feed


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entry(item: dict[str, Any], base: str, feed_language: str | None) -> FeedEntry:
    link = _text(item.get("url")) or _text(item.get("external_url"))
    content_html = _text(item.get("content_html")) or _paragraphs(_text(item.get("content_text")))
    summary = _text(item.get("summary")) or None
    image = _text(item.get("image")) or _text(item.get("banner_image"))
    identifier = item.get("id")
    return FeedEntry(
        guid=str(identifier) if isinstance(identifier, str | int) and str(identifier) else None,
        url=checked_url_or_none(link, base),
        title=html_to_text(_text(item.get("title"))),
        summary=html_to_text(summary) if summary else None,
        content_html=content_html or None,
        published=parse_iso_datetime(item.get("date_published")),
        updated=parse_iso_datetime(item.get("date_modified")),
        author=_author(item),
        image=checked_url_or_none(image, base),
        language=_text(item.get("language")) or feed_language,
        tags=[tag.strip() for tag in item.get("tags") or [] if isinstance(tag, str) and tag.strip()],
    )


def _paragraphs(text: str) -> str:
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks)


def _author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    names = [_text(a.get("name")) for a in candidates if isinstance(a, dict)]
    return ", ".join(name for name in names if name) or None
