"""Split-and-embed of article sentences, cached per article in ``ai_article_sentences``.

Embedding is the slow step (milliseconds per sentence on a CPU), so each article is embedded once; a summary of a
story that grew only embeds the new articles. The cache key includes the text and the encoder, so an edited article
or a new encoder is redone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsdesk.ai.embedding import DIMENSIONS, MODEL_NAME, embed
from newsdesk.ai.sentences import Sentence, split_sentences
from newsdesk.store import sentence_cache
from newsdesk.store.db import Engine
from newsdesk.store.story_articles import StoryArticle

CACHE_VERSION = "s3"  # bump when the stored sentence format or the splitting changes


@dataclass(frozen=True)
class ArticleSentences:
    """The sentences of one article and their embeddings (row i embeds sentence i)."""

    sentences: list[Sentence]
    vectors: np.ndarray


def _cache_key(article: StoryArticle, per_article: int) -> str:
    return f"{CACHE_VERSION}.{per_article}:{MODEL_NAME}:{article.content_key}"[:64]


def article_sentences(engine: Engine, members: Sequence[StoryArticle],
                      per_article: int = 0) -> dict[int, ArticleSentences]:
    """Sentences with embeddings for every article in ``members``: from the cache, computing what is missing.

    ``per_article`` > 0 keeps only each article's first sentences: news puts what matters first, and embedding is
    the cost of summarising a story that grows."""
    cached = _load(engine, members, per_article)
    missing = [a for a in members if a.id not in cached]
    if missing:
        fresh = _compute(missing, per_article)
        _store(engine, missing, fresh, per_article)
        cached.update(fresh)
    return cached


def _load(engine: Engine, members: Sequence[StoryArticle], per_article: int) -> dict[int, ArticleSentences]:
    wanted = {a.id: _cache_key(a, per_article) for a in members}
    out: dict[int, ArticleSentences] = {}
    for row in sentence_cache.cached_rows(engine, list(wanted)):
        if row.content_key != wanted[row.article_id]:
            continue
        vectors = np.frombuffer(row.vectors, dtype=np.float16).astype(np.float32).reshape(-1, DIMENSIONS)
        sentences = [Sentence(*item) for item in row.sentences]
        out[row.article_id] = ArticleSentences(sentences, vectors)
    return out


def _compute(missing: Sequence[StoryArticle], per_article: int) -> dict[int, ArticleSentences]:
    """One embedding batch for all sentences of all missing articles (batching is much faster than one by one)."""
    split = {a.id: split_sentences(a.text, a.language)[:per_article or None] for a in missing}
    flat = [s.text for sentences in split.values() for s in sentences]
    vectors = embed(flat)
    out: dict[int, ArticleSentences] = {}
    offset = 0
    for article_id, sentences in split.items():
        out[article_id] = ArticleSentences(sentences, vectors[offset:offset + len(sentences)])
        offset += len(sentences)
    return out


def _store(engine: Engine, missing: Sequence[StoryArticle], fresh: dict[int, ArticleSentences],
           per_article: int) -> None:
    rows = [sentence_cache.CachedSentences(a.id, _cache_key(a, per_article), [list(s) for s in fresh[a.id].sentences],
                                           fresh[a.id].vectors.astype(np.float16).tobytes()) for a in missing]
    sentence_cache.replace_rows(engine, rows)
