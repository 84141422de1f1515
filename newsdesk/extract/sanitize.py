"""Make an extracted body safe to display, and turn it into plain text.

:func:`sanitize_html` runs nh3 (the Rust ``ammonia`` sanitizer) with a small allow-list of content tags: no script,
style, iframe, form or event-handler attribute survives, only http(s)/mailto links do, and relative links and image
sources become absolute against the page URL. :func:`html_to_text` renders the same fragment as text with one
paragraph per block element, separated by blank lines.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.etree
import nh3
from lxml import html as lxml_html

ALLOWED_TAGS = frozenset({
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "q", "pre",
    "code", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark", "del", "ins", "abbr", "cite",
    "time", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "hr", "span", "div",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "time": {"datetime"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}, "abbr": {"title"},
}
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "svg",
                                  "math", "form", "button", "select", "textarea"})
URL_ATTRIBUTES = frozenset({"href", "src"})
BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "caption", "hr", "section", "article",
    "header", "footer", "main", "aside", "body", "html", "head", "list", "item", "td", "th",
})
_SPACES = re.compile(r"[^\S\n]+")
_MAX_TEXT_DEPTH = 400  # deeper nesting is flattened rather than recursed into


def sanitize_html(fragment: str, base_url: str | None = None) -> str:
    """The fragment reduced to safe content markup, with absolute http(s) links; never raises on bad input."""
    if not fragment or not fragment.strip():
        return ""

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            try:
                return urljoin(base_url or "", value.strip())
            except ValueError:
                return None
        return value

    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one paragraph per block element, paragraphs separated by a blank line."""
    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError, AssertionError):  # lxml asserts on stray <html>/<body> tags
        return ""
    paragraphs: list[str] = []
    current: list[str] = []
    _walk(root, paragraphs, current, 0)
    _flush(paragraphs, current)
    return "\n\n".join(paragraphs)


def _walk(element: lxml_html.HtmlElement, paragraphs: list[str], current: list[str], depth: int) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in DROPPED_WITH_CONTENT:
        _tail(element, current)
        return
    block = tag in BLOCK_TAGS
    if block:
        _flush(paragraphs, current)
    if tag == "br":
        current.append("\n")
    if depth >= _MAX_TEXT_DEPTH:
        current.append(element.text_content())
    else:
        current.append(element.text or "")
        for child in element:
            _walk(child, paragraphs, current, depth + 1)
    if block:
        _flush(paragraphs, current)
    _tail(element, current)


def _tail(element: lxml_html.HtmlElement, current: list[str]) -> None:
    if element.tail:
        current.append(element.tail)


def _flush(paragraphs: list[str], current: list[str]) -> None:
    text = "".join(current)
    current.clear()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    if text:
        paragraphs.append(text)
