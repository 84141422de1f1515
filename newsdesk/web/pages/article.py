"""The article page: headline once (flagged when it reads as clickbait), outlet, byline, time, clean body, link to
the original, and related articles (other outlets on the same story first, then nearby stories)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store import read_models
from newsdesk.store.related import related_articles
from newsdesk.web.http.responses import not_found, render_page
from newsdesk.web.pages.saved import save_state
from newsdesk.web.pages.social import social_context
from newsdesk.web.site import Site, site_of


def article_page(request: Request) -> Response:
    site = site_of(request)
    article_id = request.path_params["article_id"]
    with site.engine.connect() as conn:
        article = read_models.article(conn, article_id)
        story = read_models.story(conn, article["story_id"]) if article and article.get("story_id") else None
    if article is None:
        return not_found(request, f"article {article_id}")
    site.headlines.flag_clickbait([article])
    related = related_items(site, article)
    return render_page(request, "article.html", {
        "article": article, "story": story,
        "same_story": [r for r in related if story and r.get("story_id") == story["id"]],
        "elsewhere": [r for r in related if not story or r.get("story_id") != story["id"]],
        **social_context(request, article_id=article_id), **save_state(request, article_id),
    })


def related_items(site: Site, article: dict[str, Any]) -> list[dict[str, Any]]:
    """Related articles from the understanding stage (same story first), with their images."""
    limit = site.settings.web_related_limit
    found = [r for r in related_articles(site.engine, article["id"], limit) if r["id"] != article["id"]][:limit]
    with site.engine.connect() as conn:
        images = read_models.image_urls(conn, [r["id"] for r in found])
    return [{**r, "image_url": images.get(r["id"])} for r in found]
