"""The LLM path against a scripted OpenAI-compatible server on 127.0.0.1: protocol, grounding rejection, fallback,
timeout, streaming, the shared budget, admin prompt files, and that nothing is sent without a configured URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from ai_stories import add_story, dev_events
from llm_stub import INVENTED, StubLLM

from newsdesk.ai import llm_summary
from newsdesk.ai.ask import ask_story
from newsdesk.ai.summaries import refresh_summaries, story_summary, stream_story_summary
from newsdesk.config import Settings, load_settings
from newsdesk.store.db import connect, open_store
from newsdesk.store.llm_calls import calls_in_last_hour
from newsdesk.store.story_articles import story_articles
from newsdesk.store.tables_ai import ai_llm_calls, ai_summaries
from newsdesk.store.tables_core import articles


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[tuple[sa.Engine, int, str]]:
    """(engine, story id, db url): one real MEANTIME event in four languages."""
    url = f"sqlite:///{tmp_path_factory.mktemp('llm-store') / 'llm.sqlite3'}"
    engine = open_store(url)
    yield engine, add_story(engine, dev_events(shared_dir, "meantime")[3]), url
    engine.dispose()


@pytest.fixture
def stub(store) -> Iterator[StubLLM]:
    engine = store[0]
    with engine.begin() as conn:  # every test starts with no LLM summary and an unused budget
        conn.execute(sa.delete(ai_summaries).where(ai_summaries.c.engine == "llm"))
        conn.execute(sa.delete(ai_llm_calls))
    with StubLLM() as server:
        yield server


def llm_settings(tmp_path: Path, url: str, **overrides) -> Settings:
    env = {"NEWSDESK_AI_LLM_URL": url, "NEWSDESK_AI_LLM_MODEL": "stub-model", "NEWSDESK_AI_LLM_API_KEY": "sekret",
           "NEWSDESK_AI_LLM_TIMEOUT": "2"}
    return load_settings(env=env, config_file=tmp_path / "absent.toml").replace(**overrides)


def _article_texts(engine: sa.Engine, story_id: int) -> dict[int, str]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(articles.c.id, articles.c.text).where(articles.c.story_id == story_id))
        return {r.id: " ".join(r.text.split()) for r in rows}


def test_a_grounded_reply_becomes_the_story_summary(store, stub, tmp_path) -> None:
    engine, story_id, _ = store
    settings = llm_settings(tmp_path, stub.url)
    assert refresh_summaries(engine, settings, [story_id]) >= 1
    request = stub.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["authorization"] == "Bearer sekret"
    assert request["body"]["model"] == "stub-model" and request["body"]["stream"] is False
    assert "[1] (" in request["body"]["messages"][-1]["content"]  # numbered source passages
    summary = story_summary(engine, settings, story_id)
    assert summary["engine"] == "llm" and summary["ai_generated"] and summary["label"] == "AI-generated"
    texts = _article_texts(engine, story_id)
    for sentence in summary["sentences"]:
        assert sentence["citations"] and any(sentence["text"] in texts[a] for a in sentence["citations"])
    assert summary["key_points"] and summary["perspectives"] and summary["timeline"]
    assert story_summary(engine, settings, story_id, allow_llm=False)["engine"] == "extractive"
    assert refresh_summaries(engine, settings, [story_id]) == 0 and len(stub.requests) == 1  # cached


@pytest.mark.parametrize(("mode", "reason"), [("uncited", "cites no passage"), ("phantom", "do not exist"),
                                              ("unsupported", "not supported")])
def test_an_ungrounded_reply_is_rejected_and_the_extractive_summary_shown(store, stub, tmp_path, mode,
                                                                           reason) -> None:
    engine, story_id, _ = store
    stub.mode = mode
    settings = llm_settings(tmp_path, stub.url)
    outcome = llm_summary.generate(engine, settings, story_id, story_articles(engine, story_id))
    assert outcome.status == "rejected" and reason in outcome.reason and outcome.payload is None
    refresh_summaries(engine, settings, [story_id])
    assert story_summary(engine, settings, story_id)["engine"] == "extractive"


def test_a_reply_that_turns_a_fall_into_a_rise_is_rejected(engine, tmp_path, shared_dir) -> None:
    rows = next(rows for rows in dev_events(shared_dir, "meantime") if rows[0]["cluster"] == "meantime-stock-113219")
    story_id = add_story(engine, rows)
    with StubLLM() as server:
        server.mode = "flipped"
        outcome = llm_summary.generate(engine, llm_settings(tmp_path, server.url), story_id,
                                       story_articles(engine, story_id))
        assert "have risen dramatically" in server.last_reply  # the first passage said "have fallen dramatically"
    assert outcome.status == "rejected" and outcome.payload is None
    assert "do not say the same" in outcome.reason


def test_an_unsupported_perspective_is_dropped_while_the_summary_stands(store, stub, tmp_path) -> None:
    engine, story_id, _ = store
    stub.mode = "bad_perspective"
    outcome = llm_summary.generate(engine, llm_settings(tmp_path, stub.url), story_id,
                                   story_articles(engine, story_id))
    assert outcome.status == "ok"
    assert outcome.payload["perspectives"] and all(p["text"] != INVENTED for p in outcome.payload["perspectives"])


@pytest.mark.parametrize("mode", ["slow", "error"])
def test_a_slow_or_failing_server_falls_back(store, stub, tmp_path, mode) -> None:
    engine, story_id, _ = store
    stub.mode, stub.slow_seconds = mode, 4.0
    settings = llm_settings(tmp_path, stub.url, ai_llm_timeout=0.5)
    outcome = llm_summary.generate(engine, settings, story_id, story_articles(engine, story_id))
    assert outcome.status == "unavailable" and outcome.payload is None
    assert story_summary(engine, settings, story_id)["engine"] == "extractive"


def test_streaming_yields_pieces_then_the_grounded_summary(store, stub, tmp_path) -> None:
    engine, story_id, _ = store
    events = list(stream_story_summary(engine, llm_settings(tmp_path, stub.url), story_id))
    deltas = [e["delta"] for e in events if "delta" in e]
    assert len(deltas) > 10 and stub.requests[0]["body"]["stream"] is True
    final = events[-1]["summary"]
    assert final["engine"] == "llm" and "".join(deltas).startswith("SUMMARY:")
    assert story_summary(engine, llm_settings(tmp_path, stub.url), story_id) == final  # cached for the page


def test_a_streamed_ungrounded_reply_ends_on_the_extractive_summary(store, stub, tmp_path) -> None:
    engine, story_id, _ = store
    stub.mode = "phantom"
    events = list(stream_story_summary(engine, llm_settings(tmp_path, stub.url), story_id))
    final = events[-1]["summary"]
    assert final["engine"] == "extractive" and final["llm_status"] == "rejected"


def test_the_budget_is_shared_by_workers_and_stops_calls(store, stub, tmp_path) -> None:
    engine, story_id, url = store
    settings = llm_settings(tmp_path, stub.url, ai_llm_max_calls_per_hour=2)
    other_worker = connect(url)  # a second process's engine on the same database
    members = story_articles(engine, story_id)
    try:
        outcomes = [llm_summary.generate(e, settings, story_id, members) for e in (engine, other_worker, engine)]
    finally:
        other_worker.dispose()
    assert [o.status for o in outcomes] == ["ok", "ok", "over_budget"]
    assert len(stub.requests) == 2 and calls_in_last_hour(engine) == 2
    answer = ask_story(engine, settings, story_id, "How much did Apple pay?")
    assert answer["engine"] == "extractive" and answer["llm_status"] == "over_budget"


def test_nothing_is_sent_without_a_configured_url(store, stub, tmp_path) -> None:
    engine, story_id, _ = store
    settings = llm_settings(tmp_path, "")
    refresh_summaries(engine, settings, [story_id])
    answer = ask_story(engine, settings, story_id, "What happened?")
    events = list(stream_story_summary(engine, settings, story_id))
    assert stub.requests == [] and answer["engine"] == "extractive" and events[-1]["summary"]["engine"] == "extractive"


def test_admin_prompt_files_replace_the_built_in_ones(store, stub, tmp_path) -> None:
    engine, story_id, _ = store
    (tmp_path / "summary.txt").write_text("House style: plain words.\n---\nSources:\n$passages\nSUMMARY please.\n",
                                          encoding="utf-8")
    settings = llm_settings(tmp_path, stub.url, ai_prompts_dir=str(tmp_path))
    outcome = llm_summary.generate(engine, settings, story_id, story_articles(engine, story_id))
    messages = stub.requests[0]["body"]["messages"]
    assert messages[0] == {"role": "system", "content": "House style: plain words."}
    assert messages[1]["content"].startswith("Sources:\n[1] (") and outcome.status == "ok"


def test_ask_answers_with_citations_from_the_llm_or_from_passages(store, stub, tmp_path) -> None:
    engine, story_id, _ = store
    texts = _article_texts(engine, story_id)
    offline = ask_story(engine, llm_settings(tmp_path, ""), story_id, "¿Qué pasó?")
    assert offline["engine"] == "extractive" and offline["passages"]
    for item in offline["answer"]:
        assert " ".join(item["text"].split()) in texts[item["citations"][0]]
    online = ask_story(engine, llm_settings(tmp_path, stub.url), story_id, "What happened?")
    assert online["engine"] == "llm" and online["ai_generated"]
    assert all(set(a["citations"]) <= set(texts) for a in online["answer"])
    stub.mode = "unsupported"
    rejected = ask_story(engine, llm_settings(tmp_path, stub.url), story_id, "What happened?")
    assert rejected["engine"] == "extractive" and rejected["llm_status"] == "rejected"
