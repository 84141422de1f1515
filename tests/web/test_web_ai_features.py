"""The reader's AI features over HTTP: ask about a story, the streamed LLM summary (against the scripted stub LLM of
tests/ai), headline neutrality on the story and article pages, and related articles from the understanding stage.

Stories are real ones of the sample store (MEANTIME events with full text in four languages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient
from web_servers import llm_stub_module
from web_story_rows import add_story

from newsdesk.ai.ask import MAX_QUESTION_CHARS
from newsdesk.ai.headlines import best_headline, headline_score
from newsdesk.config import Settings
from newsdesk.store import read_models
from newsdesk.store.related import related_articles
from newsdesk.text.headline_choice import is_proper
from newsdesk.web.app import create_app
from newsdesk.web.http.microcache import MicroCache

FETCH = {"X-Requested-With": "fetch"}
TEASER = "You won't believe what happened next to this company?"


def full_text_stories(engine: sa.Engine, count: int) -> list[int]:
    """The biggest multilingual stories with article text (MEANTIME events)."""
    with engine.connect() as conn:
        return list(conn.exec_driver_sql(
            "SELECT id FROM stories WHERE languages LIKE '%\"nl\"%' ORDER BY article_count DESC, id LIMIT ?",
            (count,)).scalars())


def story_texts(engine: sa.Engine, story_id: int) -> dict[int, str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, text FROM articles WHERE story_id = ?", (story_id,)).all()
    return {r.id: " ".join((r.text or "").split()) for r in rows}


def sse_events(body: str) -> list[tuple[str, object]]:
    """(event name, decoded data) of a text/event-stream body."""
    events = []
    for block in body.split("\n\n"):
        name = re.search(r"^event: (.+)$", block, re.MULTILINE)
        data = re.search(r"^data: (.+)$", block, re.MULTILINE)
        if name and data:
            events.append((name.group(1), json.loads(data.group(1))))
    return events


def test_ask_json_answers_with_passages_that_cite_story_articles(client: TestClient, sample_store) -> None:
    engine, _ = sample_store
    story_id = full_text_stories(engine, 1)[0]
    texts = story_texts(engine, story_id)
    reply = client.post(f"/api/v1/stories/{story_id}/ask", json={"question": "What did Apple announce?"})
    assert reply.status_code == 200
    result = reply.json()
    assert result["engine"] == "extractive" and result["answer"]
    passage_ids = {p["article_id"] for p in result["passages"]}
    for sentence in result["answer"]:
        assert sentence["citations"] and set(sentence["citations"]) <= passage_ids
        cited = sentence["citations"][0]
        if cited in texts:  # a passage of the story itself (related stories may add others)
            assert " ".join(sentence["text"].split()) in texts[cited]


def test_ask_fragment_shows_sentences_with_citation_chips(client: TestClient, sample_store) -> None:
    engine, _ = sample_store
    story_id = full_text_stories(engine, 1)[0]
    reply = client.post(f"/stories/{story_id}/ask", data={"question": "Who founded Pixar?"}, headers=FETCH)
    assert reply.status_code == 200 and "<html" not in reply.text
    chips = re.findall(r'<a class="cite-chip" href="/articles/(\d+)"><span class="cite">(\d+)</span>([^<]+)</a>',
                       reply.text)
    assert chips and all(outlet.strip() for _, _, outlet in chips)
    assert "most relevant passages" in reply.text


def test_ask_without_script_renders_the_story_page_with_the_answer(client: TestClient, sample_store) -> None:
    engine, _ = sample_store
    story_id = full_text_stories(engine, 1)[0]
    reply = client.post(f"/stories/{story_id}/ask", data={"question": "What can the new iPod play?"})
    assert reply.status_code == 200
    assert "<html" in reply.text and 'class="cite-chip"' in reply.text
    assert 'value="What can the new iPod play?"' in reply.text


@pytest.mark.parametrize(("headers", "body", "status", "reason"), [
    ({"Origin": "https://elsewhere.example"}, {"question": "Who?"}, 403, "cross_origin"),
    ({"Sec-Fetch-Site": "cross-site"}, {"question": "Who?"}, 403, "cross_origin"),
    ({"Origin": "null"}, {"question": "Who?"}, 403, "cross_origin"),
    ({}, {"question": "   "}, 422, "empty"),
    ({}, {"question": "why " * (MAX_QUESTION_CHARS // 4 + 1)}, 413, "too_long"),
])
def test_ask_refuses_cross_site_empty_and_long_questions(client: TestClient, sample_store, headers: dict,
                                                         body: dict, status: int, reason: str) -> None:
    engine, _ = sample_store
    story_id = full_text_stories(engine, 1)[0]
    reply = client.post(f"/api/v1/stories/{story_id}/ask", json=body, headers=headers)
    assert (reply.status_code, reply.json()["error"]) == (status, reason)
    page = client.post(f"/stories/{story_id}/ask", data=body, headers={**headers, **FETCH})
    assert page.status_code == status and 'role="alert"' in page.text


def test_ask_same_origin_browser_post_is_answered(client: TestClient, sample_store) -> None:
    engine, _ = sample_store
    story_id = full_text_stories(engine, 1)[0]
    headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin", **FETCH}
    reply = client.post(f"/stories/{story_id}/ask", data={"question": "Who is the CEO?"}, headers=headers)
    assert reply.status_code == 200 and "cite-chip" in reply.text


def test_ask_about_unknown_story_is_404(client: TestClient) -> None:
    assert client.post("/api/v1/stories/999999/ask", json={"question": "Who?"}).status_code == 404
    assert client.post("/stories/999999/ask", data={"question": "Who?"}).status_code == 404


def test_without_llm_the_summary_is_quoted_and_not_streamed(client: TestClient, sample_store) -> None:
    engine, _ = sample_store
    page = client.get(f"/stories/{full_text_stories(engine, 1)[0]}").text
    assert "Quoted from the sources" in page and "data-stream" not in page and "AI-generated" not in page


@pytest.fixture(scope="module")
def llm_client(sample_store: tuple[sa.Engine, Settings]) -> Iterator[tuple[TestClient, object]]:
    """A client of the app configured with the scripted stub LLM; yields (client, stub)."""
    engine, settings = sample_store
    with llm_stub_module().StubLLM() as stub:
        configured = settings.replace(ai_llm_url=stub.url, ai_llm_model="stub-model", ai_llm_timeout=10.0)
        with TestClient(create_app(configured, engine)) as test_client:
            yield test_client, stub


def test_llm_summary_streams_then_shows_the_checked_summary_labelled(llm_client, sample_store) -> None:
    engine, _ = sample_store
    client, stub = llm_client
    stub.mode = "grounded"
    story_id = full_text_stories(engine, 3)[1]
    page = client.get(f"/stories/{story_id}").text
    assert f'data-stream="/stories/{story_id}/summary/stream"' in page
    reply = client.get(f"/stories/{story_id}/summary/stream")
    assert reply.headers["content-type"].startswith("text/event-stream")
    events = sse_events(reply.text)
    deltas = "".join(str(data) for name, data in events if name == "delta")
    assert "SUMMARY:" in deltas and events[-1][0] == "summary"
    final = events[-1][1]
    assert final["ai_generated"] and final["engine"] == "llm"
    assert "label-ai" in final["html"] and "Perspectives" in final["html"] and "Timeline" in final["html"]
    again = client.get(f"/stories/{story_id}").text  # now cached: shown at once, nothing streamed
    assert "data-stream" not in again and "label-ai" in again


def test_llm_summary_failing_the_check_falls_back_to_the_quoted_one(llm_client, sample_store) -> None:
    engine, _ = sample_store
    client, stub = llm_client
    stub.mode = "unsupported"
    story_id = full_text_stories(engine, 3)[2]
    events = sse_events(client.get(f"/stories/{story_id}/summary/stream").text)
    final = events[-1][1]
    assert events[-1][0] == "summary" and not final["ai_generated"] and final["llm_status"] == "rejected"
    assert "label-ai" not in final["html"] and "could not be checked" in final["html"]


def micro_cache_of(client: TestClient) -> MicroCache:
    layer = client.app.middleware_stack
    while not isinstance(layer, MicroCache):
        layer = layer.app
    return layer


def test_event_streams_are_not_micro_cached(sample_store) -> None:
    engine, settings = sample_store
    story_id = full_text_stories(engine, 1)[0]
    with TestClient(create_app(settings.replace(web_page_cache_seconds=30.0), engine)) as cached_client:
        cached_client.get(f"/stories/{story_id}")
        cached_client.get(f"/stories/{story_id}/summary/stream")
        paths = [next(part for part in key if part.startswith("/")) for key in micro_cache_of(cached_client).entries]
    assert paths == [f"/stories/{story_id}"]


def test_story_title_is_the_most_informative_headline_and_clickbait_is_flagged(client: TestClient,
                                                                             sample_store) -> None:
    engine, _ = sample_store
    plain = "Regional council approves 40 million euro flood defence plan for Rotterdam harbour"
    story_id, ids = add_story(engine, [("Teaser Daily", "en", TEASER), ("Harbour Post", "en", plain)])
    page = client.get(f"/stories/{story_id}").text
    assert re.search(r"<h1[^>]*>" + re.escape(plain) + "</h1>", page)
    assert page.count('class="flag"') == 1 and "teaser phrase" in page
    article = client.get(f"/articles/{ids[0]}").text
    assert 'class="flag"' in article and "ends with a question" in article
    assert 'class="flag"' not in client.get(f"/articles/{ids[1]}").text


def test_story_title_prefers_the_interface_language(client: TestClient, sample_store) -> None:
    engine, _ = sample_store
    english = "Regional council approves 40 million euro flood defence plan for Rotterdam harbour"
    french = "Le conseil régional approuve un plan de 40 millions d'euros contre les crues à Rotterdam"
    story_id, _ = add_story(engine, [("Harbour Post", "en", english), ("Le Port", "fr", french)])
    assert re.search(r"<h1[^>]*>" + re.escape(english), client.get(f"/stories/{story_id}?ui=en").text)
    assert re.search(r'<h1[^>]*lang="fr">' + re.escape(french.replace("'", "&#39;")),
                     client.get(f"/stories/{story_id}?ui=fr").text)


def test_story_headline_follows_the_ai_stage_rule_on_real_stories(sample_store) -> None:
    engine, settings = sample_store
    site = create_app(settings, engine).state.site
    with engine.connect() as conn:
        story_ids = conn.exec_driver_sql("SELECT id FROM stories WHERE article_count >= 3 LIMIT 40").scalars().all()
    for story_id in story_ids:
        with engine.connect() as conn:
            items = read_models.story_articles(conn, story_id)
        chosen = site.headlines.story_headline(items, "xx")  # no article in this language: English, then any
        pool = [(a["id"], a["title"], a["language"]) for a in items if not a["duplicate_of"] and a["title"].strip()]
        proper = [t for t in pool if is_proper(t[1])]  # a cut or lower-case title is passed over (issue 13)
        english = [t for t in proper if (t[2] or "").split("-")[0] == "en"]
        competing = english or proper
        if not competing:
            continue
        assert chosen["id"] == best_headline(competing)
        assert headline_score(chosen["title"], chosen["language"]).score == max(
            headline_score(t, lang).score for _, t, lang in competing)


def test_article_page_lists_the_understanding_stage_related_articles_in_order(client: TestClient,
                                                                             sample_store) -> None:
    engine, settings = sample_store
    story_id = full_text_stories(engine, 1)[0]
    with engine.connect() as conn:
        article_id = conn.exec_driver_sql("SELECT id FROM articles WHERE story_id = ? ORDER BY id LIMIT 1",
                                          (story_id,)).scalar_one()
    expected = [r["id"] for r in related_articles(engine, article_id, settings.web_related_limit)]
    page = client.get(f"/articles/{article_id}").text
    related = page[page.index('class="related"'):page.index('class="comments"')]
    shown = [int(i) for i in re.findall(r'<h3 class="headline"[^>]*><a href="/articles/(\d+)"', related)]
    assert expected and shown == expected
    assert "Other outlets on this story" in related and "ago" in related
    assert 'class="excerpt"' in related


def test_a_reader_who_turns_llm_summaries_off_gets_the_quoted_one(llm_client, sample_store) -> None:
    engine, _ = sample_store
    client, stub = llm_client
    stub.mode = "grounded"
    story_id = full_text_stories(engine, 4)[3]
    page = client.get(f"/stories/{story_id}").text
    assert "Turn off AI-generated summaries for me" in page and "data-stream" in page
    calls_before = len(stub.requests) if hasattr(stub, "requests") else None
    refused = client.post("/prefs/ai", data={"llm": "off", "next": f"/stories/{story_id}"},
                          headers={"Origin": "https://elsewhere.example"}, follow_redirects=False)
    assert refused.status_code == 403
    chosen = client.post("/prefs/ai", data={"llm": "off", "next": "//evil.example/"},
                         headers={"Origin": str(client.base_url)}, follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/"
    assert "ai=off" in chosen.headers["set-cookie"]
    client.cookies.set("ai", "off")
    try:
        page = client.get(f"/stories/{story_id}").text
        assert "data-stream" not in page and "Quoted from the sources" in page
        assert "Turn on AI-generated summaries for me" in page
        events = sse_events(client.get(f"/stories/{story_id}/summary/stream").text)
        assert events[-1][0] == "summary" and not events[-1][1]["ai_generated"]
        if calls_before is not None:
            assert len(stub.requests) == calls_before, "nothing may be sent to the LLM for a reader who opted out"
    finally:
        client.cookies.delete("ai")
