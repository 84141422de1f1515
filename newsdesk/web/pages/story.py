"""The story page ("full coverage"): summary with citations, ask box, coverage chart, who covers it, every article.

The title is the story's most informative headline (in the reader's language when the story has one); clickbait
headlines in the list carry a flag with the rules they trip. When an LLM is configured and the story has no checked
LLM summary yet, the page shows the extractive one and streams the LLM's from ``/stories/{id}/summary/stream``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.ai.ask import MAX_QUESTION_CHARS
from newsdesk.ai.summaries import llm_configured, story_summary
from newsdesk.store import read_models
from newsdesk.store.coverage_scope import subject_reach
from newsdesk.web.http.responses import not_found, page_locale, render_page
from newsdesk.web.pages import coverage
from newsdesk.web.pages.follow import follow_context
from newsdesk.web.pages.grouping import grouping_context
from newsdesk.web.pages.prefs import reader_allows_llm
from newsdesk.web.pages.social import social_context
from newsdesk.web.site import Site, site_of


def story_page(request: Request) -> Response:
    context = story_context(request, request.path_params["story_id"])
    if isinstance(context, Response):
        return context
    return render_page(request, "story.html", context)


def story_context(request: Request, story_id: int) -> dict[str, Any] | Response:
    """Everything story.html needs, or the response to send instead (not found, merged story)."""
    site = site_of(request)
    with site.engine.connect() as conn:
        story = read_models.story(conn, story_id)
        if story and story.get("merged_into"):
            return RedirectResponse(f"/stories/{story['merged_into']}", status_code=301)
        items = read_models.story_articles(conn, story_id, site.settings.web_story_articles) if story else []
        reach = subject_reach(conn, (story or {}).get("topics") or [])
    if story is None:
        return not_found(request, f"story {story_id}")
    by = "region" if request.query_params.get("by") == "region" else "language"
    llm_on = reader_allows_llm(request)
    summary = story_summary(site.engine, site.settings, story_id, allow_llm=llm_on)
    site.headlines.flag_clickbait(items)
    headline = site.headlines.story_headline(items, page_locale(request)[0])
    return {
        "story": story, "articles": items, "by": by, "headline": headline,
        "chart": coverage.coverage_chart(items, key=by),
        "who": coverage.who_covers(items, reach.regions),
        "silent_languages": [code for code in reach.languages if code not in {a.get("language") for a in items}],
        "groups": coverage.group_articles(items),
        "summary": cited_summary(summary, items),
        "stream_summary": llm_on and wants_llm_stream(site, summary), "ask_max_chars": MAX_QUESTION_CHARS,
        "llm_choice": {"configured": llm_configured(site.settings), "on": llm_on},
        **social_context(request, story_id=story_id), "grouping": grouping_context(request, story_id, items),
        **follow_context(request, story_id),
    }


def wants_llm_stream(site: Site, summary: dict[str, Any] | None) -> bool:
    """True when the page should stream an LLM summary: one is configured and none is cached for the story."""
    return summary is not None and bool(summary) and llm_configured(site.settings) and summary.get("engine") != "llm"


def _chips(citations: list[Any], by_id: dict[int, dict[str, Any]], numbers: dict[int, int]) -> list[dict[str, Any]]:
    chips = []
    for cited in citations:
        article = by_id.get(int(cited))
        if article is not None:
            chips.append({"number": numbers.setdefault(article["id"], len(numbers) + 1), "article": article})
    return chips


def cited_summary(summary: dict[str, Any] | None, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Summary sentences (and LLM perspectives and timeline) with numbered citation chips; each number points at
    one article of the story, numbered in order of first citation."""
    sentences = (summary or {}).get("sentences") or []
    if not sentences:
        return None
    by_id = {a["id"]: a for a in items}
    numbers: dict[int, int] = {}
    out: dict[str, Any] = {}
    for part in ("sentences", "perspectives", "timeline"):
        out[part] = [{"text": entry.get("text", ""), "chips": _chips(entry.get("citations", []), by_id, numbers)}
                     for entry in (summary or {}).get(part) or [] if isinstance(entry, dict)]
    sources = sorted(((n, by_id[a]) for a, n in numbers.items()), key=lambda na: na[0])
    by_outlet: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, article in sources:
        by_outlet.setdefault(article.get("outlet") or "", []).append((number, article))
    summary = summary or {}
    return {**out, "sources": sources, "source_outlets": list(by_outlet.items()),
            "ai_generated": bool(summary.get("ai_generated")), "label": summary.get("label") or "",
            "model": summary.get("model") or "",
            "engine": summary.get("engine") or "extractive", "llm_status": summary.get("llm_status") or ""}
