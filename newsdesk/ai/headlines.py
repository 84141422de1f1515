"""Headline neutrality: a transparent rule-based scorer of clickbait and informativeness.

Each rule is a named flag a reader can see ("question", "teaser", "listicle", ...) with a fixed penalty; the
informativeness score adds points for what tells a reader the news: names, numbers, a sensible length. The story
page shows the highest-scoring headline of a story and marks clickbait ones. Teaser phrases are listed per
language (en, es, fr, de, it, nl, pt); the structural rules (question mark, exclamation, list openers, shouting,
length) apply to every language, with length counted in characters for scripts written without spaces.

A story's title must agree with its summary: ``consistent_headlines`` keeps the headlines that point no other way
than the summary's sentences (the summary module picks the title among those, see ``newsdesk.ai.story_title``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.understand.polarity import Direction, opposed_cues, read_cues

TEASERS: dict[str, tuple[str, ...]] = {
    "en": ("you won't believe", "you will never guess", "here's why", "here is why", "this is why", "here's what",
           "here is what", "what happens next", "find out", "the reason why", "will shock", "shocking", "goes viral",
           "everything you need to know", "you need to know", "this one", "mind-blowing", "jaw-dropping",
           "what you need to know", "the truth about", "can't stop", "is this the", "watch:", "revealed"),
    "es": ("no creerás", "no vas a creer", "esto es lo que", "te sorprenderá", "lo que nadie", "la razón por",
           "así es como", "descubre", "impactante", "lo que debes saber"),
    "fr": ("vous ne croirez", "voici pourquoi", "voici ce que", "ce que vous devez savoir", "incroyable",
           "la raison pour laquelle", "découvrez"),
    "de": ("sie werden nicht glauben", "das müssen sie", "deshalb", "so reagiert", "unglaublich", "was sie wissen",
           "der grund dafür"),
    "it": ("non crederai", "ecco perché", "ecco cosa", "incredibile", "quello che devi sapere", "scopri"),
    "nl": ("je zult niet geloven", "dit is waarom", "dit moet je weten", "ongelooflijk", "zo reageert"),
    "pt": ("você não vai acreditar", "veja por que", "é por isso que", "incrível", "o que você precisa saber"),
}
QUESTION_MARKS = ("?", "؟", "？")
GREEK_QUESTION_MARK = (";",)  # Greek writes its question mark as a semicolon
LISTICLE = re.compile(r"^\s*\d{1,3}\s+\w+", re.UNICODE)
VAGUE_OPENERS = re.compile(r"^\s*(this|these|that|here'?s|here is|why|how|what|it|they|he|she)\b", re.IGNORECASE)
NUMBER = re.compile(r"\d")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
NO_SPACE_SCRIPTS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")

PENALTIES = {"teaser": 0.35, "listicle": 0.25, "question": 0.15, "vague": 0.2, "exclamation": 0.1,
             "shouting": 0.1, "too_short": 0.2, "too_long": 0.1}
CLICKBAIT_FLAGS = {"teaser", "listicle"}


@dataclass(frozen=True)
class HeadlineVerdict:
    """The scorer's verdict: informativeness in [0, 1], the rules that fired, and whether it reads as clickbait."""

    score: float
    flags: tuple[str, ...]
    clickbait: bool


def _length_flags(title: str) -> list[str]:
    if NO_SPACE_SCRIPTS.search(title):
        size, short, long = len(title.strip()), 8, 60
    else:
        size, short, long = len(WORD.findall(title)), 5, 20
    if size < short:
        return ["too_short"]
    return ["too_long"] if size > long else []


def headline_flags(title: str, language: str | None) -> list[str]:
    """The names of the clickbait and vagueness rules ``title`` trips, in a fixed order."""
    text = " ".join(title.split())
    lowered = text.casefold()
    lang = (language or "en").split("-")[0].lower()
    flags = []
    if any(phrase in lowered for phrase in TEASERS.get(lang, ()) + TEASERS["en"] * (lang != "en")):
        flags.append("teaser")
    if LISTICLE.match(text) and len(WORD.findall(text)) <= 12 and not re.match(r"^\s*\d{4}\b", text):
        flags.append("listicle")
    if text.endswith(QUESTION_MARKS + GREEK_QUESTION_MARK * (lang == "el")):
        flags.append("question")
    if VAGUE_OPENERS.match(text) and _proper_names(text) == 0:
        flags.append("vague")
    if "!" in text or "！" in text:
        flags.append("exclamation")
    if sum(1 for w in WORD.findall(text) if len(w) >= 4 and w.isupper()) >= 2:
        flags.append("shouting")
    return flags + _length_flags(text)


def _proper_names(text: str) -> int:
    """Capitalised words after the first: a rough count of names (0 for scripts without letter case)."""
    words = WORD.findall(text)[1:]
    return sum(1 for w in words if w[:1].isupper() and not w.isupper())


def headline_score(title: str, language: str | None) -> HeadlineVerdict:
    """Score a headline: 0.5 base, up to +0.3 for names and numbers, +0.1 for 8-14 words, minus rule penalties."""
    flags = headline_flags(title, language)
    score = 0.5 + 0.06 * min(_proper_names(title), 4) + (0.06 if NUMBER.search(title) else 0.0)
    words = len(WORD.findall(title))
    if 8 <= words <= 14 or (NO_SPACE_SCRIPTS.search(title) and 15 <= len(title) <= 45):
        score += 0.1
    score -= sum(PENALTIES[f] for f in flags)
    clickbait = bool(CLICKBAIT_FLAGS & set(flags)) or {"question", "vague"} <= set(flags)
    return HeadlineVerdict(round(min(max(score, 0.0), 1.0), 3), tuple(flags), clickbait)


def best_headline(titles: Sequence[tuple[int, str, str | None]]) -> int:
    """The article id whose headline scores highest; ties go to the lower id. ``titles``: (id, title, language)."""
    if not titles:
        raise ValueError("best_headline needs at least one title")
    return min(titles, key=lambda t: (-headline_score(t[1], t[2]).score, t[0]))[0]


def consistent_headlines(candidates: Sequence[tuple[int, str, str | None]],
                         claims: Sequence[tuple[str, str | None]]) -> list[int]:
    """Ids of the candidates (id, title, language) whose headline points no other way than the summary's gist: its
    first sentence, and each sentence that points the way most sentences point on an axis (a story whose summary
    says markets fell is not titled "Shares surge"; a side remark that sales "rebounded" late in the month does
    not veto "Sales plunge by 45%"). ``claims``: the summary sentences (text, language), first first. Candidate
    order is kept."""
    cues = [(read_cues(text, language), language) for text, language in claims]
    votes: Counter[Direction] = Counter(d for claim, _ in cues for d in _one_way(claim.directions))
    gist = cues[:1] + [(claim, language) for claim, language in cues[1:]
                       if any(votes[(axis, sign)] > votes[(axis, -sign)] for axis, sign in _one_way(claim.directions))]
    out = []
    for article_id, title, language in candidates:
        title_cues = read_cues(title, language)
        if not any(opposed_cues(title_cues, claim, _same_language(language, claim_language))
                   for claim, claim_language in gist):
            out.append(article_id)
    return out


def _one_way(directions: frozenset[Direction]) -> set[Direction]:
    """The directions on axes where the text points one way only."""
    axes = Counter(axis for axis, _ in directions)
    return {(axis, sign) for axis, sign in directions if axes[axis] == 1}


def _same_language(a: str | None, b: str | None) -> bool:
    return (a or "").split("-")[0].lower() == (b or "").split("-")[0].lower()
