"""The JSON API under /api/v1 over a real SQLite sample store: fields of the interop contract, 404s, ETags."""

from __future__ import annotations

import sqlalchemy as sa
from starlette.testclient import TestClient
from web_story_rows import add_story

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories


def test_story_has_contract_fields_and_article_texts(client: TestClient,
                                                     sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, ids = add_story(engine, [("Paper A", "en", "Alpha"), ("Journal B", "fr", "Alpha fr")])
    story = client.get(f"/api/v1/stories/{story_id}").json()
    for field in ("id", "title", "first_seen", "last_seen", "article_count", "outlets", "languages", "topics",
                  "articles", "summary"):
        assert field in story, field
    assert story["outlets"] == ["Journal B", "Paper A"] and story["languages"] == ["en", "fr"]
    assert [a["id"] for a in story["articles"]] == ids
    first = story["articles"][0]
    assert set(first) >= {"id", "title", "url", "outlet", "language", "published", "text", "duplicate_of"}
    assert first["text"] == "Alpha. Body of the article." and first["published"].endswith("+00:00")


def test_article_has_text(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    with engine.connect() as conn:
        article_id, text = conn.execute(sa.select(articles.c.id, articles.c.text)
                                        .where(articles.c.word_count > 50).limit(1)).one()
    article = client.get(f"/api/v1/articles/{article_id}").json()
    assert article["id"] == article_id and article["text"] == text and article["title"]
    assert client.get("/api/v1/articles/999999").status_code == 404
    assert client.get("/api/v1/stories/999999").json()["error"] == "not found"


def test_story_list_follows_edition_filters(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    listed = client.get("/api/v1/stories", params={"edition": "it"}).json()["stories"]
    assert listed
    with engine.connect() as conn:
        regions = conn.execute(sa.select(stories.c.regions)
                               .where(stories.c.id.in_([s["id"] for s in listed]))).scalars().all()
    assert all("IT" in r for r in regions)


def test_search_returns_plain_and_escaped_highlights(client: TestClient) -> None:
    result = client.get("/api/v1/search", params={"q": "ipod", "group": "article"}).json()
    assert result["hits"] and result["query"] == "ipod"
    hit = result["hits"][0]
    assert "\x02" not in hit["snippet"] and "<mark>" in hit["title_html"] + hit["snippet_html"]
    assert client.get("/api/v1/search", params={"q": "   ", "group": "article"}).json()["hits"] == []
    assert client.get("/api/v1/search", params={"q": "   "}).json()["results"] == []


def test_api_etag(client: TestClient) -> None:
    first = client.get("/api/v1/stories/1")
    assert first.headers["content-type"] == "application/json"
    assert client.get("/api/v1/stories/1", headers={"if-none-match": first.headers["etag"]}).status_code == 304
