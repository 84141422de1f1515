"""Highlight sentinels: backends mark matches with two control characters; pages turn them into escaped HTML.

Article text is untrusted, so the database never writes HTML tags into snippets: it writes START/END, and
``to_html`` escapes everything else before swapping them for ``<mark>``.
"""

from __future__ import annotations

from markupsafe import Markup, escape

START = "\x02"
END = "\x03"


def to_html(marked: str) -> Markup:
    """Escaped HTML with ``<mark>`` around the highlighted parts."""
    escaped = str(escape(marked))
    return Markup(escaped.replace(START, "<mark>").replace(END, "</mark>"))


def to_plain(marked: str) -> str:
    """The text without sentinels (for the JSON API's plain field)."""
    return marked.replace(START, "").replace(END, "")
