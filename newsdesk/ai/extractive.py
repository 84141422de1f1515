"""The offline summariser: multi-document centroid + MMR sentence selection with citations.

Every article of a story contributes its sentences (in its own language; the multilingual encoder puts
translations close together). The story centroid is the mean of the per-article mean vectors, so one long article
does not outweigh five short ones. Sentences are picked greedily by maximal marginal relevance (centrality, a
lead-position bonus, a bonus for an outlet not yet cited, minus similarity to what is already picked), never two
above the redundancy threshold, which removes wire copies repeated across outlets. Each picked sentence cites its
own article first, then every other article holding a sentence that *supports* it (cosine at or above the
corroboration threshold, in any language, and the same figures, direction and negation: ``newsdesk.ai.support``).
Articles with a close sentence pointing the other way are listed as differing, not cited. Deterministic: ties fall
to the lower article id and position.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsdesk.ai.sentence_store import ArticleSentences
from newsdesk.ai.support import SupportJudge
from newsdesk.config import Settings
from newsdesk.store.story_articles import StoryArticle

KEY_POINT_MAX_CHARS = 200  # a key point is a short sentence: longer ones belong in the summary paragraph
# MMR looks at the most central sentences only: picks come from the top few hundred by centrality, and this bounds
# the cost of a 500-article story (every dev-set story has fewer candidates, so none of their summaries change).
MMR_POOL = 400


@dataclass(frozen=True)
class ExtractiveParams:
    """The knobs of the selection, read from settings (see newsdesk/ai/settings.py for why each has its value)."""

    sentences: int
    key_points: int
    min_chars: int
    max_chars: int
    redundancy: float
    mmr_lambda: float
    lead_bonus: float
    outlet_bonus: float
    corroboration: float
    languages: tuple[str, ...]
    disagreement: float

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractiveParams:
        return cls(settings.ai_summary_sentences, settings.ai_key_points, settings.ai_sentence_min_chars,
                   settings.ai_sentence_max_chars, settings.ai_redundancy_threshold, settings.ai_mmr_lambda,
                   settings.ai_lead_bonus, settings.ai_outlet_bonus, settings.ai_corroboration_threshold,
                   tuple(settings.ai_summary_languages), settings.ai_disagreement_threshold)


@dataclass
class SentencePool:
    """All sentences of a story, flattened: parallel lists plus one matrix of unit vectors."""

    article_ids: list[int]
    outlets: list[str]
    languages: list[str]
    positions: list[int]
    texts: list[str]
    prose: list[bool]
    vectors: np.ndarray

    @classmethod
    def build(cls, members: Sequence[StoryArticle], split: Mapping[int, ArticleSentences]) -> SentencePool:
        pool = cls([], [], [], [], [], [], np.zeros((0, 0), dtype=np.float32))
        blocks = []
        for article in members:
            item = split[article.id]
            for sentence in item.sentences:
                pool.article_ids.append(article.id)
                pool.outlets.append(article.outlet)
                pool.languages.append((article.language or "und").split("-")[0].lower())
                pool.positions.append(sentence.position)
                pool.texts.append(sentence.text)
                pool.prose.append(sentence.prose)
            blocks.append(item.vectors)
        pool.vectors = np.concatenate(blocks) if blocks else np.zeros((0, 512), dtype=np.float32)
        return pool

    def centroid(self) -> np.ndarray:
        """Mean of per-article mean vectors, unit length (an article's sentences are contiguous in the pool)."""
        ids = np.asarray(self.article_ids)
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        sums = np.add.reduceat(self.vectors, starts, axis=0)
        counts = np.diff(np.r_[starts, len(ids)])[:, None]
        centre = (sums / counts).mean(axis=0)
        return centre / max(float(np.linalg.norm(centre)), 1e-12)


@dataclass(frozen=True)
class Differing:
    """An article that says otherwise: its id, the pool index of its differing sentence, and why it differs."""

    article_id: int
    index: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Picked:
    """A chosen sentence: its pool index, the articles that support it (its own first), and those that differ."""

    index: int
    citations: list[int]
    differing: list[Differing] = field(default_factory=list)


def summary_language(languages: Sequence[str], preferred: Sequence[str]) -> str:
    """The most common language among the story's articles; ties go to the preferred list, then alphabetically."""
    counts = Counter(languages)
    top = max(counts.values())
    tied = sorted(lang for lang, n in counts.items() if n == top)
    for lang in preferred:
        if lang in tied:
            return lang
    return tied[0]


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def candidate_indexes(pool: SentencePool, params: ExtractiveParams, language: str | None) -> list[int]:
    """Pool indexes fit to quote, in ``language`` if given, each distinct text once (first occurrence wins)."""
    seen: set[str] = set()
    out = []
    for i, text in enumerate(pool.texts):
        if language is not None and pool.languages[i] != language:
            continue
        if not (pool.prose[i] and params.min_chars <= len(text) <= params.max_chars):
            continue
        key = _normalised(text)
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def relevance(pool: SentencePool, params: ExtractiveParams) -> np.ndarray:
    """Centrality (cosine to the story centroid) plus a lead bonus that halves with each later position."""
    centrality = pool.vectors @ pool.centroid()
    lead = params.lead_bonus / (1.0 + np.asarray(pool.positions, dtype=np.float32))
    return centrality + lead


def mmr_select(pool: SentencePool, params: ExtractiveParams, candidates: list[int], wanted: int,
               chosen: list[int], scores: np.ndarray) -> list[int]:
    """Greedy MMR over the MMR_POOL most relevant ``candidates``, extending ``chosen`` (already picked sentences
    count for redundancy)."""
    cand = np.asarray(candidates, dtype=np.int64)
    if cand.size > MMR_POOL:  # keep pool order among the most relevant, so ties still fall to the earlier one
        cand = np.sort(cand[np.argsort(-scores[cand], kind="stable")[:MMR_POOL]])
    if cand.size == 0 or wanted <= 0:
        return []
    cand_vectors = pool.vectors[cand]
    max_sim = np.full(cand.size, -1.0, dtype=np.float32)
    for index in chosen:
        max_sim = np.maximum(max_sim, cand_vectors @ pool.vectors[index])
    covered = {pool.outlets[i] for i in chosen}
    outlet_code = {o: n for n, o in enumerate(dict.fromkeys(pool.outlets))}
    cand_outlets = np.array([outlet_code[pool.outlets[i]] for i in cand])
    available = np.ones(cand.size, dtype=bool)
    picked: list[int] = []
    while len(picked) < wanted:
        available &= max_sim <= params.redundancy
        if not available.any():
            break
        novelty_penalty = np.where(max_sim > -1.0, max_sim, 0.0)
        fresh_outlet = ~np.isin(cand_outlets, [outlet_code[o] for o in covered])
        value = params.mmr_lambda * scores[cand] - (1 - params.mmr_lambda) * novelty_penalty
        value = np.where(available, value + params.outlet_bonus * fresh_outlet, -np.inf)
        best = int(np.argmax(value))  # argmax returns the first maximum: deterministic tie-break by pool order
        index = int(cand[best])
        picked.append(index)
        covered.add(pool.outlets[index])
        available[best] = False
        max_sim = np.maximum(max_sim, cand_vectors @ pool.vectors[index])
    return picked


def citations_for(pool: SentencePool, indexes: list[int], params: ExtractiveParams) -> list[Picked]:
    """For each sentence: its own article, then the other articles with a sentence that supports it (most similar
    first), and the articles with a close sentence that contradicts it. One matrix product for all sentences."""
    if not indexes:
        return []
    judge = SupportJudge(params.corroboration, params.disagreement)
    sims = pool.vectors @ pool.vectors[indexes].T
    spans = list(_article_spans(pool).items())
    maxima = np.maximum.reduceat(sims, [start for _, (start, _) in spans], axis=0)  # articles x sentences
    floor = min(params.corroboration, params.disagreement)
    out = []
    for column, index in enumerate(indexes):
        own, language = pool.article_ids[index], pool.languages[index]
        claim = judge.cues(pool.texts[index], language)
        supported: dict[int, float] = {}
        differing: list[Differing] = []
        for row in np.flatnonzero(maxima[:, column] >= floor):
            article, (start, end) = spans[int(row)]
            if article == own:
                continue
            similarity = sims[start:end, column]
            sentences = [(pool.texts[i], pool.languages[i]) for i in range(start, end)]
            verdict = judge.judge(claim, language, sentences, similarity)
            if verdict.supports and verdict.sentence is not None:
                supported[article] = float(similarity[verdict.sentence])
            elif verdict.contradicts and verdict.sentence is not None:
                differing.append(Differing(article, start + verdict.sentence, verdict.reasons))
        cited = [own, *sorted(supported, key=lambda a: (-supported[a], a))]
        out.append(Picked(index, cited, differing))
    return out


def _article_spans(pool: SentencePool) -> dict[int, tuple[int, int]]:
    """Each article's [start, end) in the pool (an article's sentences are contiguous)."""
    spans: dict[int, tuple[int, int]] = {}
    for i, article in enumerate(pool.article_ids):
        start, _ = spans.get(article, (i, i))
        spans[article] = (start, i + 1)
    return spans


def summarise(pool: SentencePool, params: ExtractiveParams) -> tuple[list[Picked], list[Picked]]:
    """(summary sentences, key points) as pool indexes with citations, in reading order of their rank."""
    if not pool.texts:
        return [], []
    scores = relevance(pool, params)
    article_languages = dict(zip(pool.article_ids, pool.languages, strict=True))
    language = summary_language(list(article_languages.values()), params.languages)
    in_language = candidate_indexes(pool, params, language)
    chosen = mmr_select(pool, params, in_language, params.sentences, [], scores)
    if len(chosen) < min(3, params.sentences):  # too little in the main language: let the others fill in
        rest = [i for i in candidate_indexes(pool, params, None) if i not in chosen]
        chosen += mmr_select(pool, params, rest, params.sentences - len(chosen), chosen, scores)
    taken = set(chosen)
    short = [i for i in in_language if i not in taken and len(pool.texts[i]) <= KEY_POINT_MAX_CHARS]
    points = mmr_select(pool, params, short, params.key_points, chosen, scores)
    picked = citations_for(pool, chosen + points, params)
    return picked[:len(chosen)], picked[len(chosen):]
