"""Ask about this story: the story page's question box (a form POST, enhanced with fetch) and its JSON API.

``POST /stories/{id}/ask`` answers with an HTML fragment when the page's script asks for one (header
``X-Requested-With: fetch``), and with the whole story page, the answer in place, when a browser without script
submits the form. ``POST /api/v1/stories/{id}/ask`` answers JSON (``{"question": ...}`` or a form body).

Both refuse cross-site browser requests (CSRF, see :mod:`newsdesk.web.http.origin`). The body and the question are
bounded (``newsdesk.ai.ask.MAX_QUESTION_CHARS``) and must be plain text (``params.is_plain_text``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from newsdesk.ai.ask import MAX_QUESTION_CHARS, ask_story
from newsdesk.store import read_models
from newsdesk.web.http.origin import same_origin
from newsdesk.web.http.params import is_plain_text
from newsdesk.web.http.responses import json_response, not_found, render_page, render_text
from newsdesk.web.pages.story import story_context
from newsdesk.web.site import site_of

MAX_BODY_BYTES = 16 * 1024  # a form with a question of MAX_QUESTION_CHARS, percent-encoded, fits many times


class Refused(Exception):
    """A request the ask endpoints will not answer: HTTP status and a short reason code."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_question(request: Request) -> str:
    """The question from a JSON or form body, whitespace collapsed; raises Refused when the request is refused."""
    if not same_origin(request):
        raise Refused(403, "cross_origin")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refused(413, "too_long")
        chunks.append(chunk)
    body = b"".join(chunks).decode("utf-8", "replace")
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(body or "{}")
        except json.JSONDecodeError as exc:
            raise Refused(400, "bad_json") from exc
        question = data.get("question") if isinstance(data, dict) else None
    else:
        question = (parse_qs(body).get("question") or [""])[0]
    question = " ".join(str(question or "").split())
    if not is_plain_text(question):  # a lone surrogate from JSON, a NUL: no encoder downstream takes them
        raise Refused(400, "bad_text")
    if not question:
        raise Refused(422, "empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise Refused(413, "too_long")
    return question


def answer_view(question: str, result: dict[str, Any]) -> dict[str, Any]:
    """The answer for the template: sentences with numbered citation chips (outlet, link) and the passages."""
    passages = result.get("passages") or []
    source_of = {p["article_id"]: p for p in passages}
    numbers: dict[int, int] = {}
    sentences = []
    for item in result.get("answer") or []:
        chips = []
        for article_id in item.get("citations") or []:
            passage = source_of.get(article_id, {})
            chips.append({"number": numbers.setdefault(article_id, len(numbers) + 1), "article_id": article_id,
                          "outlet": passage.get("outlet") or "", "url": passage.get("url")})
        sentences.append({"text": item.get("text", ""), "chips": chips})
    return {"question": question, "sentences": sentences, "passages": passages,
            "ai_generated": bool(result.get("ai_generated")), "label": result.get("label") or "",
            "llm_status": result.get("llm_status") or "", "error": ""}


async def _answer(request: Request) -> tuple[int, dict[str, Any], dict[str, Any] | None]:
    """(status, view for the template, raw result) of one ask request."""
    site = site_of(request)
    story_id = request.path_params["story_id"]
    try:
        question = await read_question(request)
    except Refused as refused:
        return refused.status, {"question": "", "error": refused.reason}, None
    with site.engine.connect() as conn:
        if read_models.story(conn, story_id) is None:
            return 404, {"question": question, "error": "not_found"}, None
    result = await run_in_threadpool(ask_story, site.engine, site.settings, story_id, question)
    if result is None:
        return 503, {"question": question, "error": "unavailable"}, None
    return 200, answer_view(question, result), result


async def ask_action(request: Request) -> Response:
    """The question box: an HTML fragment for the page's script, else the story page with the answer."""
    status, view, _ = await _answer(request)
    if request.headers.get("x-requested-with") == "fetch":
        fragment = render_text(request, "_ask_answer.html", {"ask": view, "ask_max_chars": MAX_QUESTION_CHARS})
        return HTMLResponse(fragment, status_code=status, headers={"Cache-Control": "no-store"})
    if status == 404:
        return not_found(request, f"story {request.path_params['story_id']}")
    context = await run_in_threadpool(story_context, request, request.path_params["story_id"])
    if isinstance(context, Response):
        return context
    return render_page(request, "story.html", {**context, "ask": view}, status)


async def api_ask(request: Request) -> Response:
    """JSON: the AI stage's answer as is, or ``{"error": reason}`` with the HTTP status."""
    status, view, result = await _answer(request)
    if result is None:
        return json_response(request, {"error": view["error"], "max_question_chars": MAX_QUESTION_CHARS}, status)
    return json_response(request, {"question": view["question"], **result})
