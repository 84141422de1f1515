"""The online story-clustering core, in memory: each article joins the best candidate story or starts a new one.

Candidates never come from a scan: an ANN index (usearch) over story centroids, an ANN index over article vectors
(whose hits vote for their stories) and an inverted index from rare names/numbers to the stories that used them. Each
candidate is scored by a linear model over evidence of several kinds (``match_evidence``): embedding cosine to the
centroid and to the closest member, IDF-weighted term, name and number overlap with the story's profile, and the time
gap. Weights and the bias live in settings (fitted on the dev sets, see docs/clustering.md). After a join, the
story is checked against its own nearest stories and merged when they now describe the same event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from usearch.index import Index

from newsdesk.understand.features import TextFeatures
from newsdesk.understand.lexicon import DocumentFrequencies

EVIDENCE = ("centroid", "closest", "terms", "names", "numbers", "time_gap", "tfidf_cosine")


@dataclass(frozen=True)
class ClusterParams:
    """Weights of the evidence (order of EVIDENCE) and bias for articles with text and for headline-only articles
    (their evidence behaves differently: short texts have noisier cosines), plus index sizes; built from settings."""

    text_weights: tuple[float, ...]
    text_bias: float
    headline_weights: tuple[float, ...]
    headline_bias: float
    merge_margin: float = 1.0
    window_hours: float = 168.0
    time_scale_hours: float = 48.0
    story_neighbours: int = 8
    article_neighbours: int = 12
    rare_token_max_share: float = 0.002
    rare_token_min_documents: int = 500
    posting_limit: int = 16
    dimensions: int = 512


@dataclass
class Article:
    """What the clusterer needs of one article."""

    article_id: int
    vector: np.ndarray
    features: TextFeatures
    time: float | None  # POSIX seconds; None when the article has no date
    has_text: bool
    tfidf: dict[str, float] = field(default_factory=dict)  # unit-length term weights, set when the article arrives


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
    tfidf_sum: dict[str, float] = field(default_factory=dict)
    tfidf_norm2: float = 0.0
    text_members: int = 0

    @property
    def size(self) -> int:
        return len(self.members)

    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm > 0 else self.vector_sum

    def absorb(self, article: Article) -> None:
        self.vector_sum += article.vector
        self.members.append(article.article_id)
        self.text_members += article.has_text
        self._add_tfidf(article.tfidf)
        for table, tokens in ((self.term_docs, article.features.terms), (self.name_docs, article.features.names),
                              (self.number_docs, article.features.numbers)):
            for token in tokens:
                table[token] = table.get(token, 0) + 1
        if article.time is not None:
            self.first_time = article.time if self.first_time is None else min(self.first_time, article.time)
            self.last_time = article.time if self.last_time is None else max(self.last_time, article.time)


    def _add_tfidf(self, weights: dict[str, float]) -> None:
        """Add a unit term vector to the sum, keeping the squared norm exact: |s+x|² = |s|² + 2 s·x + |x|²."""
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


def tfidf_vector(terms: dict[str, int], df: DocumentFrequencies) -> dict[str, float]:
    """Sublinear tf times current IDF, scaled to unit length."""
    weights = {t: (1 + math.log(c)) * df.idf(t) for t, c in terms.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def _new_index(dimensions: int) -> Index:
    return Index(ndim=dimensions, metric="cos", dtype="f32")


class StoryClusterer:
    """Streaming clusterer: ``add`` returns the story key an article joined (new keys count up from 1)."""

    def __init__(self, params: ClusterParams) -> None:
        self.params = params
        self.df = DocumentFrequencies()
        self.stories: dict[int, Story] = {}
        self.story_of: dict[int, int] = {}  # article id -> story key
        self.merged: dict[int, int] = {}  # story key -> the story it was merged into
        self.merge_log: list[tuple[int, int]] = []  # (gone, kept) in the order merges happened
        self.postings: dict[str, list[int]] = {}
        self.story_index = _new_index(params.dimensions)
        self.article_index = _new_index(params.dimensions)
        self.next_key = 1

    # -- public -----------------------------------------------------------------------------------------------------
    def add(self, article: Article, story_key: int | None = None) -> int:
        """Assign ``article`` and return its story key. With ``story_key`` the caller decides (a wire copy joins its
        original's story; a restart replays stored assignments) and no merge is tried."""
        self.df.add(article.features.terms)
        article.tfidf = tfidf_vector(article.features.terms, self.df)
        forced = story_key is not None
        if story_key is None:
            story_key = self.best_story(article)
        if story_key is None or story_key not in self.stories:
            story_key = self._open_story(story_key)
        story = self.stories[story_key]
        story.absorb(article)
        self._index(article, story)
        return story.key if forced else self._maybe_merge(story)

    def resolve(self, story_key: int) -> int:
        """The live story a (possibly merged-away) key now points to."""
        while story_key in self.merged:
            story_key = self.merged[story_key]
        return story_key

    def best_story(self, article: Article) -> int | None:
        """The highest-scoring candidate story if its score is positive, else None."""
        best_key, best_score = None, 0.0
        for key, closest in self.candidates(article).items():
            score = self.score(article, self.stories[key], closest)
            if score > best_score:
                best_key, best_score = key, score
        return best_key

    def score(self, article: Article, story: Story, closest: float | None = None) -> float:
        """Log-odds that ``article`` belongs to ``story`` (it joins the best story when positive)."""
        evidence = match_evidence(article, story, self.df, self.params, closest)
        p = self.params
        weights, bias = (p.text_weights, p.text_bias) if article.has_text else (p.headline_weights, p.headline_bias)
        return sum(w * x for w, x in zip(weights, evidence, strict=True)) + bias

    # -- candidates -------------------------------------------------------------------------------------------------
    def candidates(self, article: Article) -> dict[int, float | None]:
        """Candidate story keys, each with the cosine of its closest member among the article's ANN hits."""
        found: dict[int, float | None] = {}
        p = self.params
        if len(self.article_index):
            hits = self.article_index.search(article.vector, min(p.article_neighbours, len(self.article_index)),
                                             threads=1)
            for key, distance in zip(hits.keys, hits.distances, strict=True):
                story = self.resolve(self.story_of[int(key)])
                found[story] = max(found.get(story) or -1.0, 1.0 - float(distance))
        if len(self.story_index):
            hits = self.story_index.search(article.vector, min(p.story_neighbours, len(self.story_index)), threads=1)
            for key in hits.keys:
                found.setdefault(self.resolve(int(key)), None)
        for token in self._rare_tokens(article):
            for key in self.postings.get(token, ()):
                found.setdefault(self.resolve(key), None)
        return {k: c for k, c in found.items() if k in self.stories and self._in_window(article, self.stories[k])}

    def _rare_tokens(self, article: Article) -> list[str]:
        p = self.params
        limit = max(p.rare_token_max_share * self.df.documents, 2)
        tokens = [f"n:{name}" for name in article.features.names] + [f"#:{n}" for n in article.features.numbers]
        if self.df.documents < p.rare_token_min_documents:
            return tokens
        return [t for t in tokens if len(self.postings.get(t, ())) <= limit]

    def _in_window(self, article: Article, story: Story) -> bool:
        if article.time is None or story.last_time is None:
            return True
        return abs(article.time - story.last_time) <= self.params.window_hours * 3600

    # -- bookkeeping ------------------------------------------------------------------------------------------------
    def _open_story(self, key: int | None = None) -> int:
        if key is None:
            key = self.next_key
        self.next_key = max(self.next_key, key + 1)
        self.stories[key] = Story(key, np.zeros(self.params.dimensions, dtype=np.float32))
        return key

    def _index(self, article: Article, story: Story) -> None:
        self.story_of[article.article_id] = story.key
        self.article_index.add(article.article_id, article.vector, threads=1)
        if story.size & (story.size - 1) == 0:  # re-index the centroid at sizes 1, 2, 4, 8 …: removals leave
            if story.key in self.story_index:  # tombstones that slow searches; the article index covers the rest
                self.story_index.remove(story.key)
            self.story_index.add(story.key, story.centroid(), threads=1)
        tokens = [f"n:{name}" for name in article.features.names] + [f"#:{n}" for n in article.features.numbers]
        for token in tokens:
            posting = self.postings.setdefault(token, [])
            if story.key not in posting[-4:]:
                posting.append(story.key)
                del posting[:-self.params.posting_limit]

    def _maybe_merge(self, story: Story) -> int:
        """Merge ``story`` with a neighbouring story when the bigger one scores ``story``'s centroid as a member."""
        if len(self.story_index) < 2:
            return story.key
        hits = self.story_index.search(story.centroid(), min(4, len(self.story_index)))
        for key in (int(k) for k in hits.keys):
            other = self.stories.get(key)
            if other is None or key == story.key or not self._same_event(story, other):
                continue
            return self._merge(story, other)
        return story.key

    def _same_event(self, a: Story, b: Story) -> bool:
        small, big = (a, b) if a.size <= b.size else (b, a)
        norm = math.sqrt(small.tfidf_norm2) or 1.0
        probe = Article(-1, small.centroid(), _profile_features(small), small.last_time, small.text_members > 0,
                        {t: w / norm for t, w in small.tfidf_sum.items()})
        return self.score(probe, big) > self.params.merge_margin

    def _merge(self, a: Story, b: Story) -> int:
        keep, gone = (a, b) if a.size >= b.size else (b, a)
        for member in gone.members:
            self.story_of[member] = keep.key
        keep.vector_sum += gone.vector_sum
        keep._add_tfidf(gone.tfidf_sum)
        keep.members.extend(gone.members)
        keep.text_members += gone.text_members
        for mine, theirs in ((keep.term_docs, gone.term_docs), (keep.name_docs, gone.name_docs),
                             (keep.number_docs, gone.number_docs)):
            for token, count in theirs.items():
                mine[token] = mine.get(token, 0) + count
        times = [t for t in (keep.first_time, gone.first_time, keep.last_time, gone.last_time) if t is not None]
        keep.first_time, keep.last_time = (min(times), max(times)) if times else (None, None)
        self.story_index.remove(gone.key)
        self.story_index.remove(keep.key)
        self.story_index.add(keep.key, keep.centroid(), threads=1)
        del self.stories[gone.key]
        self.merged[gone.key] = keep.key
        self.merge_log.append((gone.key, keep.key))
        return keep.key


def _profile_features(story: Story) -> TextFeatures:
    """A story's majority terms/names/numbers, used to score a whole story as if it were one article."""
    half = story.size / 2
    return TextFeatures({t: 1 for t, c in story.term_docs.items() if c >= half},
                        frozenset(t for t, c in story.name_docs.items() if c >= half),
                        frozenset(t for t, c in story.number_docs.items() if c >= half))


def _coverage(tokens, docs: dict[str, int], size: int, df: DocumentFrequencies) -> float:
    """IDF-weighted share of ``tokens`` the story uses, each weighted by the share of members that use it."""
    total = covered = 0.0
    for token in tokens:
        weight = df.idf(token)
        total += weight
        covered += weight * docs.get(token, 0) / size
    return covered / total if total else 0.0


def match_evidence(article: Article, story: Story, df: DocumentFrequencies, params: ClusterParams,
                   closest: float | None) -> tuple[float, ...]:
    """The evidence vector (order of EVIDENCE) for ``article`` joining ``story``; ``closest`` is the best cosine to
    a member found by the ANN search (None: no member among the hits, the centroid cosine stands in)."""
    centroid = float(story.centroid() @ article.vector)
    closest = centroid if closest is None else max(closest, centroid)
    features = article.features
    terms = _coverage(features.terms, story.term_docs, story.size, df)
    names = _coverage(features.names, story.name_docs, story.size, df) if features.names else 0.0
    numbers = _coverage(features.numbers, story.number_docs, story.size, df) if features.numbers else 0.0
    gap = 0.0
    if article.time is not None and story.last_time is not None:
        hours = abs(article.time - story.last_time) / 3600
        gap = 1 - math.exp(-hours / params.time_scale_hours)
    return (centroid, closest, terms, names, numbers, gap, story.tfidf_cosine(article.tfidf))
