"""Share links carry a preview: story and article pages have a canonical link and Open Graph and Twitter card tags,
absolute only from the configured base URL (a Host header never makes them)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories
from newsdesk.web.app import create_app


def tags(html: str) -> dict[str, str]:
    found = {m[0]: m[1] for m in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)}
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', html)
    return {**found, "canonical": canonical[1] if canonical else ""}


def first_ids(engine: sa.Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        story_id, article_id = conn.execute(
            sa.select(stories.c.id, articles.c.id).join(articles, articles.c.story_id == stories.c.id)
            .where(stories.c.merged_into.is_(None), stories.c.article_count > 1, articles.c.text != "")
            .limit(1)).one()
    return story_id, article_id


def test_story_and_article_pages_have_preview_tags_and_a_canonical_path(
        client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    story_id, article_id = first_ids(sample_store[0])
    story = tags(client.get(f"/stories/{story_id}", headers={"Host": "evil.example"}).text)
    assert story["canonical"] == story["og:url"] == f"/stories/{story_id}"
    assert story["og:title"] and story["twitter:title"] == story["og:title"] and story["twitter:card"]
    article = tags(client.get(f"/articles/{article_id}").text)
    assert article["canonical"] == f"/articles/{article_id}" and article["og:type"] == "article"
    assert article["og:title"] and article["og:description"] and article["twitter:card"]


def test_the_configured_base_url_makes_them_absolute(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    story_id, article_id = first_ids(engine)
    with TestClient(create_app(settings.replace(web_base_url="https://news.example.org"), engine)) as client:
        story = tags(client.get(f"/stories/{story_id}").text)
        article = tags(client.get(f"/articles/{article_id}").text)
    assert story["canonical"] == story["og:url"] == f"https://news.example.org/stories/{story_id}"
    assert article["canonical"] == f"https://news.example.org/articles/{article_id}"
