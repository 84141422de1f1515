"""The OpenAPI document is valid OpenAPI 3.1 and true: real responses of every JSON endpoint over the sample store
(stories, a story with its articles and summary, an article, search, ask, errors) validate against its schemas."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def conforms(document: dict[str, Any], schema: str, instance: Any) -> None:
    """Validate ``instance`` against a component schema, with $refs resolved inside the document."""
    wrapper = {"$ref": f"#/components/schemas/{schema}", "components": document["components"]}
    errors = sorted(Draft202012Validator(wrapper).iter_errors(instance), key=str)
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]]


def test_the_document_is_valid_openapi_31(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert {"/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/articles/{article_id}",
            "/api/v1/search", "/api/v1/stories/{story_id}/ask"} <= document["paths"].keys()


def test_real_responses_match_the_schemas(document: dict[str, Any], client: TestClient,
                                          sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    conforms(document, "StoryList", client.get("/api/v1/stories").json())
    with engine.connect() as conn:  # an article with text, in a story: the story has a summary
        article_id, story_id = conn.execute(sa.select(articles.c.id, articles.c.story_id).where(
            articles.c.word_count > 50, articles.c.story_id.is_not(None)).limit(1)).one()
    detail = client.get(f"/api/v1/stories/{story_id}").json()
    assert detail["articles"] and detail["summary"]["sentences"]
    conforms(document, "StoryDetail", detail)
    conforms(document, "Article", client.get(f"/api/v1/articles/{article_id}").json())
    found = client.get("/api/v1/search", params={"q": "ipod", "lang": "en", "group": "article"}).json()
    assert found["hits"]
    conforms(document, "SearchResult", found)
    grouped = client.get("/api/v1/search", params={"q": "ipod", "sort": "newest", "limit": "1"}).json()
    assert grouped["results"] and grouped["next"]
    conforms(document, "StorySearchResult", grouped)
    near = client.get("/api/v1/search", params={"q": "iPod music player"}).json()  # meaning matches too
    conforms(document, "StorySearchResult", near)
    conforms(document, "Error", client.get("/api/v1/search", params={"q": "ipod", "sort": "oldest"}).json())
    answer = client.post(f"/api/v1/stories/{story_id}/ask", json={"question": "What happened?"})
    assert answer.status_code == 200
    conforms(document, "Answer", answer.json())
    conforms(document, "Error", client.get("/api/v1/stories/999999").json())


def test_a_field_the_document_does_not_know_fails(document: dict[str, Any], client: TestClient) -> None:
    story = client.get("/api/v1/stories").json()["stories"][0]
    with pytest.raises(AssertionError):
        conforms(document, "Story", {**story, "undocumented": 1})
    with pytest.raises(AssertionError):
        conforms(document, "Story", {**story, "article_count": "many"})
