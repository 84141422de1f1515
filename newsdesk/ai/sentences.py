"""Language-aware sentence splitting of article text.

Paragraphs (lines) are split with ``sentencex`` (Wikimedia's rule-based segmenter for ~300 languages: it knows
abbreviations per language and the Arabic ``؟``, Urdu ``۔``, Devanagari ``।`` and CJK ``。！？`` terminators). Each
sentence keeps its exact characters, so an extractive summary quotes the article verbatim.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sentencex import segment

# Lines that are page furniture rather than prose: bylines, photo credits, links, "Read more" prompts.
_FURNITURE = re.compile(r"https?://|www\.|@\w|^\W*(photo|image|credit|read more|related)\b\s*[:|]"
                        r"|^by\s+\w+(\s+\w+)?\s*$", re.IGNORECASE)
_NON_LETTERS = re.compile(r"[\W\d_]+")


class Sentence(NamedTuple):
    """One sentence of an article: its text (verbatim, stripped), its position (0 = first), and whether it reads as
    prose (see ``looks_like_prose``; computed once when the article is split)."""

    text: str
    position: int
    prose: bool


def split_sentences(text: str, language: str | None) -> list[Sentence]:
    """Every sentence of ``text`` in reading order; ``language`` is an ISO 639-1 code (unknown: English rules)."""
    lang = (language or "en").split("-")[0].lower() or "en"
    out: list[Sentence] = []
    for paragraph in text.splitlines():
        if not paragraph.strip():
            continue
        for piece in _segment(lang, paragraph):
            cleaned = piece.strip()
            if cleaned:
                out.append(Sentence(cleaned, len(out), looks_like_prose(cleaned)))
    return out


def _segment(lang: str, paragraph: str) -> list[str]:
    try:
        return list(segment(lang, paragraph))
    except (KeyError, ValueError, LookupError):  # a language code sentencex does not know
        return list(segment("en", paragraph))


def looks_like_prose(sentence: str) -> bool:
    """True for a sentence of prose: mostly letters, not page furniture (bylines, links, captions), not shouting."""
    if _FURNITURE.search(sentence):
        return False
    letters = len(_NON_LETTERS.sub("", sentence))
    if letters < 0.6 * len(sentence.replace(" ", "")):
        return False
    return not (sentence.isupper() and len(sentence) > 20)

