"""A story's title from the same sources as its summary, so the two never disagree.

The understanding stage titles a story with the headline of its most central article; when a story mixes coverage
that points different ways ("Stock markets worldwide fall" and "Shares worldwide surge"), that headline can say
the opposite of the summary. A summary therefore carries ``headline_article_ids``: the articles it cites whose
headline points no other way than any of its sentences (those citing its first sentence first), and ``headline``:
the most informative of them (``newsdesk.ai.headlines.best_headline``). After summaries are refreshed, a story
whose title article is not among them is retitled with ``headline``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk.ai.headlines import best_headline, consistent_headlines
from newsdesk.store.db import Engine
from newsdesk.store.story_articles import StoryArticle
from newsdesk.store.story_rows import retitle_story


def headline_fields(members: Sequence[StoryArticle], payload: dict[str, Any]) -> dict[str, Any]:
    """``headline`` ({article_id, title, language} or None) and ``headline_article_ids`` for a summary payload."""
    by_id = {a.id: a for a in members}
    sentences = [s for s in payload.get("sentences") or [] if s.get("citations")]
    claims = [(s["text"], by_id[s["citations"][0]].language) for s in sentences if s["citations"][0] in by_id]
    first = [a for a in sentences[0]["citations"] if a in by_id] if sentences else []
    cited = list(dict.fromkeys([*first, *(a for s in sentences for a in s["citations"] if a in by_id)]))
    candidates = [(a, by_id[a].title, by_id[a].language) for a in cited if by_id[a].title.strip()]
    agreeing = consistent_headlines(candidates, claims)
    pool = [c for c in candidates if c[0] in agreeing and c[0] in first] or [c for c in candidates if c[0] in agreeing]
    if not pool:
        return {"headline": None, "headline_article_ids": []}
    chosen = by_id[best_headline(pool)]
    return {"headline": {"article_id": chosen.id, "title": chosen.title, "language": chosen.language},
            "headline_article_ids": agreeing}


def align_story_title(engine: Engine, story_id: int, payload: dict[str, Any] | None) -> bool:
    """Retitle the story with its summary's headline when its title article is not one the summary agrees with;
    True when the row changed."""
    headline = (payload or {}).get("headline")
    agreeing = set((payload or {}).get("headline_article_ids") or [])
    if not headline:
        return False
    return retitle_story(engine, story_id, headline["title"], headline["article_id"], unless_titled_by=agreeing)
