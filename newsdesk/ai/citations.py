"""What a summary says about its sources: the cited articles as chips show them, how much of the story they
cover, and which outlets say otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk.store.story_articles import StoryArticle


def source_list(members: Sequence[StoryArticle], cited: set[int]) -> list[dict[str, Any]]:
    """Outlet, link, title and language of each cited article (what a footnote chip shows), in story order."""
    return [{"id": a.id, "outlet": a.outlet, "url": a.url, "title": a.title, "language": a.language}
            for a in members if a.id in cited]


def coverage(members: Sequence[StoryArticle], cited: set[int]) -> dict[str, int]:
    """How many of the story's outlets and languages the cited articles represent."""
    cited_members = [a for a in members if a.id in cited]
    return {"outlets_cited": len({a.outlet for a in cited_members}), "outlets": len({a.outlet for a in members}),
            "languages_cited": len({a.language for a in cited_members}),
            "languages": len({a.language for a in members})}


def outlets_differ(members: Sequence[StoryArticle], items: Sequence[tuple[str, int, str, list[Any]]]
                   ) -> list[dict[str, Any]]:
    """The "outlets differ" list of a summary: for each (kind, index, text, differing) item with differing
    articles, where ``kind`` is "sentence" or "key_point" and ``differing`` holds (article id, their sentence,
    reasons), one entry ``{kind: index, "text", "article_ids", "differing": [{"article_id", "outlet", "text",
    "reasons"}]}``."""
    outlet = {a.id: a.outlet for a in members}
    out = []
    for kind, index, text, differing in items:
        if not differing:
            continue
        out.append({kind: index, "text": text, "article_ids": [article for article, _, _ in differing],
                    "differing": [{"article_id": article, "outlet": outlet.get(article), "text": sentence,
                                   "reasons": list(reasons)} for article, sentence, reasons in differing]})
    return out
