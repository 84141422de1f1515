"""``GET /stories/{id}/summary/stream``: the LLM summary of a story as server-sent events.

Events: ``delta`` (JSON string: a piece of the model's draft, shown as it is written) and one final ``summary``
(JSON: ``{"html", "engine", "ai_generated", "llm_status"}``; ``html`` is the summary panel rendered like the story
page renders it: the checked LLM summary labelled "AI-generated", or the extractive one when the model's reply
failed the grounding check, was over budget or did not come). The generator runs in Starlette's thread pool.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from newsdesk.ai.summaries import story_summary, stream_story_summary
from newsdesk.store import read_models
from newsdesk.web.http.responses import not_found, render_text
from newsdesk.web.pages.prefs import reader_allows_llm
from newsdesk.web.pages.story import cited_summary
from newsdesk.web.site import site_of


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def summary_stream(request: Request) -> Response:
    site = site_of(request)
    story_id = request.path_params["story_id"]
    with site.engine.connect() as conn:
        story = read_models.story(conn, story_id)
        items = read_models.story_articles(conn, story_id, site.settings.web_story_articles) if story else []
    if story is None:
        return not_found(request, f"story {story_id}")

    def events() -> Iterator[str]:
        yield ": stream open\n\n"  # the browser sees the response start before the model's first token
        stream = (stream_story_summary(site.engine, site.settings, story_id) if reader_allows_llm(request)
                  else iter([{"summary": story_summary(site.engine, site.settings, story_id, allow_llm=False)}]))
        for event in stream:
            if "delta" in event:
                yield _event("delta", event["delta"])
                continue
            payload = event.get("summary") or {}
            summary = cited_summary(payload, items)
            html = render_text(request, "_summary.html", {"summary": summary, "stream_summary": False,
                                                          "story": story}) if summary else ""
            yield _event("summary", {"html": html, "engine": payload.get("engine"),
                                     "ai_generated": bool(payload.get("ai_generated")),
                                     "llm_status": payload.get("llm_status") or ""})

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
