"""The story page ("full coverage"): summary with citations, coverage chart, who covers it, every article."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.store import read_models
from newsdesk.web import coverage, other_stages
from newsdesk.web.responses import not_found, render_page
from newsdesk.web.site import site_of


def story_page(request: Request) -> Response:
    site = site_of(request)
    story_id = request.path_params["story_id"]
    with site.engine.connect() as conn:
        story = read_models.story(conn, story_id)
        if story and story.get("merged_into"):
            return RedirectResponse(f"/stories/{story['merged_into']}", status_code=301)
        items = read_models.story_articles(conn, story_id, site.settings.web_story_articles) if story else []
    if story is None:
        return not_found(request, f"story {story_id}")
    by = "region" if request.query_params.get("by") == "region" else "language"
    summary = other_stages.story_summary(site.engine, site.settings, story_id)
    return render_page(request, "story.html", {
        "story": story, "articles": items, "by": by,
        "chart": coverage.coverage_chart(items, key=by),
        "who": coverage.who_covers(items, site.settings.web_editions),
        "groups": coverage.group_articles(items),
        "summary": cited_summary(summary, items),
    })


def cited_summary(summary: dict[str, Any] | None, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Summary sentences with numbered citation chips; each number points at one article of the story."""
    sentences = (summary or {}).get("sentences") or []
    if not sentences:
        return None
    by_id = {a["id"]: a for a in items}
    numbers: dict[int, int] = {}
    out = []
    for sentence in sentences:
        chips = []
        for cited in sentence.get("citations", []):
            article = by_id.get(int(cited))
            if article is None:
                continue
            number = numbers.setdefault(article["id"], len(numbers) + 1)
            chips.append({"number": number, "article": article})
        out.append({"text": sentence.get("text", ""), "chips": chips})
    sources = sorted(((n, by_id[a]) for a, n in numbers.items()), key=lambda na: na[0])
    return {"sentences": out, "sources": sources, "ai_generated": bool((summary or {}).get("ai_generated"))}
