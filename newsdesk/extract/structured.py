"""Read the machine-readable parts of a page: ``<meta>`` tags, ``<link>`` relations and JSON-LD objects.

:class:`PageFacts` is built once per page from its lxml tree and answers look-ups by name, in priority order,
so :mod:`newsdesk.extract.metadata` can state its rules as plain lists of names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "socialmediaposting", "liveblogposting",
    "scholarlyarticle", "techarticle", "report", "creativework", "webpage",
})
_MAX_JSONLD_CHARS = 2_000_000  # a larger script is not metadata; parsing it would only cost time


@dataclass
class PageFacts:
    """Meta tags (name/property/itemprop -> values), link relations and JSON-LD objects of one page."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    html_lang: str | None = None
    title_tag: str | None = None

    def first_meta(self, *names: str) -> str | None:
        """The first non-empty value among the meta tags called ``names`` (case-insensitive), in that order."""
        for name in names:
            for value in self.meta.get(name.lower(), ()):
                if value.strip():
                    return value.strip()
        return None

    def all_meta(self, *names: str) -> list[str]:
        """Every non-empty value of the meta tags called ``names``."""
        return [v.strip() for name in names for v in self.meta.get(name.lower(), ()) if v.strip()]

    def first_link(self, rel: str) -> str | None:
        """The href of the first ``<link rel=...>`` with that relation."""
        values = self.links.get(rel.lower())
        return values[0] if values else None

    def article_objects(self) -> list[dict[str, Any]]:
        """JSON-LD objects whose @type is an article type, most specific (news/blog) first, WebPage last."""
        found = [obj for obj in self.jsonld if _types(obj) & ARTICLE_TYPES]
        return sorted(found, key=lambda obj: ("webpage" in _types(obj), "creativework" in _types(obj)))


def read_facts(tree: lxml_html.HtmlElement) -> PageFacts:
    """Collect the meta tags, link relations, JSON-LD, ``<html lang>`` and ``<title>`` of a parsed page."""
    facts = PageFacts()
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv")
        value = element.get("content")
        if key and value is not None:
            facts.meta.setdefault(key.strip().lower(), []).append(value)
    for element in tree.iter("link"):
        href = element.get("href")
        for rel in (element.get("rel") or "").lower().split():
            if href:
                facts.links.setdefault(rel, []).append(href.strip())
    for element in tree.iter("script"):
        if (element.get("type") or "").strip().lower() == "application/ld+json":
            facts.jsonld.extend(_jsonld_objects(element.text or ""))
    root = tree.getroottree().getroot()
    facts.html_lang = root.get("lang") or root.get("xml:lang") if root is not None else None
    title = next(tree.iter("title"), None)
    facts.title_tag = title.text_content().strip() if title is not None else None
    return facts


def _jsonld_objects(source: str) -> Iterator[dict[str, Any]]:
    """Every dict inside one JSON-LD script, flattening lists and @graph; broken JSON gives nothing."""
    if len(source) > _MAX_JSONLD_CHARS:
        return
    try:
        data = json.loads(source.strip().rstrip(";"), strict=False)
    except (ValueError, RecursionError):
        return
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(reversed(graph))


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.lower() for v in values if isinstance(v, str)}


def jsonld_text(value: Any) -> str | None:
    """A JSON-LD value as text: a string, or the ``name`` of an object, or the first of a list."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return jsonld_text(value.get("name"))
    if isinstance(value, list):
        for item in value:
            text = jsonld_text(item)
            if text:
                return text
    return None


def jsonld_url(value: Any) -> str | None:
    """A JSON-LD image/url value as one URL: a string, an object's ``url``/``@id``, or the first of a list."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return jsonld_url(value.get("url") or value.get("contentUrl") or value.get("@id"))
    if isinstance(value, list):
        for item in value:
            url = jsonld_url(item)
            if url:
                return url
    return None


def jsonld_names(value: Any) -> list[str]:
    """All names in a JSON-LD author-like value (string, object, or list of either)."""
    if isinstance(value, list):
        return [name for item in value for name in jsonld_names(item)]
    text = jsonld_text(value)
    return [text] if text else []
