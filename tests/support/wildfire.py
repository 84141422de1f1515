"""A followed story for the follow tests: a first report, then (after the reader read it) a wire copy of it and a
report with one new fact beside two sentences the first report already had."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_understanding import stories

FIRST = ("Firefighters battled a large wildfire near the town of Paradise on Tuesday afternoon. "
         "The fire has burned more than 2,000 hectares of dry forest since it started on Monday. "
         "Officials ordered the evacuation of about 3,000 residents from the nearby villages.")
NEW_FACT = "Two firefighters were injured when their truck was caught by the flames early on Wednesday morning."
LATER = ("Officials ordered the evacuation of about 3,000 residents from the nearby villages. "
         "Firefighters battled a large wildfire near Paradise on Tuesday afternoon. " + NEW_FACT)


def add_wildfire_story(engine: sa.Engine, at: datetime | None = None) -> tuple[int, int]:
    """The story with its first report (fetched an hour before ``at``); returns (story id, first article id)."""
    at = at or datetime.now(UTC)
    with engine.begin() as conn:
        source_id = conn.execute(sa.select(sources.c.id).limit(1)).scalar()
        story_id = conn.execute(stories.insert().values(
            title="Wildfire near Paradise", first_seen_at=at - timedelta(hours=1), last_seen_at=at,
            article_count=1, outlet_count=1, languages=["en"], regions=["US"], topics=["world"],
            trend_score=50_000.0)).inserted_primary_key[0]
    first = add_article(engine, story_id, "Daily Courier", "Wildfire forces evacuations near Paradise", FIRST,
                        at - timedelta(hours=1), source_id=source_id)
    with engine.begin() as conn:
        conn.execute(stories.update().where(stories.c.id == story_id).values(representative_article_id=first))
    return story_id, first


def add_article(engine: sa.Engine, story_id: int | None, outlet: str, title: str, text: str, at: datetime, *,
                duplicate_of: int | None = None, source_id: int | None = None, language: str = "en",
                region: str = "US") -> int:
    """Insert one understood article fetched and published at ``at``; returns its id."""
    with engine.begin() as conn:
        article_id = conn.execute(articles.insert().values(
            title=title, outlet=outlet, language=language, region=region, text=text, source_id=source_id,
            url=f"https://{outlet.lower().replace(' ', '-')}.example/{story_id}/{at.timestamp():.0f}",
            published_at=at, fetched_at=at, story_id=story_id, duplicate_of=duplicate_of, topics=["world"],
            status="understood")).inserted_primary_key[0]
        if story_id is not None:
            conn.execute(stories.update().where(stories.c.id == story_id).values(
                article_count=stories.c.article_count + 1, last_seen_at=at))
    return article_id


def add_later_coverage(engine: sa.Engine, story_id: int, first: int, at: datetime) -> tuple[int, int]:
    """The wire copy of the first report and the report with the new fact; returns their ids."""
    copy = add_article(engine, story_id, "Valley Times", "Wildfire forces evacuations near Paradise", FIRST, at,
                       duplicate_of=first)
    later = add_article(engine, story_id, "Mountain Post", "Firefighters hurt as Paradise wildfire spreads", LATER,
                        at + timedelta(seconds=1))
    return copy, later
