"""The article page: headline once, outlet, byline, time, clean body, link to the original, related articles."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store import read_models
from newsdesk.web import other_stages
from newsdesk.web.responses import not_found, render_page
from newsdesk.web.site import Site, site_of


def article_page(request: Request) -> Response:
    site = site_of(request)
    article_id = request.path_params["article_id"]
    with site.engine.connect() as conn:
        article = read_models.article(conn, article_id)
        story = read_models.story(conn, article["story_id"]) if article and article.get("story_id") else None
    if article is None:
        return not_found(request, f"article {article_id}")
    return render_page(request, "article.html", {
        "article": article, "story": story, "related": related_briefs(site, article),
    })


def related_briefs(site: Site, article: dict[str, Any]) -> list[dict[str, Any]]:
    """Related articles from the understanding stage; until it exists, other outlets on the same story."""
    limit = site.settings.web_related_limit
    ids = other_stages.related_article_ids(site.engine, article["id"], limit)
    with site.engine.connect() as conn:
        if ids is not None:
            return read_models.briefs(conn, [i for i in ids if i != article["id"]][:limit])
        if article.get("story_id"):
            return read_models.same_story_briefs(conn, article["story_id"], article.get("outlet"), limit)
    return []
