"""``GET /api/v1/search``: search results grouped by story (the default, as the search page shows them), or one row
per article with ``group=article`` (the original shape, kept for existing clients).

Grouped results come from :func:`newsdesk.web.pages.search_groups.grouped_search`: a report told in four languages
is one result whose ``matched`` says 4, and stories found by meaning in another language carry a ``similarity``.
They page with ``limit`` and ``offset`` and a ``next`` link, like ``/api/v1/stories``; ``total`` counts them all.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from newsdesk.search import SearchHit
from newsdesk.search.highlight import to_html, to_plain
from newsdesk.web.http.params import int_param, text_param
from newsdesk.web.http.responses import json_response
from newsdesk.web.pages.search import filters_of, page_number, run_search
from newsdesk.web.pages.search_groups import SORTS, StoryResult, grouped_search
from newsdesk.web.site import site_of

GROUPS = ("story", "article")
MAX_LIMIT = 100
MAX_OFFSET = 10_000


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """One matching article: plain title and snippet, and their HTML with matches in ``<mark>``."""
    return {"id": hit.article_id, "title": to_plain(hit.title_marked), "snippet": to_plain(hit.snippet_marked),
            "title_html": str(to_html(hit.title_marked)), "snippet_html": str(to_html(hit.snippet_marked)),
            "outlet": hit.outlet, "language": hit.language, "region": hit.region, "url": hit.url,
            "story_id": hit.story_id, "published": hit.published_at, "duplicate_of": hit.duplicate_of}


def story_result_json(result: StoryResult) -> dict[str, Any]:
    """One story result; a lone article (in no story) has ``story_id`` null, a meaning-only match ``hit`` null."""
    story = result.story or {}
    title = story.get("title") or (to_plain(result.hit.title_marked) if result.hit else None)
    return {"story_id": result.key if result.key > 0 else None, "title": title, "matched": result.matched,
            "similarity": round(result.similarity, 4) if result.similarity is not None else None,
            "newest": result.newest, "hit": hit_json(result.hit) if result.hit else None,
            "other_languages": [hit_json(h) for h in result.others]}


def _bad_choice(request: Request, name: str, allowed: tuple[str, ...]) -> Response:
    return json_response(request, {"error": f"bad {name}", "parameter": name, "allowed": list(allowed),
                                   "detail": f"{name} must be one of: {', '.join(allowed)}"}, 400)


def _next_link(params: QueryParams, limit: int, offset: int) -> str:
    kept = [(k, v) for k, v in params.multi_items() if k not in ("limit", "offset", "page")]
    return "/api/v1/search?" + urlencode([*kept, ("limit", str(limit)), ("offset", str(offset))])


def _by_story(request: Request, sort: str) -> Response:
    site = site_of(request)
    params = request.query_params
    limit = int_param(params.get("limit"), minimum=1, maximum=MAX_LIMIT) or site.settings.web_page_size
    offset = int_param(params.get("offset"), maximum=MAX_OFFSET) or 0
    query = text_param(params.get("q"))
    results = grouped_search(site, query, filters_of(params), sort)
    following = None
    if offset + limit < len(results) and offset + limit <= MAX_OFFSET:
        following = _next_link(params, limit, offset + limit)
    return json_response(request, {
        "query": params.get("q", ""), "group": "story", "sort": sort, "total": len(results), "offset": offset,
        "limit": limit, "next": following,
        "results": [story_result_json(r) for r in results[offset:offset + limit]]})


def _by_article(request: Request) -> Response:
    hits, more = run_search(site_of(request), request.query_params)
    return json_response(request, {"query": request.query_params.get("q", ""),
                                   "page": page_number(request.query_params), "more": more,
                                   "hits": [hit_json(h) for h in hits]})


def api_search(request: Request) -> Response:
    """Search results by story (``group=story``, the default) or by article (``group=article``)."""
    params = request.query_params
    group = params.get("group") or "story"
    sort = params.get("sort") or "relevance"
    if group not in GROUPS:
        return _bad_choice(request, "group", GROUPS)
    if sort not in SORTS:
        return _bad_choice(request, "sort", SORTS)
    if group == "article":
        if sort != "relevance":
            return json_response(request, {"error": "bad sort", "parameter": "sort", "allowed": ["relevance"],
                                           "detail": "group=article lists articles by relevance only"}, 400)
        return _by_article(request)
    return _by_story(request, sort)
