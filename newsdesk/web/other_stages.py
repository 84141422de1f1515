"""Calls into stages written alongside the web app (related articles, trending, summaries, source commands).

Each is imported when first needed; when a stage is not installed yet, the page shows less rather than failing.
Only a missing module or function counts as "not there": errors raised inside a stage propagate.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
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


def related_article_ids(engine: sa.Engine, article_id: int, limit: int) -> list[int] | None:
    """Ids of related articles from the understanding stage, or None when it is not there."""
    func = _function("newsdesk.understand.related", "related_articles")
    if func is None:
        return None
    return [_id_of(item) for item in func(engine, article_id, limit)]


def trending_story_ids(engine: sa.Engine, settings: Settings, *, region: str | None, language: str | None,
                       topic: str | None, limit: int) -> list[int] | None:
    """Ids of trending stories from the understanding stage, or None when it is not there."""
    func = _function("newsdesk.understand.trending", "trending_stories")
    if func is None:
        return None
    found = func(engine, region=region, language=language, topic=topic, limit=limit, settings=settings)
    return [_id_of(item) for item in found]


def story_summary(engine: sa.Engine, settings: Settings, story_id: int) -> dict[str, Any] | None:
    """The AI stage's summary of a story (``{"sentences": [{"text", "citations"}]}``), or None."""
    func = _function("newsdesk.ai.summaries", "story_summary")
    return func(engine, settings, story_id) if func else None


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
