"""Lexical features of an article for story matching: stemmed terms, named-entity-like tokens and numbers, plus
what the article asserts at its top (direction) and the calendar dates it writes out.

Language-neutral on purpose: words are Unicode ``\\w`` runs, folded to lower case and cut to a short prefix (a crude
stemmer that works in every alphabetic language), Chinese/Japanese/Korean runs become character bigrams, a token
written with a capital inside a sentence counts as a name, and numbers count as numbers. Names and numbers carry
over translations (``Apple``, ``2008``, ``Boeing 787``), which is what separates two earthquakes in two places.

Two events of one kind share names and words; what tells "markets fell" from "markets surged" a day later is the
direction the headline and lead state (``newsdesk.understand.polarity``, read in the article's language and kept only
where every cue language reads it the same way) and the dates written in the text ("Posted May 3, 2013"), which undated
streams (ECB+, imports without dates) and squeezed ones (the demo) still carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.understand.polarity import Direction, amounts_in, mentioned_dates, read_cues

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
STEM_CHARS = 6
MIN_TERM_CHARS = 3
MAX_TERM_CHARS = 40
LEXICAL_CHARS = 1500  # title + lead: the event is told at the top; the tail drifts to background
DIRECTION_CHARS = 300  # title + first sentence or two: where the article states which way things went


@dataclass(frozen=True)
class TextFeatures:
    """Terms (stemmed words, with counts), names (capitalised tokens inside sentences) and numbers of one text, and
    which of those names/numbers the title uses (what the article is about: its headline names)."""

    terms: dict[str, int]
    names: frozenset[str]
    numbers: frozenset[str]
    title_names: frozenset[str] = frozenset()
    directions: frozenset[Direction] = frozenset()  # (axis, sign) the title and lead state, one sign per axis
    dates: tuple[int, ...] = ()  # calendar dates written out in title + lead, as day numbers
    amounts: frozenset[str] = frozenset()  # money and percentages written in title + lead (``polarity.amounts_in``)

    def mentions(self, token: str) -> bool:
        """Whether the text uses this name/number anywhere, capitalised or not (a name at a sentence start or in a
        title-case headline is still a mention)."""
        return token in self.names or token in self.numbers or stem(token) in self.terms


def stem(token: str) -> str:
    return token.lower()[:STEM_CHARS]


def _cjk_bigrams(token: str) -> list[str]:
    return [token[i:i + 2] for i in range(max(1, len(token) - 1))]


def text_features(title: str, text: str, lexical_chars: int = LEXICAL_CHARS,
                  language: str | None = None) -> TextFeatures:
    """Features of title + lead. Title-case headlines give no name signal for their words (every word is capital)."""
    terms: dict[str, int] = {}
    names: set[str] = set()
    numbers: set[str] = set()
    title_words: set[str] = set()
    for part, is_title in ((title or "", True), ((text or "")[:lexical_chars], False)):
        title_case = is_title and _is_title_case(part)
        for match in _WORD.finditer(part):
            token = match.group()
            if is_title:
                title_words.add(token.lower())
            if token.isdigit():
                if len(token) >= 2:
                    numbers.add(token)
                continue
            for term in _terms_of(token):
                terms[term] = terms.get(term, 0) + 1
            if not title_case and token[0].isupper() and not _starts_sentence(part, match.start()):
                names.add(token.lower())
    window = f"{title or ''}\n{(text or '')[:lexical_chars]}"
    top = f"{title or ''}\n{(text or '')[:DIRECTION_CHARS]}"
    return TextFeatures(terms, frozenset(names), frozenset(numbers), frozenset(title_words & (names | numbers)),
                        lead_directions(top, language), mentioned_dates(window), amounts_in(window))


def lead_directions(lead: str, language: str | None) -> frozenset[Direction]:
    """The axes on which the lead points one way only, read the same by its language's cues and by every
    language's (a cue one lexicon lacks never decides)."""
    cues = read_cues(lead, language)
    out = set()
    for axis in {a for a, _ in cues.directions}:
        mine = {s for a, s in cues.directions if a == axis}
        every = {s for a, s in cues.any_directions if a == axis}
        if len(mine) == 1 and mine == every:
            out.add((axis, next(iter(mine))))
    return frozenset(out)


def _terms_of(token: str) -> list[str]:
    if _CJK.search(token):
        return _cjk_bigrams(token)
    if len(token) < MIN_TERM_CHARS or len(token) > MAX_TERM_CHARS or token[0].isdigit():
        return []
    return [stem(token)]


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start]
    return start == 0 or bool(_SENTENCE_END.search(before)) or before.endswith(('"', "“", "«", "'"))


def _is_title_case(title: str) -> bool:
    words = [w for w in _WORD.findall(title) if w[0].isalpha() and len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
