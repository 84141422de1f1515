"""Article extraction: clean body text, safe body HTML and metadata from a news article page.

``extract_article(html, url)`` is the stage's contract; ``decode_page(raw, content_type)`` turns fetched bytes into
the ``html`` it takes. The body comes from several extractors voting (:mod:`newsdesk.extract.body`), the metadata
from JSON-LD and meta tags (:mod:`newsdesk.extract.metadata`), and the HTML is sanitised with nh3
(:mod:`newsdesk.extract.sanitize`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import lxml.etree
from lxml import html as lxml_html

from newsdesk.config import Settings
from newsdesk.extract.body import choose, run_extractors
from newsdesk.extract.decode import decode_page
from newsdesk.extract.metadata import PageMetadata, read_metadata
from newsdesk.extract.sanitize import html_to_text, sanitize_html
from newsdesk.extract.settings import SETTINGS
from newsdesk.text.language import detect_language

__all__ = ["ExtractedArticle", "decode_page", "extract_article"]

_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


@dataclass
class ExtractedArticle:
    """What one article page holds: body as text and safe HTML, and the page's metadata."""

    text: str = ""
    html: str = ""
    title: str | None = None
    byline: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    image: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    site_name: str | None = None
    tags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict: datetimes as ISO 8601 strings, everything else as is."""
        out = asdict(self)
        for key in ("published", "updated"):
            value = out[key]
            out[key] = value.isoformat() if value is not None else None
        return out


def extract_article(html: str, url: str | None = None, *, settings: Settings | None = None) -> ExtractedArticle:
    """Body text, sanitised body HTML and metadata of an article page; empty fields, never an error, on junk."""
    extractors = tuple(_setting(settings, "extract_extractors"))
    html = (html or "")[: _setting(settings, "extract_max_html_chars")]
    tree = _parse(html)
    if tree is None:
        return ExtractedArticle()
    meta = read_metadata(tree, url)
    chosen = choose(run_extractors(html, url, meta.language, extractors,
                                   _setting(settings, "extract_justext_max_blocks")))
    body_html = chosen.html if chosen else ""
    if not body_html and meta.article_body:
        body_html = sanitize_html(_paragraphs_html(meta.article_body), url)
    text = html_to_text(body_html)
    return _article(meta, text, body_html)


def _article(meta: PageMetadata, text: str, body_html: str) -> ExtractedArticle:
    return ExtractedArticle(
        text=text, html=body_html, title=meta.title, byline=meta.byline, published=meta.published,
        updated=meta.updated, language=meta.language or detect_language(text) if text else meta.language,
        image=meta.image, canonical_url=meta.canonical_url, description=meta.description,
        site_name=meta.site_name, tags=meta.tags,
    )


def _parse(html: str) -> lxml_html.HtmlElement | None:
    if not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def _paragraphs_html(text: str) -> str:
    from html import escape

    return "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n") if part.strip())


def _setting(settings: Settings | None, name: str) -> Any:
    return getattr(settings, name) if settings is not None else _DEFAULTS[name]
