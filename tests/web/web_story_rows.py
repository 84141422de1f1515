"""Rows the web tests add to the sample store: a story of given articles, and a hostile title."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_understanding import stories

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


def add_story(engine: sa.Engine, titles: list[tuple[str, str, str]], *, text: str = "", html: str | None = None,
              region: str | None = None) -> tuple[int, list[int]]:
    """Insert a story of articles given as (outlet, language, title); returns the story id and article ids."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        source_id = conn.execute(sa.select(sources.c.id).limit(1)).scalar()
        story_id = conn.execute(stories.insert().values(
            title=titles[0][2], first_seen_at=now - timedelta(hours=16), last_seen_at=now + timedelta(seconds=1),
            article_count=len(titles), outlet_count=len({t[0] for t in titles}),
            languages=sorted({t[1] for t in titles}), regions=[region] if region else [], topics=["science"],
            trend_score=10_000.0)).inserted_primary_key[0]
        ids = []
        for index, (outlet, language, title) in enumerate(titles):
            ids.append(conn.execute(articles.insert().values(
                title=title, outlet=outlet, language=language, text=text or f"{title}. Body of the article.",
                html=html, url=f"https://{index}.example/{story_id}/{index}", source_id=source_id, region=region,
                published_at=now - timedelta(hours=16 - index), fetched_at=now, story_id=story_id, topics=["science"],
            )).inserted_primary_key[0])
        conn.execute(stories.update().where(stories.c.id == story_id).values(representative_article_id=ids[0]))
    return story_id, ids
