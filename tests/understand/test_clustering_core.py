"""The in-memory clustering core: the live window is bounded (old stories leave every index), forgotten vectors leave
the ANN index, and topics come from the rule set."""

from __future__ import annotations

import numpy as np

from newsdesk.understand.cluster_params import cluster_params
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.evidence import Article
from newsdesk.understand.features import text_features
from newsdesk.understand.topics import article_topics
from newsdesk.understand.vector_index import VectorIndex


def _unit(rng: np.random.Generator) -> np.ndarray:
    vector = rng.standard_normal(512).astype(np.float32)
    return vector / np.linalg.norm(vector)


def _stream(count: int, seconds_apart: float | None, seed: int = 3):
    """Five articles per event, each event with its own name and vector; times advance by ``seconds_apart``."""
    rng = np.random.default_rng(seed)
    centre = _unit(rng)
    for i in range(count):
        if i % 5 == 0:
            centre = _unit(rng)
        vector = centre + 0.03 * _unit(rng)
        title = f"Flooding hits Town{i // 5} after storm {1000 + i // 5}"
        when = None if seconds_apart is None else 1.7e9 + seconds_apart * i
        yield Article(i + 1, vector / np.linalg.norm(vector), text_features(title, ""), when, False)


def test_stories_that_left_the_time_window_leave_every_index(settings):
    clusterer = StoryClusterer(cluster_params(settings))
    hour = 3600.0
    keys = [clusterer.add(article) for article in _stream(600, seconds_apart=hour)]
    window = settings.cluster_window_hours
    assert len(set(keys)) >= 100  # events stay apart
    assert len(clusterer.article_index) <= window + 10  # one article an hour: about a window's worth is live
    assert len(clusterer.stories) <= window / 5 + 10
    assert len(clusterer.article_terms) == len(clusterer.article_index) == len(clusterer.story_of)
    live_tokens = {f"n:{n}" for story in clusterer.stories.values() for n in story.name_docs} | {
        f"#:{n}" for story in clusterer.stories.values() for n in story.number_docs}
    assert set(clusterer.postings) <= live_tokens  # postings of evicted stories are gone
    assert all(any(a in clusterer.story_of for a in posting) for posting in clusterer.term_postings.values())
    assert all(key in clusterer.stories for key in clusterer.activity)


def test_undated_streams_are_bounded_by_arrivals(settings):
    clusterer = StoryClusterer(cluster_params(settings).__class__(
        **{**cluster_params(settings).__dict__, "evict_after_articles": 100}))
    for article in _stream(500, seconds_apart=None):
        clusterer.add(article)
    assert len(clusterer.article_index) <= 110


def test_vector_index_forgets_and_rebuilds_without_losing_live_keys():
    rng = np.random.default_rng(1)
    vectors = np.stack([_unit(rng) for _ in range(3000)])
    index = VectorIndex(512)
    for key, vector in enumerate(vectors):
        index.add(key, vector)
    for key in range(2500):
        index.remove(key)
    assert len(index) == 500 and index.removed < 2500  # rebuilt on the way
    hits = index.search(vectors[2900], 3)
    assert hits[0][0] == 2900 and hits[0][1] > 0.98
    assert all(key >= 2500 for key, _ in index.search(vectors[10], 20))


def test_topic_rules_trace_to_keywords():
    assert article_topics("Earthquake kills 12 in Chile", "Rescue teams searched collapsed buildings.") == ["disaster"]
    assert "sport" in article_topics("Le championnat de football reprend", "Les joueurs du match de samedi")
    assert article_topics("", "") == []


def test_every_cluster_setting_reaches_the_clusterer_and_is_its_only_default(settings):
    """The cluster_* settings are the one declaration of the clusterer's knobs: ClusterParams has no default for any
    of them, and changing any one changes the parameters built from settings."""
    import dataclasses

    from newsdesk.config import declared_settings
    from newsdesk.understand.cluster_params import ClusterParams

    declared = [s for s in declared_settings() if s.name.startswith("cluster_")]
    required = [f.name for f in dataclasses.fields(ClusterParams) if f.default is dataclasses.MISSING]
    assert len(required) == len(declared)
    base = cluster_params(settings)
    for setting in declared:
        value = getattr(settings, setting.name)
        changed = tuple(str(float(w) + 1) for w in value) if setting.type is tuple else value + 1
        assert cluster_params(settings.replace(**{setting.name: changed})) != base, setting.name
