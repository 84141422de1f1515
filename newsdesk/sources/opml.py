"""OPML import and export of sources; folders become topics and topics become folders.

Reading goes through defusedxml: entity declarations (billion laughs) and external entities are refused with
an :class:`OpmlError`, never expanded. Nested folders give a topic path (``News/World`` gives topics
``["News", "World"]``); OPML 2.0 ``category`` attributes add further topics (a comma inside a topic is
written ``%2C``). A feed listed in several folders is returned once with the topics of all of them. Writing
puts each source in the folder of its first topic and the rest in ``category``, so :func:`parse_opml` of
:func:`write_opml` gives the same outlines back.

:func:`parse_opml` returns the URLs as the file spells them; :func:`checked_outlines` holds them to the URL rule
(:func:`newsdesk.text.urls.checked_url`) before anything is stored: an outline whose ``xmlUrl`` or ``htmlUrl``
is not an http(s) URL (``javascript:``, ``data:``, ``file:``, a relative path) is refused with the reason, and the
others are kept in canonical spelling.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree as SafeET

from newsdesk.text.urls import UrlError, checked_url

# Characters XML 1.0 cannot carry at all; dropped when writing so the output always parses.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class OpmlError(ValueError):
    """The file is not OPML that can be read safely; the message says where and why."""


@dataclass
class OpmlOutline:
    """One feed of an OPML file."""

    feed_url: str
    title: str
    site_url: str | None = None
    topics: list[str] = field(default_factory=list)
    language: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class RefusedOutline:
    """An outline :func:`checked_outlines` refused: its feed URL as written, its title, and why."""

    feed_url: str
    title: str
    reason: str


def checked_outlines(outlines: Iterable[OpmlOutline]) -> tuple[list[OpmlOutline], list[RefusedOutline]]:
    """The outlines whose URLs pass the URL rule (canonical, merged again by feed URL), and those refused."""
    by_url: dict[str, OpmlOutline] = {}
    refused: list[RefusedOutline] = []
    for outline in outlines:
        try:
            feed_url = checked_url(outline.feed_url)
        except UrlError as exc:
            refused.append(RefusedOutline(outline.feed_url, outline.title, f"xmlUrl {exc}"))
            continue
        try:
            site_url = checked_url(outline.site_url) if outline.site_url else None
        except UrlError as exc:
            refused.append(RefusedOutline(outline.feed_url, outline.title, f"htmlUrl {exc}"))
            continue
        _merge(by_url, OpmlOutline(feed_url, outline.title, site_url, list(outline.topics), outline.language,
                                   outline.region))
    return list(by_url.values()), refused


def parse_opml(content: bytes) -> list[OpmlOutline]:
    """Every feed outline of an OPML document, in document order, merged by feed URL."""
    root = _parse_xml(content)
    if _local(root.tag) != "opml":
        raise OpmlError(f"not OPML: the root element is <{_local(root.tag)}>, expected <opml>")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OpmlError("not OPML: there is no <body> element")
    by_url: dict[str, OpmlOutline] = {}
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [(child, ()) for child in reversed(list(body))]
    while stack:
        node, folders = stack.pop()
        if _local(node.tag) != "outline":
            continue
        attributes = {name.lower(): value for name, value in node.attrib.items()}
        feed_url = (attributes.get("xmlurl") or "").strip()
        if feed_url:
            _merge(by_url, _outline(feed_url, attributes, folders))
            continue
        name = _label(attributes)
        path = (*folders, name) if name else folders
        stack.extend((child, path) for child in reversed(list(node)))
    return list(by_url.values())


def write_opml(outlines: Iterable[OpmlOutline], title: str = "newsdesk sources") -> str:
    """An OPML 2.0 document with one folder per first topic."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for outline in outlines:
        parent = body
        if outline.topics:
            folder_name = outline.topics[0]
            if folder_name not in folders:
                label = _XML_ILLEGAL.sub("", folder_name)
                folders[folder_name] = ET.SubElement(body, "outline", text=label, title=label)
            parent = folders[folder_name]
        ET.SubElement(parent, "outline", _attributes(outline))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _parse_xml(content: bytes) -> ET.Element:
    try:
        return SafeET.fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise OpmlError(f"refused: the OPML declares entities ({exc.name!r}); they are never expanded") from None
    except defusedxml.DefusedXmlException as exc:
        raise OpmlError(f"refused: unsafe XML construct in the OPML ({exc})") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise OpmlError(f"not well-formed XML at line {line}, column {column}: {exc}") from None
    except (RecursionError, ValueError) as exc:
        raise OpmlError(f"cannot read the OPML: {exc}") from None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _label(attributes: dict[str, str]) -> str:
    return " ".join((attributes.get("text") or attributes.get("title") or "").split())


def _outline(feed_url: str, attributes: dict[str, str], folders: tuple[str, ...]) -> OpmlOutline:
    raw_categories = (attributes.get("category") or "").split(",")
    categories = [_unescape_category(c.strip().removeprefix("/")) for c in raw_categories]
    topics = list(dict.fromkeys(topic for topic in (*folders, *categories) if topic))
    return OpmlOutline(
        feed_url=feed_url,
        title=_label({"text": attributes.get("title") or attributes.get("text") or ""}) or feed_url,
        site_url=(attributes.get("htmlurl") or "").strip() or None,
        topics=topics,
        language=(attributes.get("language") or attributes.get("lang") or "").strip() or None,
        region=(attributes.get("region") or attributes.get("country") or "").strip() or None,
    )


def _merge(by_url: dict[str, OpmlOutline], outline: OpmlOutline) -> None:
    known = by_url.get(outline.feed_url)
    if known is None:
        by_url[outline.feed_url] = outline
        return
    known.topics.extend(topic for topic in outline.topics if topic not in known.topics)
    known.site_url = known.site_url or outline.site_url
    known.language = known.language or outline.language
    known.region = known.region or outline.region


def _attributes(outline: OpmlOutline) -> dict[str, str]:
    attributes = {"type": "rss", "text": outline.title, "title": outline.title, "xmlUrl": outline.feed_url}
    optional = {
        "htmlUrl": outline.site_url,
        "category": ",".join("/" + _escape_category(topic) for topic in outline.topics[1:]),
        "language": outline.language,
        "region": outline.region,
    }
    attributes.update({name: value for name, value in optional.items() if value})
    return {name: _XML_ILLEGAL.sub("", value) for name, value in attributes.items()}


def _escape_category(topic: str) -> str:
    """OPML's category is a comma-separated list with no escape; commas in a topic are written as %2C."""
    return topic.replace("%", "%25").replace(",", "%2C")


def _unescape_category(text: str) -> str:
    return re.sub("%(2C|25)", lambda m: "," if m.group(1) == "2C" else "%", text, flags=re.I)
