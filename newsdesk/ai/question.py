"""What a reader's question asks for, and how relevant a passage is to it.

Embedding similarity alone answers "Who threw the touchdown pass?" with any sentence about the game. A passage is
relevant when it is close to the question (cosine), shares its content words (IDF-weighted over the story's
sentences, 6-letter stems as the clusterer uses, so "touchdown pass" counts twice and "the" not at all), and holds
what the question type asks for: who -> a name, when -> a date, day or time, how many / how much -> a figure,
where -> a name (question words in en, es, it, nl, fr, de, pt). A passage *answers* when it holds the asked-for
kind (if the question has one) and shares most of its content words or is close enough by cosine alone (a
question in one language over passages in another shares no words). A general question ("What happened?") is
answered by the passages closest to the story's centre.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.understand.features import stem
from newsdesk.understand.polarity import facts_in

# language -> kind -> question openers (lower case; multi-word ones first)
QUESTION_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"number": ("how many", "how much", "what percentage", "how far", "how old", "how long"),
           "person": ("who", "whom", "whose"), "date": ("when", "what time", "what day", "what year"),
           "place": ("where",)},
    "es": {"number": ("cuántos", "cuántas", "cuánto", "cuánta"), "person": ("quién", "quiénes"),
           "date": ("cuándo",), "place": ("dónde", "adónde")},
    "it": {"number": ("quanti", "quante", "quanto", "quanta"), "person": ("chi",), "date": ("quando",),
           "place": ("dove",)},
    "nl": {"number": ("hoeveel",), "person": ("wie",), "date": ("wanneer",), "place": ("waar",)},
    "fr": {"number": ("combien",), "person": ("qui",), "date": ("quand",), "place": ("où",)},
    "de": {"number": ("wie viele", "wie viel"), "person": ("wer", "wem", "wen"), "date": ("wann",),
           "place": ("wo", "wohin", "woher")},
    "pt": {"number": ("quantos", "quantas", "quanto", "quanta"), "person": ("quem",), "date": ("quando",),
           "place": ("onde",)},
}
STOP_WORDS = frozenset({
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "is", "are", "was", "were", "be", "been",
    "did", "do", "does", "has", "have", "had", "what", "which", "that", "this", "with", "by", "from", "about",
    "as", "it", "its", "their", "they", "he", "she", "his", "her", "story", "article", "el", "la", "los", "las",
    "de", "del", "en", "y", "o", "que", "un", "una", "es", "fue", "il", "lo", "gli", "le", "di", "da", "e", "che",
    "è", "het", "een", "van", "op", "wat", "die", "dat", "les", "des", "du", "et", "est", "qui", "une", "der",
    "das", "und", "ist", "ein", "eine", "den", "dem", "os", "em", "é", "um", "uma",
})
# Words of a question about the story as a whole ("What happened?", "¿Qué pasó?"): they ask for its gist.
GENERAL_WORDS = frozenset({
    "happen", "happened", "happening", "happens", "going", "news", "story", "event", "events", "latest", "update",
    "tell", "summary", "summarise", "summarize", "explain", "qué", "pasó", "pasa", "pasado", "ocurrió", "ocurre",
    "sucedió", "noticia", "historia", "cosa", "è", "successo", "succede", "accaduto", "notizia", "storia", "wat",
    "gebeurd", "gebeurt", "nieuws", "verhaal", "que", "s'est", "passé", "passe", "arrivé", "nouvelle", "histoire",
    "was", "ist", "passiert", "geschehen", "los", "nachricht", "geschichte", "o", "aconteceu", "acontece",
    "notícia", "história",
})
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b(?:19|20)\d\d\b")
_DIGIT = re.compile(r"\d")
MIN_PREFIX = 4  # a shorter word of a passage never stands for a question's longer word
_RELATIVE_DAYS = frozenset({"today", "yesterday", "tonight", "tomorrow", "hoy", "ayer", "oggi", "ieri", "vandaag",
                            "gisteren", "aujourd'hui", "hier", "heute", "gestern", "hoje", "ontem"})


@dataclass(frozen=True)
class Question:
    """A question's text, its language (None when unknown), the kind of answer it asks for, and its content
    stems; a question with neither kind nor content ("What happened?") is *general*: it asks for the gist."""

    text: str
    language: str | None
    kind: str | None
    stems: frozenset[str]

    @property
    def general(self) -> bool:
        return self.kind is None and not self.stems


def read_question(text: str, language: str | None) -> Question:
    """The kind (person, date, number, place or None) and content stems of ``text`` in ``language``."""
    lowered = " ".join(text.lower().split())
    lang = (language or "en").split("-")[0].lower()
    kinds = QUESTION_WORDS.get(lang, QUESTION_WORDS["en"])
    kind = next((k for k, openers in kinds.items() for opener in openers
                 if re.search(rf"(?<!\w){re.escape(opener)}(?!\w)", lowered)), None)
    openers = {w for openers in kinds.values() for opener in openers for w in opener.split()}
    stems = frozenset(stem(w) for w in _WORD.findall(lowered) if w not in STOP_WORDS and w not in openers
                      and w not in GENERAL_WORDS and len(w) >= 3)
    return Question(text, language, kind, stems)


def has_kind(text: str, kind: str | None) -> bool:
    """Whether ``text`` holds what a question of ``kind`` asks for (always True for a question without a kind)."""
    if kind is None:
        return True
    tokens = _WORD.findall(text)
    if kind == "number":
        return bool(_DIGIT.search(text))
    if kind == "date":
        return bool(facts_in(tokens) or _TIME.search(text) or _RELATIVE_DAYS & {t.lower() for t in tokens})
    return _has_name(text)


def _has_name(text: str) -> bool:
    """A capitalised word that does not open a sentence, or two capitalised words in a row: a name."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        tokens = _WORD.findall(sentence)
        capitals = [t[:1].isupper() and not t.isupper() for t in tokens]
        if any(capitals[1:]) or any(a and b for a, b in itertools.pairwise(capitals)):
            return True
    return False


class TermWeights:
    """How informative each of the question's stems is among a story's sentences (IDF), and which sentences hold
    it: a sentence holds a stem when one of its words starts with it, or it starts with one of them (4 letters at
    least), so "pay" finds "paying" and "touchdowns" finds "touchdown"."""

    def __init__(self, texts: Sequence[str], question: Question) -> None:
        self.stems = sorted(question.stems)
        self.holds = []
        for text in texts:
            words = set(_WORD.findall(text.lower())) if self.stems else set()
            self.holds.append(frozenset(s for s in self.stems if _holds(words, s)))
        documents = len(texts)
        counts = {s: sum(s in held for held in self.holds) for s in self.stems}
        self.idf = {s: math.log((documents + 1) / (counts[s] + 1)) + 1.0 for s in self.stems}
        self.total = sum(self.idf.values())

    def overlap(self, indexes: Sequence[int]) -> float:
        """IDF-weighted share of the question's stems held by the sentences at ``indexes`` (a passage)."""
        if not self.total:
            return 0.0
        found = frozenset().union(*(self.holds[i] for i in indexes))
        return sum(self.idf[s] for s in found) / self.total


def _holds(words: set[str], term: str) -> bool:
    return any(word.startswith(term) or (len(word) >= MIN_PREFIX and term.startswith(word)) for word in words)
