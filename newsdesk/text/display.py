"""The display-text rule: no control characters and no bidi overrides in text newsdesk stores or shows.

Titles, names, summaries, bodies and comments come from strangers. Control characters in them break feeds and
terminals; the search backends' highlight sentinels (``\\x02``/``\\x03``) in a stored title would turn into
``<mark>``; and the Unicode bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) let a title or
comment display reversed or run into the text beside it ("Trojan Source" spoofing). :func:`clean_text` removes
all of them: C0 controls except tab and newline (a carriage return becomes a newline), DEL, C1 controls, those
bidi formatting characters, and lone surrogates (which no encoder can write). The bidi *marks* (LRM, RLM, ALM)
stay: Arabic and Hebrew text needs them and they cannot reorder what follows.

The store applies the rule to the text it writes; the web templates apply it again to everything they render
(a Jinja ``finalize``), so text stored before the rule existed is shown clean too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# C0/C1 controls (tab and newline stay), bidi embeddings and isolates, lone surrogates, and invisible characters that
# only disguise text: zero-width space, word joiner, byte-order mark, Unicode tag characters. ZWNJ and ZWJ (U+200C,
# U+200D) stay: Persian, Indic scripts and emoji sequences need them.
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff"
                      "\U000e0000-\U000e007f]")
_CARRIAGE_RETURN = re.compile("\r\n?")


def clean_text(text: str) -> str:
    """``text`` without control characters, bidi overrides and lone surrogates (tab and newline stay)."""
    if UNWANTED.search(text) is None:
        return text
    return UNWANTED.sub("", _CARRIAGE_RETURN.sub("\n", text))


def clean_optional(text: str | None) -> str | None:
    """:func:`clean_text` for an optional field (None stays None)."""
    return None if text is None else clean_text(text)


def clean_all(texts: Iterable[str]) -> list[str]:
    """Each text cleaned; those left empty are dropped (topic and tag lists)."""
    return [cleaned for cleaned in (clean_text(text) for text in texts) if cleaned]
