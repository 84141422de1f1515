"""Finding the feeds of a site: the URL itself, ``<link rel="alternate">`` tags, common feed paths, then sitemaps.

Order (each step only if the previous found nothing):

1. the URL is itself a feed or news sitemap: it is returned;
2. the page's ``<link rel="alternate">`` tags of RSS, Atom and JSON Feed types (not fetched: the site says so);
3. common paths on the site (``/feed``, ``/rss.xml``, …): each is fetched and parsed, the first feed wins;
4. news sitemaps: ``Sitemap:`` lines of robots.txt and common news-sitemap paths; a sitemap index is followed one
   level into children whose URL mentions news. Only sitemaps with Google News data count (a plain sitemap of a
   whole site is no news source).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from newsdesk.fetch.client import FetchError, PoliteClient
from newsdesk.sources.feeds import FeedParseError, ParsedFeed, parse_feed
from newsdesk.text.urls import checked_url_or_none

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
}
COMMON_FEED_PATHS = ("/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feeds/posts/default",
                     "/?feed=rss2", "/feed.json")
COMMON_SITEMAP_PATHS = ("/news-sitemap.xml", "/sitemap_news.xml", "/sitemap-news.xml", "/news_sitemap.xml")
MAX_CHILD_SITEMAPS = 3


@dataclass(frozen=True)
class DiscoveredFeed:
    """A feed found for a site: its URL, a title if known, and its kind ('rss', 'atom', 'json', 'sitemap')."""

    url: str
    title: str | None
    kind: str


async def discover_feeds(client: PoliteClient, url: str) -> list[DiscoveredFeed]:
    """The feeds of ``url`` (a feed URL or a site URL); empty if none is found. Fetch errors of the URL raise."""
    result = await client.fetch(url)
    parsed = _try_parse(result.content, result.url, result.content_type)
    if parsed is not None:
        return [_as_discovered(result.url, parsed)]
    linked = feeds_linked_from_html(result.content, result.url)
    if linked:
        return linked
    origin = _origin(result.url)
    for path in COMMON_FEED_PATHS:
        found = await _probe(client, origin + path)
        if found is not None and found.kind != "sitemapindex":
            return [found]
    return await _discover_news_sitemaps(client, result.url)


def feeds_linked_from_html(content: bytes, page_url: str) -> list[DiscoveredFeed]:
    """Feeds announced by ``<link rel="alternate" type="...">`` in an HTML page, absolute and de-duplicated."""
    try:
        document = html.document_fromstring(content)
    except (etree.ParserError, ValueError):
        return []
    base = next(iter(document.xpath("//base/@href")), None)
    base_url = urljoin(page_url, str(base)) if base else page_url
    found: dict[str, DiscoveredFeed] = {}
    for link in document.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = FEED_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        if "alternate" not in rel or kind is None:
            continue
        href = checked_url_or_none(link.get("href"), base_url)
        if href and href not in found:
            found[href] = DiscoveredFeed(href, (link.get("title") or "").strip() or None, kind)
    return list(found.values())


async def _discover_news_sitemaps(client: PoliteClient, url: str) -> list[DiscoveredFeed]:
    origin = _origin(url)
    try:
        candidates = list((await client.robots(url)).sitemaps)
    except FetchError:
        candidates = []
    candidates += [origin + path for path in COMMON_SITEMAP_PATHS]
    found: list[DiscoveredFeed] = []
    for candidate in dict.fromkeys(candidates):
        found += await _news_sitemaps_at(client, candidate)
    return list({feed.url: feed for feed in found}.values())


async def _news_sitemaps_at(client: PoliteClient, url: str) -> list[DiscoveredFeed]:
    probed = await _probe_parsed(client, url)
    if probed is None:
        return []
    url, parsed = probed
    if parsed.kind == "sitemap":
        return [DiscoveredFeed(url, None, "sitemap")] if _has_news(parsed) else []
    if parsed.kind != "sitemapindex":
        return []
    news_children = [child for child in parsed.child_sitemaps if "news" in child.lower()][:MAX_CHILD_SITEMAPS]
    found = []
    for child in news_children:
        child_probed = await _probe_parsed(client, child)
        if child_probed is not None and child_probed[1].kind == "sitemap" and _has_news(child_probed[1]):
            found.append(DiscoveredFeed(child_probed[0], None, "sitemap"))
    return found


def _has_news(parsed: ParsedFeed) -> bool:
    return any(entry.title for entry in parsed.entries)


async def _probe(client: PoliteClient, url: str) -> DiscoveredFeed | None:
    probed = await _probe_parsed(client, url)
    return None if probed is None else _as_discovered(*probed)


async def _probe_parsed(client: PoliteClient, url: str) -> tuple[str, ParsedFeed] | None:
    """(final URL, parsed feed) if ``url`` can be fetched and is a feed or sitemap, else None."""
    try:
        result = await client.fetch(url)
    except FetchError:
        return None
    parsed = _try_parse(result.content, result.url, result.content_type)
    return None if parsed is None else (result.url, parsed)


def _try_parse(content: bytes, url: str, content_type: str | None) -> ParsedFeed | None:
    try:
        return parse_feed(content, url, content_type)
    except FeedParseError:
        return None


def _as_discovered(url: str, parsed: ParsedFeed) -> DiscoveredFeed:
    return DiscoveredFeed(url, parsed.title, parsed.kind)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
