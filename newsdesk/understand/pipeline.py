"""The understanding pipeline: language, embedding, near-duplicates, story assignment and topics for new articles.

``Understanding`` keeps the online clusterer in memory. On start it replays the most recent understood articles
(their stored vectors and story ids) so a new process continues the same stories. ``process`` takes article ids in
time order, skips those already understood, and writes everything back in one transaction per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np

from newsdesk.config import Settings
from newsdesk.store import grouping
from newsdesk.store import understanding as understanding_store
from newsdesk.store.db import Connection, Engine
from newsdesk.store.grouping import ArticleToReplay
from newsdesk.store.story_rows import merge_story_rows, move_story_rows
from newsdesk.store.understanding import ArticleToUnderstand, ArticleUnderstood
from newsdesk.text.language import detect_language
from newsdesk.understand import duplicates
from newsdesk.understand.cluster_params import cluster_params
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.constraints import Constraints
from newsdesk.understand.embed import article_text_for_embedding, embed_texts
from newsdesk.understand.evidence import Article
from newsdesk.understand.features import text_features
from newsdesk.understand.reasons import reason_for
from newsdesk.understand.story_values import refresh_stories
from newsdesk.understand.topics import article_topics

BATCH = 256
REBUILD_MAX_ARTICLES = 200_000  # replayed on start: far more than a week of news from a few thousand feeds


def _timestamp(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def clusterer_article(row: ArticleToUnderstand | ArticleToReplay, vector: np.ndarray, settings: Settings,
                      language: str | None = None) -> Article:
    """What the clusterer needs of a stored article (``row``: id, title, text, language, published_at)."""
    text = row.text or ""
    return Article(row.id, vector, text_features(row.title, text, language=language or row.language),
                   _timestamp(row.published_at), len(text) >= settings.understand_headline_max_chars)


class Understanding:
    """Streaming understanding over one database; one instance per process (it holds the indexes)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        with engine.connect() as conn:
            self.constraints_version = grouping.constraints_version(conn)
            constraints = Constraints(*grouping.active_links(conn))
        self.clusterer = StoryClusterer(cluster_params(settings), constraints)
        self._reasons: list[dict] = []
        self._rebuild()

    def _article(self, row: ArticleToUnderstand, vector: np.ndarray, language: str | None = None) -> Article:
        return clusterer_article(row, vector, self.settings, language)

    def _rebuild(self) -> None:
        """Replay the newest understood articles (stored vectors, stored story ids) into the in-memory indexes."""
        rows, next_key = understanding_store.understood_for_replay(self.engine, REBUILD_MAX_ARTICLES)
        for row, blob in reversed(rows):
            vector = np.frombuffer(blob, dtype=np.float32)
            if row.duplicate_of is not None:
                self.clusterer.constraints.alias(row.id, row.duplicate_of)
            self.clusterer.add(self._article(row, vector), story_key=row.story_id)
        self.clusterer.next_key = max(self.clusterer.next_key, next_key)  # never reuse the id of an older story

    def process(self, article_ids: Sequence[int], guard: Callable[[Connection], None] | None = None) -> None:
        """Understand these articles in the order given; already understood ones are skipped. ``guard(conn)`` runs
        first in each batch's write transaction (the caller's lease fence: it raises to roll the batch back)."""
        for start in range(0, len(article_ids), BATCH):
            self._process_batch(list(article_ids[start:start + BATCH]), guard)

    def _process_batch(self, ids: list[int], guard: Callable[[Connection], None] | None = None) -> None:
        self._reasons = []
        found = understanding_store.articles_to_understand(self.engine, ids)
        rows = [found[i] for i in dict.fromkeys(ids) if i in found and found[i].status != "understood"]
        if not rows:
            return
        lead = self.settings.understand_embed_lead_chars
        vectors = embed_texts([article_text_for_embedding(r.title, r.text or "", lead) for r in rows])
        computed = {r.id: duplicates.signature(r.text) for r in rows
                    if len(r.text or "") >= self.settings.duplicate_min_chars}
        signatures = {k: v for k, v in computed.items() if v is not None}
        merges_before, moves_before = len(self.clusterer.merge_log), len(self.clusterer.move_log)
        with self.engine.begin() as conn:
            if guard is not None:
                guard(conn)
            originals = duplicates.find_originals(conn, list(signatures.items()), self.settings.duplicate_threshold)
            results = [self._understand_one(row, vector, originals.get(row.id)) for row, vector in
                       zip(rows, vectors, strict=True)]
            results = [(self._final_story(row.id, story), language, topics)
                       for row, (story, language, topics) in zip(rows, results, strict=True)]
            self._write(conn, rows, vectors, signatures, originals, results)
            grouping.record_reasons(conn, self._reasons)
            self._reasons = []
            merged = {gone: self.clusterer.resolve(gone) for gone, _ in self.clusterer.merge_log[merges_before:]}
            merge_story_rows(conn, merged)
            moves = self.clusterer.move_log[moves_before:]
            moved = {a: self._final_story(a, to) for a, _, to in moves}
            move_story_rows(conn, moved)
            touched = ({self.clusterer.resolve(story) for story, _, _ in results} | set(merged.values())
                       | set(moved.values()) | {self.clusterer.resolve(came_from) for _, came_from, _ in moves})
            refresh_stories(conn, touched, self.clusterer, self.settings)

    def _final_story(self, article_id: int, story_key: int) -> int:
        """The live story an article sits in after the whole batch (a later split or merge may have moved it)."""
        return self.clusterer.resolve(self.clusterer.story_of.get(article_id, story_key))

    def _understand_one(self, row: ArticleToUnderstand, vector: np.ndarray,
                        original: int | None) -> tuple[int, str | None, list[str]]:
        """Story, language and topics of one article (a copy joins its original's story while that one is live)."""
        text = row.text or ""
        language = row.language or detect_language(f"{row.title}\n{text[:1000]}")
        story_key = None
        if original is not None:
            self.clusterer.constraints.alias(row.id, original)  # a copy follows corrections made to its original
            story_key = self.clusterer.resolve(self.clusterer.story_of.get(original, -1))
            story_key = story_key if story_key in self.clusterer.stories else None
        article = self._article(row, vector, language)
        story = self.clusterer.add(article, story_key=story_key)
        self._reasons.append(reason_for(self.clusterer, article, story, original if story_key is not None else None,
                                        f"{row.title}\n{text[:1500]}"))
        return story, language, article_topics(row.title, text)

    @staticmethod
    def _write(conn: Connection, rows: list[ArticleToUnderstand], vectors: np.ndarray,
               signatures: dict[int, np.ndarray], originals: dict[int, int],
               results: list[tuple[int, str | None, list[str]]]) -> None:
        """Vectors, signatures, band buckets and article updates of a batch, each in one executemany."""
        signals = [(r.id, v.astype(np.float32).tobytes(), signatures[r.id].tobytes() if r.id in signatures else None)
                   for r, v in zip(rows, vectors, strict=True)]
        bands = [b for article_id, sig in signatures.items() for b in duplicates.band_rows(article_id, sig)]
        understood = [ArticleUnderstood(r.id, language, story, originals.get(r.id), topics)
                      for r, (story, language, topics) in zip(rows, results, strict=True)]
        understanding_store.write_understanding(conn, signals, bands, understood)
