"""What the story clusterer knows of an article and of a story, and the evidence that an article belongs to a story.

Evidence (order of ``EVIDENCE``): embedding cosine to the story centroid and to its closest member, IDF-weighted
coverage of the article's terms, names and numbers by the story's members, the time gap to the story's last article,
TF-IDF cosine to the story's term profile, TF-IDF cosine to the lexically closest member, the story's size (log),
whether both sides are dated (without dates there is no time evidence, so the prior differs), how much more the
members' leads point the other way than the article's (``direction_conflict``: "markets fell" against "markets
surged"), and whether the article's amounts (money, percentages) share none with the members' (``number_conflict``,
weighted by the share of members that write amounts: a $299 iPod against $9.99 films). A logistic model over these
(weights in settings) gives the log-odds that the article joins the story.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsdesk.understand.features import TextFeatures
from newsdesk.understand.lexicon import DocumentFrequencies

EVIDENCE = ("centroid", "closest", "terms", "names", "numbers", "time_gap", "tfidf_cosine", "closest_terms",
            "log_size", "dated", "direction_conflict", "number_conflict")


@dataclass
class Article:
    """What the clusterer needs of one article."""

    article_id: int
    vector: np.ndarray
    features: TextFeatures
    time: float | None  # POSIX seconds; None when the article has no date
    has_text: bool
    tfidf: dict[str, float] = field(default_factory=dict)  # unit-length term weights, set when the article arrives
    idf: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # terms/names/numbers with their IDF


def prepare(article: Article, df: DocumentFrequencies) -> None:
    """Weigh the article's tokens with the current IDF once, before it is scored against many stories."""
    article.tfidf = tfidf_vector(article.features.terms, df)
    weigh_tokens(article, df)


def weigh_tokens(article: Article, df: DocumentFrequencies) -> None:
    """Attach the current IDF of the article's terms, names and numbers."""
    article.idf = {kind: [(token, df.idf(token)) for token in tokens] for kind, tokens in
                   (("terms", article.features.terms), ("names", article.features.names),
                    ("numbers", article.features.numbers))}


@dataclass
class Hints:
    """Per-candidate evidence found while gathering candidates: best member cosine (embedding) and best member
    TF-IDF cosine (lexical); None when no member of the story was among the neighbours."""

    closest: float | None = None
    closest_terms: float = 0.0
    shares_rare_token: bool = False


@dataclass
class Story:
    """Running profile of one story: vector sum, how many members hold each term/name/number, time span."""

    key: int
    vector_sum: np.ndarray
    members: list[int] = field(default_factory=list)
    term_docs: dict[str, int] = field(default_factory=dict)
    name_docs: dict[str, int] = field(default_factory=dict)
    number_docs: dict[str, int] = field(default_factory=dict)
    first_time: float | None = None
    last_time: float | None = None
    last_arrival: int = 0
    tfidf_sum: dict[str, float] = field(default_factory=dict)
    tfidf_norm2: float = 0.0
    direction_docs: dict[tuple[str, int], int] = field(default_factory=dict)  # members whose lead points that way
    amount_docs: dict[str, int] = field(default_factory=dict)  # members writing each amount of money or percentage
    amount_members: int = 0  # members writing any amount
    text_members: int = 0
    split_checked: int = 0  # size at the last split check
    _centroid: np.ndarray | None = None  # cached unit centroid, cleared when members change

    @property
    def size(self) -> int:
        return len(self.members)

    def centroid(self) -> np.ndarray:
        if self._centroid is None:
            norm = float(np.sqrt(self.vector_sum @ self.vector_sum))
            self._centroid = self.vector_sum / norm if norm > 0 else self.vector_sum
        return self._centroid

    def absorb(self, article: Article) -> None:
        self._centroid = None
        self.vector_sum += article.vector
        self.members.append(article.article_id)
        self.text_members += article.has_text
        self.amount_members += bool(article.features.amounts)
        self.add_tfidf(article.tfidf)
        for table, tokens in self._tables_of(article):
            for token in tokens:
                table[token] = table.get(token, 0) + 1
        if article.time is not None:
            self.first_time = article.time if self.first_time is None else min(self.first_time, article.time)
            self.last_time = article.time if self.last_time is None else max(self.last_time, article.time)

    def release(self, article: Article) -> None:
        """Give back a member (the reverse of ``absorb``; the time span is kept)."""
        self._centroid = None
        self.vector_sum -= article.vector
        self.members.remove(article.article_id)
        self.text_members -= article.has_text
        self.amount_members -= bool(article.features.amounts)
        self.add_tfidf({t: -w for t, w in article.tfidf.items()})
        for table, tokens in self._tables_of(article):
            for token in tokens:
                left = table.get(token, 0) - 1
                if left > 0:
                    table[token] = left
                else:
                    table.pop(token, None)

    def _tables_of(self, article: Article) -> tuple[tuple[dict, Iterable], ...]:
        """The story's per-member counts paired with what ``article`` adds to each."""
        features = article.features
        return ((self.term_docs, features.terms), (self.name_docs, features.names),
                (self.number_docs, features.numbers), (self.direction_docs, features.directions),
                (self.amount_docs, features.amounts))

    def absorb_story(self, other: Story) -> None:
        """Take over every member and count of ``other`` (a merge)."""
        self._centroid = None
        self.vector_sum += other.vector_sum
        self.add_tfidf(other.tfidf_sum)
        self.members.extend(other.members)
        self.text_members += other.text_members
        self.amount_members += other.amount_members
        pairs: tuple[tuple[dict[Any, int], dict[Any, int]], ...] = (
            (self.term_docs, other.term_docs), (self.name_docs, other.name_docs), (self.number_docs, other.number_docs),
            (self.direction_docs, other.direction_docs), (self.amount_docs, other.amount_docs))
        for mine, theirs in pairs:
            for token, count in theirs.items():
                mine[token] = mine.get(token, 0) + count
        times = [t for t in (self.first_time, other.first_time, self.last_time, other.last_time) if t is not None]
        self.first_time, self.last_time = (min(times), max(times)) if times else (None, None)
        self.last_arrival = max(self.last_arrival, other.last_arrival)

    def add_tfidf(self, weights: dict[str, float]) -> None:
        """Add a term vector to the sum, keeping the squared norm exact: |s+x|² = |s|² + 2 s·x + |x|²."""
        total = self.tfidf_sum
        dot = sum(total.get(t, 0.0) * w for t, w in weights.items())
        self.tfidf_norm2 += 2 * dot + sum(w * w for w in weights.values())
        for term, weight in weights.items():
            total[term] = total.get(term, 0.0) + weight

    def tfidf_cosine(self, weights: dict[str, float]) -> float:
        if self.tfidf_norm2 <= 0:
            return 0.0
        total = self.tfidf_sum
        return sum(total.get(t, 0.0) * w for t, w in weights.items()) / math.sqrt(self.tfidf_norm2)

    def profile_features(self) -> TextFeatures:
        """The story's majority terms/names/numbers, to score a whole story as if it were one article."""
        half = self.size / 2
        return TextFeatures({t: 1 for t, c in self.term_docs.items() if c >= half},
                            frozenset(t for t, c in self.name_docs.items() if c >= half),
                            frozenset(t for t, c in self.number_docs.items() if c >= half),
                            directions=frozenset(d for d, c in self.direction_docs.items() if c >= half),
                            amounts=frozenset(a for a, c in self.amount_docs.items() if c >= half))


