"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed, and news sitemaps, into one ParsedFeed.

:func:`parse_feed` sniffs the format from the bytes (and the Content-Type), hands it to the right reader, and
returns entries with absolute URLs that pass the URL rule (:func:`newsdesk.text.urls.checked_url`: a
``javascript:`` link or image is dropped), plain-text titles and summaries, and UTC times. A feed with some broken
entries or a wrong declared encoding still yields what can be read (feedparser's "bozo" handling); content that
is no feed at all raises :class:`FeedParseError`.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

import feedparser

from newsdesk.sources.dates import from_struct_time
from newsdesk.sources.jsonfeed import parse_json_feed
from newsdesk.sources.models import FULL_TEXT_MIN_WORDS, FeedEntry, FeedParseError, ParsedFeed
from newsdesk.sources.plaintext import html_to_text
from newsdesk.sources.sitemaps import SITEMAP_ROOTS, parse_sitemap
from newsdesk.text.urls import checked_url_or_none

__all__ = ["FeedEntry", "FeedParseError", "ParsedFeed", "parse_feed"]

# A gzipped sitemap (sitemap.xml.gz served without Content-Encoding) is unpacked up to this size: the sitemap
# protocol caps a file at 50 MB uncompressed.
MAX_GUNZIPPED_BYTES = 50 * 1024 * 1024

_ROOT_ELEMENT = re.compile(rb"\s*<([A-Za-z_][\w.:-]*)")
_SKIPPED_PROLOGUE = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>|<!\[CDATA\[.*?\]\]>)", re.S | re.I)


def parse_feed(content: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse feed or sitemap bytes fetched from ``url`` (used to make links absolute)."""
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content, url)
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return parse_json_feed(content, url)
    if (content_type or "").split(";")[0].strip().endswith("json") and not head.startswith(b"<"):
        return parse_json_feed(content, url)
    if _root_name(head) in SITEMAP_ROOTS:
        return parse_sitemap(content, url)
    return _parse_xml_feed(content, url, content_type)


def _gunzip(content: bytes, url: str) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(content, MAX_GUNZIPPED_BYTES)
    except zlib.error as exc:
        raise FeedParseError(f"{url}: broken gzip data ({exc})") from None
    if inflater.unconsumed_tail:
        raise FeedParseError(f"{url}: gzipped content unpacks to more than {MAX_GUNZIPPED_BYTES:,} bytes")
    return data


def _root_name(head: bytes) -> str:
    """Local name of the first element (after the XML declaration, comments and DOCTYPE), or ''."""
    position = 0
    while skipped := _SKIPPED_PROLOGUE.match(head, position):
        position = skipped.end()
    match = _ROOT_ELEMENT.match(head, position)
    if match is None:
        return ""
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1]


def _parse_xml_feed(content: bytes, url: str, content_type: str | None) -> ParsedFeed:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    except (RecursionError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise FeedParseError(f"{url}: could not be parsed as a feed ({type(exc).__name__}: {exc})") from None
    if not parsed.get("version") and not parsed.entries:
        raise FeedParseError(f"{url}: not an RSS, Atom, JSON Feed or sitemap document ({_looks_like(content)})")
    feed = parsed.feed
    version = parsed.get("version") or ""
    site = feed.get("link")
    language = feed.get("language") or None
    entries = [_entry(item, url, is_rss=not version.startswith("atom")) for item in parsed.entries]
    for entry in entries:
        entry.language = entry.language or language
    return ParsedFeed(
        kind="atom" if version.startswith("atom") else "rss",
        title=html_to_text(feed.get("title")) or None,
        site_url=checked_url_or_none(site, url),
        language=language,
        entries=entries,
    )


def _looks_like(content: bytes) -> str:
    root = _root_name(content.lstrip(b"\xef\xbb\xbf \t\r\n")).lower()
    if root == "html":
        return "it is an HTML page; use feed discovery for a site URL"
    if root:
        return f"an XML document whose root is <{root}>"
    return "neither XML nor JSON" if content.strip() else "it is empty"


def _entry(item: Any, base: str, is_rss: bool) -> FeedEntry:
    """One feed item. In RSS the only date may be dc:date, which feedparser files as 'updated': it is the
    item's publication date there, so it fills ``published``; Atom keeps the two apart."""
    guid = item.get("id") or None
    link = item.get("link") or (guid if item.get("guidislink") else None)
    summary_html = item.get("summary") or ""
    content_html = _content_html(item)
    if content_html is None and len(html_to_text(summary_html).split()) >= FULL_TEXT_MIN_WORDS:
        content_html = summary_html  # many RSS feeds put the whole story in <description>
    title_detail = item.get("title_detail") or {}
    updated = from_struct_time(item.get("updated_parsed"))
    published = from_struct_time(item.get("published_parsed")) or (updated if is_rss else None)
    return FeedEntry(
        guid=guid,
        url=checked_url_or_none(link, base),
        title=html_to_text(item.get("title")),
        summary=html_to_text(summary_html) or None,
        content_html=content_html,
        published=published,
        updated=updated,
        author=item.get("author") or None,
        image=_image(item, base),
        language=title_detail.get("language") or None,
        tags=[tag["term"].strip() for tag in item.get("tags") or [] if (tag.get("term") or "").strip()],
    )


def _content_html(item: Any) -> str | None:
    """The longest full-content block of the entry (Atom <content>, RSS <content:encoded>), if any."""
    blocks = [block.get("value") or "" for block in item.get("content") or []]
    longest = max(blocks, key=len, default="")
    return longest or None


def _image(item: Any, base: str) -> str | None:
    """Lead image from media:thumbnail, media:content (image) or an image enclosure: the first that passes the
    URL rule."""
    candidates = list(item.get("media_thumbnail") or [])
    candidates += [m for m in item.get("media_content") or [] if _is_image(m.get("medium"), m.get("type"), m)]
    candidates += [e for e in item.get("enclosures") or [] if _is_image(None, e.get("type"), e)]
    for candidate in candidates:
        image = checked_url_or_none(candidate.get("url") or candidate.get("href"), base)
        if image:
            return image
    return None


def _is_image(medium: str | None, mime: str | None, candidate: Any) -> bool:
    if medium == "image" or (mime or "").startswith("image/"):
        return True
    link = str(candidate.get("url") or candidate.get("href") or "").lower().split("?")[0]
    return not medium and not mime and link.endswith((".jpg", ".jpeg", ".png", ".webp", ".gif"))
