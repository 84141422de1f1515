"""Feeds out: Atom 1.0 and JSON Feed 1.1 of an edition's top stories, of one story's coverage, and of a search.

A reader can follow "Top stories, Lebanon, in Arabic", "full coverage of this story" or "every article that
mentions the harbour strike" in any feed reader. Entries link to newsdesk's own pages (clean text, related coverage)
and carry the publisher's URL beside it (Atom ``rel="related"``, JSON Feed ``external_url``); only excerpts go out,
never the publishers' full text. Text that XML cannot carry (control characters from hostile pages) is dropped.
Pages link their feeds with ``<link rel="alternate">``, so a feed reader pointed at a page finds them.

Links to newsdesk's own pages (the feed itself, the page it stands for, each entry) are absolute from
``web_base_url`` when it is set, else paths (:mod:`newsdesk.web.http.base_url`); never built from the ``Host`` header.
Atom wants an absolute IRI as ``<id>``: without a base URL the path becomes a ``tag:`` URI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from starlette.requests import Request
from starlette.responses import Response

from newsdesk import __version__
from newsdesk.search.highlight import to_plain
from newsdesk.store import read_models
from newsdesk.web.http.base_url import site_link
from newsdesk.web.http.responses import not_found, validated
from newsdesk.web.pages.home import edition_of
from newsdesk.web.pages.search import run_search
from newsdesk.web.site import site_of
from newsdesk.web.templating import safe_url

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PATH_ID_PREFIX = "tag:newsdesk,2026:"  # Atom ids of feeds served without web_base_url: tag:newsdesk,2026:/stories/1


@dataclass
class FeedItem:
    """One entry: a story or an article, as both formats need it."""

    id: str
    title: str
    url: str
    external_url: str | None = None
    summary: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class FeedDoc:
    """A feed: what it is about, where it lives (``self_url``) and the page it stands for (``home_url``)."""

    title: str
    self_url: str
    home_url: str
    items: list[FeedItem]
    language: str | None = None

    @property
    def updated(self) -> datetime:
        return max((i.updated or i.published or _EPOCH for i in self.items), default=_EPOCH)


def xml_text(value: str | None) -> str:
    """``value`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", value or "")


def excerpt(text: str | None) -> str:
    """An excerpt (the store cuts them at ``EXCERPT_CHARS``) that ends on a whole word, with an ellipsis when cut."""
    raw = text or ""
    flat = " ".join(raw.split())
    if len(raw) < read_models.EXCERPT_CHARS:
        return flat
    flat = flat[:read_models.EXCERPT_CHARS]
    return (flat[:flat.rfind(" ")] if " " in flat else flat).rstrip(" ,;:") + "…"


def atom_id(link: str) -> str:
    """An absolute IRI for Atom's ``<id>``: the link itself, or a ``tag:`` URI for a path."""
    return link if link.startswith(("http://", "https://")) else PATH_ID_PREFIX + link


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def atom_bytes(doc: FeedDoc) -> bytes:
    """The feed as an Atom 1.0 document."""
    feed = Element("feed", {"xmlns": ATOM_NS, **({"xml:lang": doc.language} if doc.language else {})})
    SubElement(feed, "id").text = xml_text(atom_id(doc.self_url))
    SubElement(feed, "title").text = xml_text(doc.title)
    SubElement(feed, "updated").text = doc.updated.isoformat()
    SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": xml_text(doc.self_url)})
    SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": xml_text(doc.home_url)})
    SubElement(SubElement(feed, "author"), "name").text = "newsdesk"
    SubElement(feed, "generator", {"version": __version__}).text = "newsdesk"
    for item in doc.items:
        entry = SubElement(feed, "entry", {"xml:lang": item.language} if item.language else {})
        SubElement(entry, "id").text = xml_text(atom_id(item.id))
        SubElement(entry, "title").text = xml_text(item.title)
        SubElement(entry, "updated").text = (item.updated or item.published or doc.updated).isoformat()
        if item.published:
            SubElement(entry, "published").text = item.published.isoformat()
        SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": xml_text(item.url)})
        if item.external_url:
            SubElement(entry, "link", {"rel": "related", "type": "text/html", "href": xml_text(item.external_url)})
        if item.author:
            SubElement(SubElement(entry, "author"), "name").text = xml_text(item.author)
        for tag in item.tags:
            SubElement(entry, "category", {"term": xml_text(tag)})
        if item.summary:
            SubElement(entry, "summary").text = xml_text(item.summary)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(feed, encoding="unicode").encode()


def json_feed(doc: FeedDoc) -> dict[str, Any]:
    """The feed as a JSON Feed 1.1 object."""
    items = []
    for item in doc.items:
        # JSON Feed wants content in every item: the excerpt, or the headline when there is no text
        out: dict[str, Any] = {"id": item.id, "url": item.url, "title": item.title,
                               "content_text": item.summary or item.title}
        if item.summary:
            out["summary"] = item.summary
        if item.external_url:
            out["external_url"] = item.external_url
        if item.published:
            out["date_published"] = item.published.isoformat()
        if item.updated:
            out["date_modified"] = item.updated.isoformat()
        if item.author:
            out["authors"] = [{"name": item.author}]
        if item.language:
            out["language"] = item.language
        if item.tags:
            out["tags"] = item.tags
        items.append(out)
    head = {"version": JSON_FEED_VERSION, "title": doc.title, "home_page_url": doc.home_url, "feed_url": doc.self_url}
    return {**head, **({"language": doc.language} if doc.language else {}), "items": items}


def _respond(request: Request, doc: FeedDoc) -> Response:
    if request.url.path.endswith(".json"):
        body = json.dumps(json_feed(doc), ensure_ascii=False, separators=(",", ":")).encode()
        return validated(request, body, JSON_FEED_TYPE)
    return validated(request, atom_bytes(doc), ATOM_TYPE)


def _story_summary(story: dict[str, Any], lead: dict[str, Any] | None, others: Sequence[dict[str, Any]]) -> str:
    outlets = ", ".join(dict.fromkeys(a["outlet"] for a in [lead, *others] if a and a.get("outlet")))
    count = f"{story.get('article_count') or 0} articles from {story.get('outlet_count') or 0} outlets"
    lead_text = excerpt((lead or {}).get("excerpt"))
    return f"{count} ({outlets}). {lead_text}" if outlets else f"{count}. {lead_text}"


def _own_link(request: Request, route: str, **params: int) -> str:
    """A link to one of this site's pages, from ``web_base_url`` (a path without one)."""
    return site_link(site_of(request).settings.web_base_url, str(request.app.url_path_for(route, **params)))


def _self_link(request: Request) -> str:
    """This feed's own link: its path and query, from ``web_base_url``."""
    query = f"?{request.url.query}" if request.url.query else ""
    return site_link(site_of(request).settings.web_base_url, request.url.path + query)


def top_stories_feed(request: Request) -> Response:
    """``/feeds/top.atom`` and ``.json``: the home page's stories for the edition in the query."""
    site = site_of(request)
    edition = edition_of(request)
    with site.engine.connect() as conn:
        rows = read_models.top_stories(conn, region=edition.region, language=edition.language, topic=edition.topic,
                                       limit=site.settings.web_page_size, candidates=site.settings.web_home_candidates)
        cards = read_models.story_cards(conn, rows, language=edition.language)
    items = [FeedItem(id=_own_link(request, "story", story_id=c.story["id"]),
                      title=c.story.get("title") or (c.lead or {}).get("title") or "",
                      url=_own_link(request, "story", story_id=c.story["id"]),
                      summary=_story_summary(c.story, c.lead, c.others),
                      published=_aware(c.story.get("first_seen_at")), updated=_aware(c.story.get("last_seen_at")),
                      language=(c.lead or {}).get("language"), tags=list(c.story.get("topics") or []))
             for c in cards]
    parts = [p for p in (edition.region, edition.language, edition.topic) if p]
    title = "newsdesk: top stories" + (f" ({', '.join(parts)})" if parts else "")
    home = _own_link(request, "home") + edition.query()
    return _respond(request, FeedDoc(title, _self_link(request), home, items, language=edition.language))


def _article_item(request: Request, article: dict[str, Any]) -> FeedItem:
    page = _own_link(request, "article", article_id=article["id"])
    return FeedItem(id=page, title=article.get("title") or "", url=page,
                    external_url=safe_url(article.get("url")) or None,
                    summary=excerpt(article.get("excerpt")), published=_aware(article.get("published_at")),
                    updated=_aware(article.get("published_at") or article.get("fetched_at")),
                    author=article.get("byline") or article.get("outlet"), language=article.get("language"),
                    tags=list(article.get("topics") or []))


def story_feed(request: Request) -> Response:
    """``/stories/{id}/feed.atom`` and ``.json``: the story's coverage, newest first."""
    site = site_of(request)
    story_id = request.path_params["story_id"]
    with site.engine.connect() as conn:
        story = read_models.story(conn, story_id)
        articles = read_models.newest_story_briefs(conn, story_id, site.settings.web_page_size * 3) if story else []
    if story is None:
        return not_found(request, f"story {story_id}")
    doc = FeedDoc(f"newsdesk: {story.get('title') or 'story'}", _self_link(request),
                  _own_link(request, "story", story_id=story_id), [_article_item(request, a) for a in articles])
    return _respond(request, doc)


def search_feed(request: Request) -> Response:
    """``/search/feed.atom`` and ``.json``: the first page of a search (query and filters as on /search)."""
    site = site_of(request)
    hits, _ = run_search(site, request.query_params)
    items = []
    for hit in hits:
        page = _own_link(request, "article", article_id=hit.article_id)
        items.append(FeedItem(id=page, title=to_plain(hit.title_marked), url=page,
                              external_url=safe_url(hit.url) or None,
                              summary=to_plain(hit.snippet_marked), published=_aware(hit.published_at),
                              updated=_aware(hit.published_at), author=hit.outlet, language=hit.language))
    query = request.query_params.get("q", "")
    home = _own_link(request, "search") + (f"?{request.url.query}" if request.url.query else "")
    return _respond(request, FeedDoc(f"newsdesk: search for {query}", _self_link(request), home, items))
