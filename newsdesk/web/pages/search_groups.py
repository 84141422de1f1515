"""Search results grouped by story: one entry per story (its best-matching article, and how many of its articles
matched), a count, a sort (relevance or newest), and stories found by meaning in other languages.

Full-text hits come first, in the backend's relevance order, up to ``POOL`` articles; articles of one story fold
into that story's entry (a report in four languages is one result, not four). When no filter narrows the search,
stories whose articles lie near the query's embedding (``newsdesk.store.story_search``) follow: "terremoto" finds
the English quake reports that share no word with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newsdesk.search import SearchFilters, SearchHit
from newsdesk.store.story_search import stories_near, story_rows
from newsdesk.understand.embed import embed_texts
from newsdesk.web.site import Site

POOL = 300  # full-text hits grouped per query: a few pages of stories
SORTS = ("relevance", "newest")


@dataclass
class StoryResult:
    """One result: a story (or a lone article), its best hit, how many articles matched, or its similarity."""

    key: int
    hit: SearchHit | None
    story: dict[str, Any] | None = None
    matched: int = 0
    similarity: float | None = None
    newest: datetime | None = None
    newest_hit: SearchHit | None = None
    others: list[SearchHit] = field(default_factory=list)


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _fold(hits: list[SearchHit]) -> dict[int, StoryResult]:
    groups: dict[int, StoryResult] = {}
    for hit in hits:
        key = hit.story_id if hit.story_id is not None else -hit.article_id
        group = groups.get(key)
        if group is None:
            groups[key] = StoryResult(key=key, hit=hit, matched=1, newest=hit.published_at, newest_hit=hit)
            continue
        group.matched += 1
        if len(group.others) < 3 and group.hit is not None and hit.language != group.hit.language:
            group.others.append(hit)
        if _aware(hit.published_at) > _aware(group.newest):
            group.newest, group.newest_hit = hit.published_at, hit
    return groups


def _unfiltered(filters: SearchFilters) -> bool:
    return not any((filters.outlet, filters.language, filters.region, filters.topic, filters.date_from,
                    filters.date_to))


def grouped_search(site: Site, query: str, filters: SearchFilters, sort: str) -> list[StoryResult]:
    """Every story result of a query, in the order of ``sort`` (relevance or newest)."""
    if not query.strip():
        return []
    groups = _fold(site.search.search(query, filters, limit=POOL, offset=0))
    with site.engine.connect() as conn:
        near = stories_near(conn, embed_texts([query])[0]) if _unfiltered(filters) else []
        rows = story_rows(conn, [*(k for k in groups if k > 0), *(s for s, _ in near)])
    for story_id, similarity in near:
        if story_id in groups:
            groups[story_id].similarity = similarity
        elif story_id in rows:
            groups[story_id] = StoryResult(key=story_id, hit=None, similarity=similarity,
                                           newest=rows[story_id].get("last_seen_at"))
    results = list(groups.values())
    for result in results:
        result.story = rows.get(result.key)
    if sort == "newest":  # each story shown by its newest matching article, newest stories first
        for result in results:
            result.hit = result.newest_hit or result.hit
        results.sort(key=lambda r: _aware(r.newest), reverse=True)
    return results
