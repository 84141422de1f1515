"""Article metadata from a parsed page: title, byline, dates, language, image, canonical URL, description, tags.

Each field is read from the most explicit source first (JSON-LD article objects and OpenGraph/article meta tags),
then from looser ones (plain meta tags, ``<title>``, ``<time>``), and URLs are made absolute against the page URL.
Dates come back timezone-aware in UTC; a date without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from dateutil import parser as date_parser
from dateutil import tz
from lxml import html as lxml_html

from newsdesk.extract.structured import PageFacts, jsonld_names, jsonld_text, jsonld_url, read_facts
from newsdesk.text.urls import checked_url_or_none

PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "publish_date", "date", "dc.date.issued", "dc.date", "dcterms.created",
                  "sailthru.date", "parsely-pub-date", "article.published", "og:published_time")
UPDATED_META = ("article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
                "dcterms.modified", "last-modified", "article.updated")
_LANG_CODE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_BY_PREFIX = re.compile(r"^\s*(?:by|par|von|por|di|door)\s*[:\s]\s*", re.I)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ")
_AUTHOR_ELEMENTS = '//*[@rel="author" or @itemprop="author" or contains(concat(" ", @class, " "), " byline ")]'
_MAX_BYLINE = 120  # longer "names" are whole paragraphs caught by a loose author selector
_MIN_YEAR = 1990  # news pages older than the web are mis-parsed numbers, not dates


@dataclass
class PageMetadata:
    """The metadata fields of :class:`newsdesk.extract.ExtractedArticle`, before the body is known."""

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
    article_body: str | None = None


def read_metadata(tree: lxml_html.HtmlElement, url: str | None) -> PageMetadata:
    """Every metadata field the page states about itself; fields it does not state are None."""
    facts = read_facts(tree)
    article = facts.article_objects()
    first = article[0] if article else {}
    site_name = facts.first_meta("og:site_name", "application-name") or jsonld_text(first.get("publisher"))
    body = jsonld_text(first.get("articleBody"))
    return PageMetadata(
        title=_title(facts, first, tree, site_name),
        byline=_byline(facts, article, tree),
        published=_first_date([first.get("datePublished"), first.get("dateCreated"),
                               *facts.all_meta(*PUBLISHED_META), *_time_elements(tree)]),
        updated=_first_date([first.get("dateModified"), *facts.all_meta(*UPDATED_META)]),
        language=language_code(facts.html_lang)
        or language_code(facts.first_meta("content-language", "og:locale", "language", "dc.language")),
        image=_absolute(url, facts.first_meta("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                                              "twitter:image:src") or jsonld_url(first.get("image"))
                        or facts.first_link("image_src")),
        canonical_url=_absolute(url, facts.first_link("canonical") or facts.first_meta("og:url")
                                or jsonld_url(first.get("url"))),
        description=facts.first_meta("og:description", "description", "twitter:description")
        or jsonld_text(first.get("description")) or None,
        site_name=site_name,
        tags=_tags(facts, first),
        article_body=body,
    )


def language_code(value: str | None) -> str | None:
    """ISO 639-1 code of a language tag such as ``en-GB``, ``pt_BR`` or ``EN``; None if it is not one."""
    match = _LANG_CODE.match(value or "")
    if not match:
        return None
    code = match.group(1).lower()
    return code if len(code) == 2 else None


def parse_datetime(value: object) -> datetime | None:
    """A date or datetime in ISO 8601, RFC 2822 or a common written form, as aware UTC; None if unreadable."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    text = value.strip()
    parsed: datetime | None = None
    for parse in (_iso, parsedate_to_datetime, _loose):
        try:
            parsed = parse(text)
        except (ValueError, TypeError, OverflowError, IndexError):
            parsed = None
        if parsed is not None:
            break
    if parsed is None or parsed.year < _MIN_YEAR:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))


def _loose(text: str) -> datetime | None:
    if not any(ch.isdigit() for ch in text):
        return None
    return date_parser.parse(text, fuzzy=False, tzinfos=_known_offset)


def _known_offset(name: str | None, offset: int | None) -> tz.tzoffset | None:
    """Keep numeric offsets; an unknown zone name (``IST`` is three different zones) is left out, read as UTC."""
    return tz.tzoffset(name, offset) if offset is not None else None


def _first_date(values: list[object]) -> datetime | None:
    for value in values:
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed
    return None


def _time_elements(tree: lxml_html.HtmlElement) -> list[str]:
    """``datetime`` attributes of ``<time>`` elements, those marked as publication time first."""
    marked: list[Any] = []
    plain: list[Any] = []
    for element in tree.iter("time"):
        value = element.get("datetime")
        if not value:
            continue
        hint = " ".join(filter(None, [element.get("itemprop"), element.get("class"), element.get("pubdate")]))
        (marked if re.search(r"publish|pubdate|posted|created", hint, re.I) else plain).append(value)
    return marked + plain[:1]


def _title(facts: PageFacts, article: dict, tree: lxml_html.HtmlElement, site_name: str | None) -> str | None:
    title = (facts.first_meta("og:title", "twitter:title") or jsonld_text(article.get("headline"))
             or _strip_site(facts.title_tag, site_name))
    if not title:
        heading = next(tree.iter("h1"), None)
        title = heading.text_content().strip() if heading is not None else None
    return " ".join(title.split()) if title else None


def _strip_site(title: str | None, site_name: str | None) -> str | None:
    """``Headline | Site`` becomes ``Headline`` when the part cut off is the site's name."""
    if not title or not site_name:
        return title
    for separator in _TITLE_SEPARATORS:
        head, _, tail = title.rpartition(separator)
        if head and site_name.lower() in tail.lower():
            return head.strip()
    return title


def _byline(facts: PageFacts, articles: list[dict], tree: lxml_html.HtmlElement) -> str | None:
    names: list[str] = []
    for article in articles:
        names = jsonld_names(article.get("author") or article.get("creator"))
        if names:
            break
    if not names:
        names = [n for n in facts.all_meta("author", "article:author", "dc.creator", "byl", "sailthru.author",
                                           "parsely-author") if not n.startswith(("http://", "https://"))][:1]
    if not names:
        names = [_text(el) for el in tree.xpath(_AUTHOR_ELEMENTS)][:1]
        names = [re.split(r"\s[|•·]\s", name)[0] for name in names]  # "Jane Doe | May 1, 2019 Print this"
    cleaned = []
    for name in names:
        name = _BY_PREFIX.sub("", " ".join(name.split()))
        if name and name not in cleaned and len(name) <= _MAX_BYLINE:
            cleaned.append(name)
    return ", ".join(cleaned) or None


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _tags(facts: PageFacts, article: dict) -> list[str]:
    raw: list[str] = facts.all_meta("article:tag", "news_keywords", "keywords")
    keywords = article.get("keywords")
    if isinstance(keywords, list):
        raw.extend(k for k in keywords if isinstance(k, str))
    elif isinstance(keywords, str):
        raw.append(keywords)
    tags: list[str] = []
    seen: set[str] = set()
    for chunk in raw:
        for tag in chunk.split(","):
            tag = " ".join(tag.split())
            if tag and tag.lower() not in seen and len(tag) <= 100:
                seen.add(tag.lower())
                tags.append(tag)
    return tags


def _absolute(base: str | None, link: str | None) -> str | None:
    """``link`` resolved against ``base`` if it passes the URL rule (http(s), canonical spelling), else None."""
    return checked_url_or_none(link, base or None)
