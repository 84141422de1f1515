"""Which sentences of a story's later articles report something its earlier coverage did not.

A sentence *repeats* earlier coverage when an earlier sentence

- has the same words (after Unicode and case folding),
- has at least ``repeat_share`` of its word trigrams somewhere in the earlier articles' full texts (a wire sentence
  lightly edited, or one beyond the sentences the summariser embeds),
- has embedding cosine at or above the redundancy threshold (the summary's "never two such sentences"), or
- *supports* it by the summary's own rule (cosine at or above the corroboration threshold, and the same figures,
  direction and negation: ``newsdesk.ai.support``), so the same fact in another outlet's words is not new either.

Everything else is a new fact: a new figure ("12 dead" after "10 dead"), a reversal, an event not reported before.
Only sentences fit to quote (prose, within the summary's length bounds) count, so a new byline is no news.
Deterministic: articles in the order given, sentences in reading order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsdesk.ai.extractive import ExtractiveParams
from newsdesk.ai.sentence_store import ArticleSentences
from newsdesk.ai.support import SupportJudge, conflict
from newsdesk.store.story_articles import StoryArticle

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class NoveltyParams:
    """The thresholds of "repeats earlier coverage" and of a sentence fit to quote."""

    repeat_share: float
    redundancy: float
    corroboration: float
    min_chars: int
    max_chars: int

    @classmethod
    def from_settings(cls, settings: object) -> NoveltyParams:
        summary = ExtractiveParams.from_settings(settings)  # type: ignore[arg-type]
        return cls(settings.follow_repeat_share, summary.redundancy, summary.corroboration,  # type: ignore[attr-defined]
                   summary.min_chars, summary.max_chars)


@dataclass(frozen=True)
class NewFact:
    """A sentence no earlier article reported: its text (verbatim), its article, its position there."""

    text: str
    article_id: int
    position: int
    language: str | None


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def trigrams(text: str) -> frozenset[str]:
    """Word trigrams of a sentence (its words when it has fewer than three)."""
    words = _WORD.findall(normalised(text))
    if len(words) < 3:
        return frozenset(words)
    return frozenset(" ".join(words[i:i + 3]) for i in range(len(words) - 2))


def share_in(mine: frozenset[str], seen: set[str] | frozenset[str]) -> float:
    """The share of a sentence's trigrams found in ``seen``."""
    return len(mine & seen) / len(mine) if mine else 0.0


@dataclass
class Coverage:
    """The sentences reported so far, and the test of whether a sentence repeats one of them."""

    params: NoveltyParams
    texts: list[str] = field(default_factory=list)
    languages: list[str | None] = field(default_factory=list)
    seen_trigrams: set[str] = field(default_factory=set)
    blocks: list[np.ndarray] = field(default_factory=list)
    judge: SupportJudge = field(init=False)
    _seen: set[str] = field(default_factory=set)
    _matrix: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.judge = SupportJudge(self.params.corroboration, self.params.corroboration)

    def add(self, article: StoryArticle, sentences: ArticleSentences) -> None:
        """Count the article as reported: every word of its text, and its embedded sentences."""
        self.seen_trigrams |= trigrams(article.title + " . " + article.text)
        for sentence in sentences.sentences:
            self.texts.append(sentence.text)
            self.languages.append(article.language)
            self._seen.add(normalised(sentence.text))
        if len(sentences.sentences):
            self.blocks.append(sentences.vectors)
            self._matrix = None

    def vectors(self) -> np.ndarray:
        if self._matrix is None:
            self._matrix = np.concatenate(self.blocks) if self.blocks else np.zeros((0, 512), dtype=np.float32)
        return self._matrix

    def repeats(self, text: str, language: str | None, vector: np.ndarray) -> bool:
        """True when an earlier sentence says the same (see the module docstring)."""
        if normalised(text) in self._seen:
            return True
        if share_in(trigrams(text), self.seen_trigrams) >= self.params.repeat_share:
            return True
        similarity = self.vectors() @ vector if len(self.texts) else np.zeros(0)
        if similarity.size and float(similarity.max()) >= self.params.redundancy:
            return True
        claim = self.judge.cues(text, language)
        for index in np.flatnonzero(similarity >= self.params.corroboration):
            other = self.judge.cues(self.texts[index], self.languages[index])
            same = (language or "").split("-")[0] == (self.languages[index] or "").split("-")[0]
            if not conflict(claim, other, same):
                return True
        return False


def fit_to_quote(text: str, prose: bool, params: NoveltyParams) -> bool:
    return prose and params.min_chars <= len(text) <= params.max_chars


def new_facts(coverage: Coverage, article: StoryArticle, sentences: ArticleSentences) -> list[NewFact]:
    """The article's sentences that repeat nothing in ``coverage`` nor an earlier sentence of its own, in reading
    order. Does not add the article to the coverage."""
    facts: list[NewFact] = []
    own: set[str] = set()
    for sentence, vector in zip(sentences.sentences, sentences.vectors, strict=True):
        if not fit_to_quote(sentence.text, sentence.prose, coverage.params):
            continue
        mine = trigrams(sentence.text)
        if share_in(mine, own) >= coverage.params.repeat_share:
            continue
        own |= mine
        if not coverage.repeats(sentence.text, article.language, vector):
            facts.append(NewFact(sentence.text, article.id, sentence.position, article.language))
    return facts


def facts_by_article(earlier: Sequence[StoryArticle], later: Sequence[StoryArticle],
                     split: Mapping[int, ArticleSentences], params: NoveltyParams) -> dict[int, list[NewFact]]:
    """For each later article (in the order given), its new facts against the earlier articles and the later ones
    before it."""
    coverage = Coverage(params)
    for article in earlier:
        coverage.add(article, split[article.id])
    out: dict[int, list[NewFact]] = {}
    for article in later:
        out[article.id] = new_facts(coverage, article, split[article.id])
        coverage.add(article, split[article.id])
    return out


def quoted_in(text: str, article_text: str) -> bool:
    """True when ``text`` occurs in the article's text (whitespace runs compared as one space)."""
    return " ".join(text.split()) in " ".join(article_text.split())
