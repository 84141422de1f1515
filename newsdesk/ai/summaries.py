"""Story summaries: what the web page and the API show, cached per story and regenerated when the story grows.

``story_summary`` never waits on a network: it returns the cached LLM summary when one matches the story's current
articles (and LLM use is allowed), else the extractive summary (cached, computed on a miss). ``refresh_summaries``,
which the pipeline calls after clustering, brings the extractive cache up to date and, when an LLM is configured,
asks it for a grounded summary within the hourly budget; then it retitles a story whose title its summary does not
agree with (``newsdesk.ai.story_title``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from newsdesk.ai import extractive, llm_summary
from newsdesk.ai.citations import coverage, outlets_differ, source_list
from newsdesk.ai.sentence_store import article_sentences
from newsdesk.ai.story_title import align_story_title, headline_fields
from newsdesk.config import Settings
from newsdesk.store.db import Engine
from newsdesk.store.story_articles import StoryArticle, story_articles, story_fingerprint
from newsdesk.store.summaries import cached_summary, store_summary

EXTRACTIVE_VERSION = "extractive-2"  # bump when the selection changes: every cached summary is then redone


def llm_configured(settings: Settings) -> bool:
    """True when the admin set an LLM endpoint; nothing is ever sent anywhere otherwise."""
    return bool(settings.ai_llm_url.strip())


def summary_fingerprint(members: Sequence[StoryArticle], settings: Settings, engine_name: str) -> str:
    params = extractive.ExtractiveParams.from_settings(settings)
    version = EXTRACTIVE_VERSION if engine_name == "extractive" else f"llm:{settings.ai_llm_model}"
    return story_fingerprint(list(members), f"{version}|{params}")


def story_summary(engine: Engine, settings: Settings, story_id: int, *,
                  allow_llm: bool = True) -> dict[str, Any] | None:
    """The story's summary; None when it has fewer than two (non-duplicate) articles, when no article has text
    to quote (headline-only feeds), or when summaries are off.

    ``allow_llm=False`` serves the extractive summary even when an LLM one exists (a user who opted out).
    """
    if not settings.ai_summaries:
        return None
    members = story_articles(engine, story_id)
    if len(members) < 2:
        return None
    if allow_llm and llm_configured(settings):
        cached = cached_summary(engine, story_id, "llm", summary_fingerprint(members, settings, "llm"))
        if cached is not None:
            return cached
    fingerprint = summary_fingerprint(members, settings, "extractive")
    cached = cached_summary(engine, story_id, "extractive", fingerprint)
    if cached is not None:
        return cached if cached["sentences"] else None
    payload = extractive_summary(engine, settings, members)
    store_summary(engine, story_id, "extractive", fingerprint, payload)
    return payload if payload["sentences"] else None


def refresh_summaries(engine: Engine, settings: Settings, story_ids: Iterable[int]) -> int:
    """Bring the summaries of ``story_ids`` up to date; returns how many were (re)generated."""
    if not settings.ai_summaries:
        return 0
    done = 0
    for story_id in dict.fromkeys(story_ids):
        members = story_articles(engine, story_id)
        if len(members) < 2:
            continue
        fingerprint = summary_fingerprint(members, settings, "extractive")
        if cached_summary(engine, story_id, "extractive", fingerprint) is None:
            store_summary(engine, story_id, "extractive", fingerprint,
                          extractive_summary(engine, settings, members))
            done += 1
        if llm_configured(settings) and refresh_llm_summary(engine, settings, story_id, members):
            done += 1
        align_story_title(engine, story_id, story_summary(engine, settings, story_id))
    return done


def refresh_llm_summary(engine: Engine, settings: Settings, story_id: int,
                        members: Sequence[StoryArticle]) -> bool:
    """Ask the LLM for a grounded summary unless a current one is cached; True when one was stored."""
    fingerprint = summary_fingerprint(members, settings, "llm")
    if cached_summary(engine, story_id, "llm", fingerprint) is not None:
        return False
    outcome = llm_summary.generate(engine, settings, story_id, members)
    if outcome.payload is None:
        return False
    store_summary(engine, story_id, "llm", fingerprint, outcome.payload)
    return True


def stream_story_summary(engine: Engine, settings: Settings, story_id: int) -> Iterator[dict[str, Any]]:
    """Events for a page that streams the LLM summary: ``{"delta": text}`` pieces, then ``{"summary": payload}``.

    The final payload is the grounded LLM summary (then cached), or the extractive one with ``llm_status`` and
    ``llm_reason`` saying why no LLM summary is shown. A cached LLM summary, or no LLM configured, gives only the
    final event.
    """
    members = story_articles(engine, story_id)
    current = story_summary(engine, settings, story_id)
    if current is None or current["engine"] == "llm" or not llm_configured(settings):
        yield {"summary": current}
        return
    outcome = None
    for item in llm_summary.generate_streaming(engine, settings, story_id, members):
        if isinstance(item, llm_summary.Outcome):
            outcome = item
        else:
            yield {"delta": item}
    if outcome is not None and outcome.payload is not None:
        store_summary(engine, story_id, "llm", summary_fingerprint(members, settings, "llm"), outcome.payload)
        yield {"summary": outcome.payload}
        return
    status, reason = (outcome.status, outcome.reason) if outcome else ("unavailable", "no reply")
    yield {"summary": {**current, "llm_status": status, "llm_reason": reason}}


def extractive_summary(engine: Engine, settings: Settings, members: Sequence[StoryArticle]) -> dict[str, Any]:
    """Compute the extractive summary of a story's articles (sentence vectors come from the per-article cache)."""
    split = article_sentences(engine, members, settings.ai_sentences_per_article)
    pool = extractive.SentencePool.build(members, split)
    sentences, points = extractive.summarise(pool, extractive.ExtractiveParams.from_settings(settings))
    cited = {a for p in sentences + points for a in p.citations}
    differing = [(kind, n, pool.texts[p.index], [(d.article_id, pool.texts[d.index], d.reasons) for d in p.differing])
                 for kind, picked in (("sentence", sentences), ("key_point", points)) for n, p in enumerate(picked)]
    payload = {
        "engine": "extractive",
        "ai_generated": False,
        "sentences": [{"text": pool.texts[p.index], "citations": p.citations} for p in sentences],
        "key_points": [pool.texts[p.index] for p in points],
        "key_point_citations": [p.citations for p in points],
        "outlets_differ": outlets_differ(members, differing),
        "sources": source_list(members, cited),
        "coverage": coverage(members, cited),
        "generated_at": datetime.now(UTC).isoformat(),
    }
    return {**payload, **headline_fields(members, payload)}
