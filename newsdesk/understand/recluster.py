"""``newsdesk understand recluster``: assign every stored article to a story again, honouring corrections.

The stored articles are replayed in the order stories grow in (publication time) through a fresh clusterer holding
every moderator's constraint, from their stored vectors (nothing is embedded again); wire copies join their
original's story as they did online. New stories take over the ids of the old stories they share most articles
with (each old id once), so links and comments stay where readers left them; an old story left without articles is
marked merged into the story that took most of them, and its comments and followers move there. The caller holds
the understand lease (``guard`` fences the write).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from newsdesk.config import Settings
from newsdesk.store import grouping, social
from newsdesk.store.db import Connection, Engine
from newsdesk.store.story_rows import next_story_id
from newsdesk.understand.cluster_params import cluster_params
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.constraints import Constraints
from newsdesk.understand.pipeline import clusterer_article
from newsdesk.understand.reasons import reason_for
from newsdesk.understand.story_values import refresh_stories

CHUNK = 500


@dataclass
class ReclusterResult:
    """How many articles were replayed, how many changed story, and how many stories there are now."""

    articles: int
    moved: int
    stories: int


def recluster(engine: Engine, settings: Settings, progress: Callable[[int], None] | None = None,
              guard: Callable[[Connection], None] | None = None) -> ReclusterResult:
    """Re-run story assignment over every understood article (see the module docstring)."""
    with engine.connect() as conn:
        clusterer = StoryClusterer(cluster_params(settings), Constraints(*grouping.active_links(conn)))
        ids = grouping.understood_in_time_order(conn)
        clusterer.next_key = next_story_id(conn)  # fresh keys never collide with an old story's id
    assigned, old_story, reasons = _replay(engine, settings, clusterer, ids, progress)
    for article_id, _, to in clusterer.move_log:
        assigned[article_id] = to
    final = {a: clusterer.resolve(k) for a, k in assigned.items()}
    label = _labels(final, old_story, clusterer.next_key)
    placement = {a: label[k] for a, k in final.items()}
    with engine.begin() as conn:
        if guard is not None:
            guard(conn)
        changed = {a: s for a, s in placement.items() if old_story[a] != s}
        grouping.set_stories(conn, changed)
        emptied = _retire_emptied(conn, old_story, placement)
        grouping.record_reasons(conn, [{**r, "story_id": placement[r["article_id"]]} for r in reasons])
        touched = set(changed.values()) | {old_story[a] for a in changed} - emptied
        refresh_stories(conn, touched, None, settings)
    return ReclusterResult(len(ids), len(changed), len(set(placement.values())))


def _replay(engine: Engine, settings: Settings, clusterer: StoryClusterer, ids: list[int],
            progress: Callable[[int], None] | None) -> tuple[dict[int, int], dict[int, int], list[dict]]:
    """Feed the articles to the clusterer; returns (article -> key it joined, article -> stored story, reasons)."""
    assigned: dict[int, int] = {}
    old_story: dict[int, int] = {}
    reasons: list[dict] = []
    for start in range(0, len(ids), CHUNK):
        with engine.connect() as conn:
            rows = grouping.articles_to_replay(conn, ids[start:start + CHUNK])
        for row in rows:
            if row.story_id is None:
                continue  # not in a story (the ids replayed all were: none to take over)
            key = None
            if row.duplicate_of is not None:
                clusterer.constraints.alias(row.id, row.duplicate_of)
                key = clusterer.live_story(row.duplicate_of)
            article = clusterer_article(row, np.frombuffer(row.vector, dtype=np.float32), settings)
            assigned[row.id] = clusterer.add(article, story_key=key)
            old_story[row.id] = row.story_id
            reasons.append(reason_for(clusterer, article, assigned[row.id], row.duplicate_of if key else None,
                                      f"{row.title}\n{(row.text or '')[:1500]}"))
        if progress is not None:
            progress(min(CHUNK, len(ids) - start))
    return assigned, old_story, reasons


def _labels(final: dict[int, int], old_story: dict[int, int], next_id: int) -> dict[int, int]:
    """Clusterer key -> story id: each new story takes the old id it shares most articles with (greedily, largest
    overlap first, each old id once); the others get fresh ids."""
    overlap = Counter((key, old_story[a]) for a, key in final.items())
    label: dict[int, int] = {}
    used: set[int] = set()
    for (key, old), _ in sorted(overlap.items(), key=lambda item: (-item[1], item[0])):
        if key not in label and old not in used:
            label[key] = old
            used.add(old)
    for key in sorted(set(final.values()) - set(label)):
        label[key], next_id = next_id, next_id + 1
    return label


def _retire_emptied(conn: Connection, old_story: dict[int, int], placement: dict[int, int]) -> set[int]:
    """Old stories left without articles: merged into the story that took most of them (comments and followers
    follow). Returns their ids."""
    now_used = set(placement.values())
    went: dict[int, Counter] = {}
    for article_id, old in old_story.items():
        if old not in now_used:
            went.setdefault(old, Counter())[placement[article_id]] += 1
    for old, where in went.items():
        kept = where.most_common(1)[0][0]
        social.move_to_story(conn, old, kept)
        grouping.set_merged_into(conn, old, kept)
    return set(went)
