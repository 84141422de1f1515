"""Calls into stages written alongside the web app (related articles, trending, summaries, source commands).

Each is imported when first needed; when a stage is not installed yet, the page shows less rather than failing.
Only a missing module or function counts as "not there": errors raised inside a stage propagate.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from newsdesk.config import Settings


def _function(module: str, name: str) -> Callable[..., Any] | None:
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    return getattr(loaded, name, None)


def related_articles(engine: sa.Engine, article_id: int, limit: int) -> list[dict[str, Any]] | None:
    """Related articles from the understanding stage (dicts: id, title, outlet, published_at, excerpt, story_id,
    language; same story first), or None when it is not there."""
    func = _function("newsdesk.understand.related", "related_articles")
    if func is None:
        return None
    return [dict(item) for item in func(engine, article_id, limit)]


def trending_story_ids(engine: sa.Engine, settings: Settings, *, region: str | None, language: str | None,
                       topic: str | None, limit: int) -> list[int] | None:
    """Ids of trending stories from the understanding stage, or None when it is not there."""
    func = _function("newsdesk.understand.trending", "trending_stories")
    if func is None:
        return None
    found = func(engine, region=region, language=language, topic=topic, limit=limit, settings=settings)
    return [_id_of(item) for item in found]


def story_summary(engine: sa.Engine, settings: Settings, story_id: int,
                  allow_llm: bool = True) -> dict[str, Any] | None:
    """The AI stage's summary of a story (``{"sentences": [{"text", "citations"}]}``), or None; ``allow_llm``
    False keeps a reader who opted out of language-model summaries on the quoted (extractive) one."""
    func = _function("newsdesk.ai.summaries", "story_summary")
    return func(engine, settings, story_id, allow_llm=allow_llm) if func else None


def llm_configured(settings: Settings) -> bool:
    """True when the admin configured an LLM endpoint (the AI stage's rule)."""
    func = _function("newsdesk.ai.summaries", "llm_configured")
    return bool(func and func(settings))


def stream_story_summary(engine: sa.Engine, settings: Settings, story_id: int) -> Iterator[dict[str, Any]]:
    """The AI stage's summary stream: ``{"delta": text}`` events, then ``{"summary": payload}``."""
    func = _function("newsdesk.ai.summaries", "stream_story_summary")
    if func is None:
        return iter([{"summary": story_summary(engine, settings, story_id)}])
    return func(engine, settings, story_id)


def ask_story(engine: sa.Engine, settings: Settings, story_id: int, question: str) -> dict[str, Any] | None:
    """The AI stage's answer (``{"engine", "answer": [{"text", "citations"}], "passages"}``), or None."""
    func = _function("newsdesk.ai.ask", "ask_story")
    return func(engine, settings, story_id, question) if func else None


def source_command(name: str) -> Callable[..., Any] | None:
    """A function of ``newsdesk.tasks.commands``, or None: ``add_source(engine, settings, url)``,
    ``import_opml(engine, path)``, ``export_opml(engine) -> str``."""
    return _function("newsdesk.tasks.commands", name)


def _id_of(item: Any) -> int:
    """Stages may return ids, rows or dicts; the web needs the id."""
    if isinstance(item, int):
        return item
    if isinstance(item, dict):
        return int(item["id"])
    return int(getattr(item, "id", item[0]))
