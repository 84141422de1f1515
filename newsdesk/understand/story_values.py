"""What a story's row says: counts, outlets, languages, regions, time span, representative headline, topics, trend.

The store recomputes a story's row from its member articles each time it is touched
(:func:`newsdesk.store.story_rows.refresh_stories`); this module decides the values. The representative is the
original (non-duplicate) member closest to the story centroid among the most recent ones, and its headline is the
story title.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

from newsdesk.config import Settings
from newsdesk.store import story_rows
from newsdesk.store.db import Connection
from newsdesk.store.story_rows import StoryMember
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.evidence import Story
from newsdesk.understand.topics import story_topics
from newsdesk.understand.trending import trend_score


def refresh_stories(conn: Connection, story_ids: set[int], clusterer: StoryClusterer | None,
                    settings: Settings) -> None:
    """Recompute and write the rows of these stories (new ones get the clusterer's key as their id). Without a
    clusterer (a moderator's correction) the representative is chosen against the mean of the members' vectors."""

    def values_of(key: int, members: list[StoryMember], recent: list[StoryMember],
                  vectors: dict[int, np.ndarray]) -> dict[str, Any]:
        story = clusterer.stories.get(clusterer.resolve(key)) if clusterer is not None else None
        return _story_values(members, recent, vectors, story, settings)

    story_rows.refresh_stories(conn, story_ids, values_of)


def _story_values(members: list[StoryMember], recent: list[StoryMember], vectors: dict[int, np.ndarray],
                  story: Story | None, settings: Settings) -> dict[str, Any]:
    times = [m.published_at or m.fetched_at for m in members]
    representative = _representative(recent, vectors, story)
    first_seen: dict[str, datetime] = {}
    for m, when in zip(members, times, strict=True):
        outlet = m.outlet or f"article-{m.id}"
        first_seen[outlet] = min(first_seen.get(outlet, when), when)
    return {
        "title": representative.title,
        "representative_article_id": representative.id,
        "first_seen_at": min(times),
        "last_seen_at": max(times),
        "article_count": len(members),
        "outlet_count": len(first_seen),
        "languages": sorted({m.language for m in members if m.language}),
        "regions": sorted({m.region for m in members if m.region}),
        "topics": story_topics(m.topics or [] for m in recent),
        "trend_score": trend_score(first_seen.values(), max(times), settings),
        "merged_into": None,
        "updated_at": datetime.now(UTC),
    }


def _representative(recent: list[StoryMember], vectors: dict[int, np.ndarray], story: Story | None) -> StoryMember:
    """The original member closest to the story centroid among the recent ones (the first when there is no choice;
    without the clusterer's story, the mean of their vectors stands for its centroid)."""
    originals = [m for m in recent if m.duplicate_of is None] or recent
    scored = [m for m in originals if m.id in vectors]
    if len(originals) == 1 or not scored:
        return originals[0]
    centroid = story.centroid() if story is not None else np.mean([vectors[m.id] for m in scored], axis=0)
    return max(scored, key=lambda m: float(vectors[m.id] @ centroid))

