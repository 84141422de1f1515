"""Story lists by rank and by time, one page at a time: the home page, the "Latest" view, the JSON API, the feeds.

Top stories are ranked by coverage and freshness. Coverage is the number of outlets (each a separate newsroom's
decision that the story matters), the number of articles, and the trend score the understanding stage keeps
(distinct outlets weighted by how fast they arrived). Freshness multiplies that by one half for every
``half_life_hours`` since the story's newest article, so an hour-old story covered eleven times outranks one that
was big three days ago. Scores are compared as logarithms (a sum), which keeps very old stories ordered instead of
all underflowing to zero.

Only the ``candidates`` most recently active stories are scored (read from the ``last_seen_at`` index), so the cost
of a page does not grow with the number of stories stored; paging is by offset within that ranked window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.store.read_models import stories_by_ids, story_filters
from newsdesk.store.tables_understanding import stories

LOG2 = math.log(2)


@dataclass(frozen=True)
class StoryPage:
    """One page of a story list and whether another follows it."""

    stories: list[dict[str, Any]]
    more: bool


def rank_value(*, outlets: int, articles: int, trend: float, age_hours: float, half_life_hours: float) -> float:
    """The log of coverage x freshness: outlets count most, articles and trend add, every half life halves."""
    coverage = math.log1p(max(outlets, 0)) + 0.5 * math.log1p(max(articles, 0)) + 0.5 * math.log1p(max(trend, 0.0))
    return coverage - LOG2 * max(age_hours, 0.0) / half_life_hours


def _age_hours(when: datetime | None, now: datetime) -> float:
    if when is None:
        return float("inf")
    if when.tzinfo is None:  # SQLite hands back naive UTC
        when = when.replace(tzinfo=UTC)
    return (now - when).total_seconds() / 3600


def ranked_stories(conn: sa.Connection, *, region: str | None = None, language: str | None = None,
                   topic: str | None = None, limit: int = 20, offset: int = 0, candidates: int = 400,
                   half_life_hours: float = 12.0, now: datetime | None = None) -> StoryPage:
    """A page of top stories: the most recently active ``candidates`` ranked by ``rank_value`` at ``now``."""
    now = now or datetime.now(UTC)
    query = (sa.select(stories.c.id, stories.c.last_seen_at, stories.c.article_count, stories.c.outlet_count,
                       stories.c.trend_score)
             .where(*story_filters(region, language, topic))
             .order_by(stories.c.last_seen_at.desc(), stories.c.id.desc()).limit(candidates))
    scored = [(rank_value(outlets=r.outlet_count, articles=r.article_count, trend=r.trend_score,
                          age_hours=_age_hours(r.last_seen_at, now), half_life_hours=half_life_hours), r.id)
              for r in conn.execute(query)]
    scored.sort(key=lambda pair: (-pair[0], -pair[1]))
    ids = [story_id for _, story_id in scored[offset:offset + limit]]
    return StoryPage(stories_by_ids(conn, ids), more=len(scored) > offset + limit)


def latest_stories(conn: sa.Connection, *, region: str | None = None, language: str | None = None,
                   topic: str | None = None, limit: int = 20, offset: int = 0) -> StoryPage:
    """A page of stories by their newest article, newest first (the "Latest" view)."""
    query = (sa.select(stories).where(*story_filters(region, language, topic))
             .order_by(stories.c.last_seen_at.desc(), stories.c.id.desc()).limit(limit + 1).offset(offset))
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return StoryPage(rows[:limit], more=len(rows) > limit)
