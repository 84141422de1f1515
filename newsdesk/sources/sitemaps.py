"""Sitemaps: Google News sitemaps (``news:`` extension), plain URL sets, and sitemap indexes.

Parsed with lxml in a hardened mode: no DTD loading, no entity resolution, no network, so entity-expansion and
external-entity attacks do nothing; a slightly broken file is read as far as it goes (``recover``). A ``<loc>``
that breaks the URL rule (:func:`newsdesk.text.urls.checked_url`) is skipped.
"""

from __future__ import annotations

from lxml import etree

from newsdesk.sources.dates import parse_iso_datetime
from newsdesk.sources.models import FeedEntry, FeedParseError, ParsedFeed
from newsdesk.text.urls import checked_url_or_none

SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, recover=True
    )


def parse_sitemap(content: bytes, url: str) -> ParsedFeed:
    """Parse a urlset (entries) or a sitemapindex (child_sitemaps)."""
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise FeedParseError(f"{url}: not readable XML ({exc})") from None
    if root is None or etree.QName(root).localname not in SITEMAP_ROOTS:
        raise FeedParseError(f"{url}: XML whose root is not <urlset> or <sitemapindex> is not a sitemap")
    if etree.QName(root).localname == "sitemapindex":
        locs = (checked_url_or_none(_child_text(s, "loc"), url) for s in _children(root, "sitemap"))
        children = [loc for loc in locs if loc]
        return ParsedFeed("sitemapindex", None, None, None, [], children)
    entries = [entry for entry in (_entry(node, url) for node in _children(root, "url")) if entry is not None]
    languages = {e.language for e in entries if e.language}
    return ParsedFeed("sitemap", None, None, languages.pop() if len(languages) == 1 else None, entries)


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in node if isinstance(child.tag, str) and etree.QName(child).localname == name]


def _child_text(node: etree._Element, name: str) -> str:
    for child in _children(node, name):
        return (child.text or "").strip()
    return ""


def _entry(node: etree._Element, base: str) -> FeedEntry | None:
    loc = checked_url_or_none(_child_text(node, "loc"), base)
    if not loc:
        return None
    lastmod = parse_iso_datetime(_child_text(node, "lastmod"))
    news = next(iter(_children(node, "news")), None)
    image = next(iter(_children(node, "image")), None)
    image_loc = _child_text(image, "loc") if image is not None else ""
    entry = FeedEntry(guid=None, url=loc, title="", updated=lastmod, published=lastmod,
                      image=checked_url_or_none(image_loc, base))
    if news is not None:
        _add_news(entry, news)
    return entry


def _add_news(entry: FeedEntry, news: etree._Element) -> None:
    """Fill title, publication date, language and keywords from a ``<news:news>`` block."""
    entry.title = " ".join(_child_text(news, "title").split())
    entry.published = parse_iso_datetime(_child_text(news, "publication_date")) or entry.published
    publication = next(iter(_children(news, "publication")), None)
    if publication is not None:
        entry.language = _child_text(publication, "language") or None
    entry.tags = [k.strip() for k in _child_text(news, "keywords").split(",") if k.strip()]
