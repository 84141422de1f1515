"""HTML fragments from feeds (titles, summaries) turned into plain, whitespace-normalised text."""

from __future__ import annotations

import html
import re

import nh3

_BLOCK_TAG = re.compile(r"<(/?)(p|br|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|section|article|figure|hr)\b", re.I)


def html_to_text(fragment: str | None) -> str:
    """Text of an HTML fragment: tags dropped (script/style with their content), entities decoded, spaces squeezed."""
    if not fragment:
        return ""
    if "<" in fragment:
        spaced = _BLOCK_TAG.sub(r" <\1\2", fragment)
        fragment = nh3.clean(spaced, tags=set(), attributes={}, strip_comments=True)
    return " ".join(html.unescape(fragment).split())
