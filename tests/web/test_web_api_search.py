"""``GET /api/v1/search`` over a real SQLite sample store: results grouped by story (one result for a report told in
several languages, with how many of its articles matched), sorted by relevance or newest, paged with ``next``;
stories found by meaning carry a similarity; bad choices are a JSON 400; ``group=article`` keeps the old shape."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient
from web_story_rows import add_story

from newsdesk.config import Settings
from newsdesk.store import articles as article_store
from newsdesk.store.tables_understanding import article_signals
from newsdesk.understand.embed import embed_texts

REPORT = [("Paper A", "en", "Glorbnik reactor opens"), ("Journal B", "fr", "Le réacteur Glorbnik ouvre"),
          ("Zeitung C", "de", "Glorbnik Reaktor eröffnet"), ("Giornale D", "it", "Apre il reattore Glorbnik")]
MEANING_QUERY = "vulcano eruzione lava"  # no article holds these words; one story's vector is this query's


@pytest.fixture(scope="module")
def planted(sample_store: tuple[sa.Engine, Settings]) -> dict[str, Any]:
    """A report in four languages, an older story that names the word thrice, a lone article, a meaning match."""
    engine, _ = sample_store
    report, report_ids = add_story(engine, REPORT)
    old, _ = add_story(engine, [("Paper A", "en", "Glorbnik glorbnik glorbnik")], text="Glorbnik, Glorbnik.")
    with engine.begin() as conn:
        lone = article_store.insert_article(conn, {
            "title": "A Glorbnik note", "language": "en", "outlet": "Planted", "text": "Glorbnik aside. " * 3,
            "url": "https://planted.example/glorbnik", "published_at": datetime.now(UTC)})
    meaning, meaning_ids = add_story(engine, [("Paper A", "en", "Lava flows down the mountain")])
    with engine.begin() as conn:
        conn.execute(article_signals.insert().values(
            article_id=meaning_ids[0], vector=embed_texts([MEANING_QUERY])[0].tobytes()))
    return {"report": report, "report_ids": report_ids, "old": old, "lone": lone, "meaning": meaning}


def search(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_report_in_four_languages_is_one_result(client: TestClient, planted: dict[str, Any]) -> None:
    found = search(client, q="glorbnik")
    assert found["group"] == "story" and found["sort"] == "relevance" and found["total"] == 3
    report = [r for r in found["results"] if r["story_id"] == planted["report"]]
    assert len(report) == 1 and report[0]["matched"] == len(REPORT) and report[0]["title"] == REPORT[0][2]
    hit, others = report[0]["hit"], report[0]["other_languages"]
    assert hit["id"] in planted["report_ids"] and "<mark>" in hit["title_html"] + hit["snippet_html"]
    assert others and all(o["language"] != hit["language"] for o in others)
    lone = [r for r in found["results"] if r["story_id"] is None]
    assert [r["hit"]["id"] for r in lone] == [planted["lone"]] and lone[0]["matched"] == 1


def test_sort_newest_orders_stories_by_their_newest_match(client: TestClient, planted: dict[str, Any]) -> None:
    relevance = search(client, q="glorbnik")["results"]
    newest = search(client, q="glorbnik", sort="newest")["results"]
    assert relevance[0]["story_id"] == planted["old"]  # three mentions: the best match, and the oldest
    times = [r["newest"] for r in newest]
    assert times == sorted(times, reverse=True) and newest[-1]["story_id"] == planted["old"]
    report = next(r for r in newest if r["story_id"] == planted["report"])
    assert report["hit"]["id"] == planted["report_ids"][-1] and report["hit"]["published"] == report["newest"]
    assert sorted(map(str, (r["story_id"] for r in newest))) == sorted(map(str, (r["story_id"] for r in relevance)))


def test_results_page_with_next_links(client: TestClient, planted: dict[str, Any]) -> None:
    first = search(client, q="glorbnik", sort="newest", limit="2")
    assert len(first["results"]) == 2 and first["total"] == 3 and first["next"]
    following = client.get(first["next"]).json()
    assert following["offset"] == 2 and following["sort"] == "newest" and following["next"] is None
    ids = [r["story_id"] for r in first["results"] + following["results"]]
    assert ids == [r["story_id"] for r in search(client, q="glorbnik", sort="newest")["results"]]
    assert search(client, q="glorbnik", limit="0", offset="-1")["limit"] == 20  # bad numbers: the defaults


def test_a_story_found_by_meaning_carries_its_similarity(client: TestClient, planted: dict[str, Any]) -> None:
    found = search(client, q=MEANING_QUERY)["results"]
    meaning = [r for r in found if r["story_id"] == planted["meaning"]]
    assert meaning and meaning[0]["similarity"] > 0.9 and meaning[0]["matched"] == 0 and meaning[0]["hit"] is None
    assert meaning[0]["title"] == "Lava flows down the mountain"


@pytest.mark.parametrize("query", ["sort=oldest", "group=outlet", "group=article&sort=newest", "sort=%00"])
def test_a_bad_choice_is_a_json_400(client: TestClient, query: str) -> None:
    response = client.get(f"/api/v1/search?q=glorbnik&{query}")
    assert response.status_code == 400 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"].startswith("bad ") and body["parameter"] in query and body["allowed"]


def test_group_article_keeps_the_per_article_shape(client: TestClient, planted: dict[str, Any]) -> None:
    found = search(client, q="glorbnik", group="article")
    assert set(found) == {"query", "page", "more", "hits"} and found["page"] == 1 and not found["more"]
    assert {h["id"] for h in found["hits"]} >= {*planted["report_ids"], planted["lone"]}
    assert all(set(h) >= {"id", "title", "snippet", "title_html", "outlet", "story_id"} for h in found["hits"])
