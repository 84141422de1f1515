"""Find the article body: run several extractors and keep the candidate the others agree with most.

Each extractor returns an HTML fragment. Candidates are compared by the F1 of their token 4-gram multisets (the
measure of the extraction benchmark), and the medoid wins: the candidate whose summed similarity to all other
candidates is highest. Extractors err in different ways (one keeps related links, one drops a list, one cuts the
article short), so the text most of them share is the body. Measured on the 181-page dev set in the report of
``bench/extract.py`` and the quality gate in ``tests/extract``.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import justext
import trafilatura
from babel import Locale, UnknownLocaleError
from readability import Document

from newsdesk.extract.sanitize import html_to_text, sanitize_html

_TOKEN = re.compile(r"\w+")
_BLOCK_START = re.compile(r"<(?:p|div|li|br|tr|td|h[1-6])\b", re.I)
SHINGLE_SIZE = 4


@dataclass(frozen=True)
class Candidate:
    """One extractor's idea of the body: its name, sanitised HTML fragment and plain text."""

    name: str
    html: str
    text: str


Extractor = Callable[[str, str | None, str | None], str]


def trafilatura_fast(html: str, url: str | None, language: str | None) -> str:
    """trafilatura's own algorithm only (no internal fallbacks), comments left out."""
    return _trafilatura(html, url, favor_precision=False)


def trafilatura_precise(html: str, url: str | None, language: str | None) -> str:
    """trafilatura favouring precision: drops more of the borderline blocks."""
    return _trafilatura(html, url, favor_precision=True)


def _trafilatura(html: str, url: str | None, favor_precision: bool) -> str:
    # Links and formatting are left out: with them trafilatura keeps less of the body (dev F1 0.958 vs 0.962).
    result = trafilatura.extract(html, url=url, fast=True, favor_precision=favor_precision, include_comments=False,
                                 output_format="html")
    return result or ""


def readability(html: str, url: str | None, language: str | None) -> str:
    """readability-lxml's summary (Arc90 scoring of paragraph containers)."""
    return Document(html, url=url or None).summary(html_partial=True)


def justext_paragraphs(html: str, url: str | None, language: str | None) -> str:
    """jusText's non-boilerplate paragraphs, classified with the stop-word list of the page's language."""
    paragraphs = justext.justext(html.encode("utf-8", "replace"), _stoplist(language))
    parts = []
    for paragraph in paragraphs:
        if not paragraph.is_boilerplate:
            tag = "h2" if paragraph.is_heading else "p"
            parts.append(f"<{tag}>{html_lib.escape(paragraph.text)}</{tag}>")
    return "".join(parts)


EXTRACTORS: dict[str, Extractor] = {
    "trafilatura_fast": trafilatura_fast,
    "trafilatura_precise": trafilatura_precise,
    "readability": readability,
    "justext": justext_paragraphs,
}


@lru_cache(maxsize=64)
def _stoplist(language: str | None) -> frozenset[str]:
    # Stop-word lists are read from files; the cache keeps one per language for the life of the process.
    names = {name.lower(): name for name in justext.get_stoplists()}
    try:
        english_name = Locale.parse(language or "en").get_display_name("en") or "English"
    except (UnknownLocaleError, ValueError, TypeError):
        english_name = "English"
    name = names.get(english_name.split(" (")[0].lower(), "English")
    return frozenset(justext.get_stoplist(name))


def run_extractors(html: str, url: str | None, language: str | None, names: Sequence[str],
                   justext_max_blocks: int) -> list[Candidate]:
    """Every named extractor's candidate; one that fails gives an empty candidate instead of an error."""
    candidates = []
    for name in names:
        if name == "justext" and len(_BLOCK_START.findall(html)) > justext_max_blocks:
            continue  # jusText's time grows faster than linearly with the number of blocks
        try:
            fragment = EXTRACTORS[name](html, url, language) or ""
        except Exception:  # third-party extractors raise anything on hostile HTML; others remain
            fragment = ""
        safe = sanitize_html(fragment, url)  # vote on exactly the text the reader will get
        candidates.append(Candidate(name, safe, html_to_text(safe)))
    return candidates


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """Multiset of token 4-grams (a text of 1-3 tokens is one shingle), as the benchmark counts them."""
    tokens = _TOKEN.findall(text)
    if len(tokens) < SHINGLE_SIZE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1))


def similarity(left: Counter[tuple[str, ...]], right: Counter[tuple[str, ...]]) -> float:
    """F1 of the shingle overlap of two texts; 0 when either is empty."""
    if not left or not right:
        return 0.0
    shared = sum((left & right).values())
    if not shared:
        return 0.0
    precision, recall = shared / left.total(), shared / right.total()
    return 2 * precision * recall / (precision + recall)


def choose(candidates: Sequence[Candidate]) -> Candidate | None:
    """The medoid: the non-empty candidate most similar to all others (ties: earlier in the list)."""
    usable = [c for c in candidates if c.text.strip()]
    if not usable:
        return None
    grams = [shingles(c.text) for c in usable]

    def agreement(index: int) -> float:
        return sum(similarity(grams[index], grams[j]) for j in range(len(usable)) if j != index)

    best = max(range(len(usable)), key=lambda i: (agreement(i), -i))
    return usable[best]
