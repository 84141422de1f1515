"""The JSON API under /api/v1: stories, one story with its articles and summary, articles (search is in
``search_api``).

Field names are part of the interop contract (outside checks read them); times are ISO 8601 in UTC.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.ai.summaries import story_summary
from newsdesk.store import read_models
from newsdesk.store.story_ranking import latest_stories, ranked_stories
from newsdesk.web.http.params import int_param
from newsdesk.web.http.responses import json_response, not_found
from newsdesk.web.pages.grouping import reasons_json
from newsdesk.web.pages.home import edition_of
from newsdesk.web.site import site_of

MAX_LIMIT = 100
MAX_OFFSET = 10_000  # beyond it the ranked window and an OFFSET scan serve nobody

STORY_FIELDS = ("id", "title", "first_seen_at", "last_seen_at", "article_count", "outlet_count", "languages",
                "regions", "topics", "trend_score", "representative_article_id")


def story_json(story: dict[str, Any]) -> dict[str, Any]:
    out = {k: story.get(k) for k in STORY_FIELDS}
    out["first_seen"], out["last_seen"] = story.get("first_seen_at"), story.get("last_seen_at")
    return out


def article_json(article: dict[str, Any], with_text: bool) -> dict[str, Any]:
    out = {"id": article["id"], "title": article.get("title"), "url": article.get("url"),
           "outlet": article.get("outlet"), "language": article.get("language"), "region": article.get("region"),
           "published": article.get("published_at"), "duplicate_of": article.get("duplicate_of"),
           "story_id": article.get("story_id")}
    if with_text:
        out.update(text=article.get("text") or "", byline=article.get("byline"), image_url=article.get("image_url"),
                   topics=article.get("topics") or [])
    return out


def api_stories(request: Request) -> Response:
    """Top stories (or ``sort=latest``), ``limit`` at a time from ``offset``; ``next`` links the following page."""
    site = site_of(request)
    edition = edition_of(request)
    params = request.query_params
    view = "latest" if params.get("sort") == "latest" else "top"
    limit = int_param(params.get("limit"), minimum=1, maximum=MAX_LIMIT) or site.settings.web_page_size
    offset = int_param(params.get("offset"), maximum=MAX_OFFSET) or 0
    with site.engine.connect() as conn:
        if view == "latest":
            listed = latest_stories(conn, region=edition.region, language=edition.language, topic=edition.topic,
                                    limit=limit, offset=offset)
        else:
            listed = ranked_stories(conn, region=edition.region, language=edition.language, topic=edition.topic,
                                    limit=limit, offset=offset, candidates=site.settings.web_home_candidates,
                                    half_life_hours=site.settings.web_rank_half_life_hours)
    following = None
    if listed.more and offset + limit <= MAX_OFFSET:
        following = "/api/v1/stories" + edition.query(sort=None if view == "top" else view, limit=str(limit),
                                                      offset=str(offset + limit))
    return json_response(request, {"stories": [story_json(s) for s in listed.stories], "offset": offset,
                                   "limit": limit, "next": following})


def api_story(request: Request) -> Response:
    site = site_of(request)
    story_id = request.path_params["story_id"]
    with site.engine.connect() as conn:
        story = read_models.story(conn, story_id)
        items = read_models.story_article_texts(conn, story_id, site.settings.web_story_articles) if story else []
    if story is None:
        return not_found(request, f"story {story_id}")
    out = story_json(story)
    out["outlets"] = sorted({a["outlet"] for a in items if a.get("outlet")})
    out["articles"] = [article_json(a, with_text=True) for a in items]
    out["summary"] = story_summary(site.engine, site.settings, story_id)
    with site.engine.connect() as conn:
        out["grouping"] = reasons_json(request, conn, story_id, items)
    return json_response(request, out)


def api_article(request: Request) -> Response:
    site = site_of(request)
    article_id = request.path_params["article_id"]
    with site.engine.connect() as conn:
        article = read_models.article(conn, article_id)
    if article is None:
        return not_found(request, f"article {article_id}")
    return json_response(request, article_json(article, with_text=True))

