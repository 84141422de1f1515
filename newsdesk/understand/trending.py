"""Trending stories: coverage velocity = distinct outlets in the recent hours, each weighted by recency.

An outlet counts from the first time it covered the story; its weight halves every ``trending_half_life_hours`` and
drops to zero after ``trending_window_hours``. ``stories.trend_score`` keeps the score as of the story's last
article (cheap ordering for pages); ``trending_stories`` rescores the recent candidates for a given ``now`` and
edition (region, language) or topic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings, load_settings
from newsdesk.store.db import Engine
from newsdesk.store.understanding import recent_coverage

CANDIDATES = 500


def trend_weight(age_hours: float, half_life_hours: float, window_hours: float) -> float:
    """Weight of coverage ``age_hours`` old: 1 now, halving every half life, 0 beyond the window."""
    if age_hours > window_hours:
        return 0.0
    return math.exp(-math.log(2) * max(age_hours, 0.0) / half_life_hours)


def trend_score(outlet_times: Iterable[datetime], now: datetime, settings: Settings) -> float:
    """Sum over outlets of the recency weight of their first coverage."""
    return sum(trend_weight((now - when).total_seconds() / 3600, settings.trending_half_life_hours,
                            settings.trending_window_hours) for when in outlet_times)


def trending_stories(engine: Engine, *, region: str | None = None, language: str | None = None,
                     topic: str | None = None, now: datetime | None = None, limit: int = 20,
                     settings: Settings | None = None) -> list[tuple[int, float]]:
    """(story id, score) of the stories with most recent distinct-outlet coverage, best first."""
    settings = settings or load_settings(env={})
    now = now or datetime.now(UTC)
    since = now - timedelta(hours=settings.trending_window_hours)
    rows, topics = recent_coverage(engine, since, now, region=region, language=language, limit=CANDIDATES * 50,
                                   with_topics=bool(topic))
    firsts: dict[int, dict[str, datetime]] = {}
    for row in rows:
        if topic and topic not in topics.get(row.story_id, ()):
            continue
        outlet = row.outlet or f"article-{row.id}"
        per_story = firsts.setdefault(row.story_id, {})
        first = row.first if row.first.tzinfo else row.first.replace(tzinfo=UTC)
        per_story[outlet] = min(per_story.get(outlet, first), first)
    scored = [(story_id, trend_score(times.values(), now, settings)) for story_id, times in firsts.items()]
    scored.sort(key=lambda item: (-item[1], -item[0]))
    return scored[:limit]