def tfidf_vector(terms: dict[str, int], df: DocumentFrequencies) -> dict[str, float]:
    """Sublinear tf times current IDF, scaled to unit length."""
    weights = {t: (1 + math.log(c)) * df.idf(t) for t, c in terms.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def _coverage(weighted: list[tuple[str, float]], docs: dict[str, int], size: int) -> float:
    """IDF-weighted share of the tokens the story uses, each weighted by the share of members that use it."""
    total = covered = 0.0
    for token, weight in weighted:
        total += weight
        covered += weight * docs.get(token, 0)
    return covered / (total * size) if total else 0.0


def match_evidence(article: Article, story: Story, df: DocumentFrequencies, time_scale_hours: float,
                   hints: Hints | None = None) -> tuple[float, ...]:
    """The evidence vector (order of EVIDENCE) for ``article`` joining ``story``."""
    hints = hints or Hints()
    centroid = float(story.centroid() @ article.vector)
    closest = centroid if hints.closest is None else max(hints.closest, centroid)
    if not article.idf:
        weigh_tokens(article, df)
    idf = article.idf
    terms = _coverage(idf["terms"], story.term_docs, story.size)
    names = _coverage(idf["names"], story.name_docs, story.size)
    numbers = _coverage(idf["numbers"], story.number_docs, story.size)
    gap = dated = 0.0
    if article.time is not None and story.last_time is not None:
        dated = 1.0
        hours = abs(article.time - story.last_time) / 3600
        gap = 1 - math.exp(-hours / time_scale_hours)
    profile = story.tfidf_cosine(article.tfidf)
    return (centroid, closest, terms, names, numbers, gap, profile, max(hints.closest_terms, profile),
            math.log(story.size), dated,
            direction_conflict(article.features.directions, story.direction_docs, story.size),
            number_conflict(article.features.amounts, story))


def number_conflict(amounts: frozenset[str], story: Story) -> float:
    """The share of the story's members that write amounts (money, percentages) when the article writes amounts
    and shares none of theirs; 0 otherwise (a shared amount, or no amounts on either side, is no conflict)."""
    if not amounts or not story.amount_members or amounts & story.amount_docs.keys():
        return 0.0
    return story.amount_members / story.size


def direction_conflict(directions: frozenset[tuple[str, int]], story_directions: dict[tuple[str, int], int],
                       size: int) -> float:
    """Share of the story's members whose lead points against the article's, minus the share that points with it,
    on the axis where that is largest; 0 when nothing points against it (agreement is no evidence of one event:
    every day of a falling market reads "stocks fall")."""
    return max([0.0, *((story_directions.get((axis, -sign), 0) - story_directions.get((axis, sign), 0)) / size
                       for axis, sign in directions)])
