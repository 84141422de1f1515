"""Story grouping people can see into and correct: "why these are together" on the story page and in the JSON API,
and moderators' corrections (move an article, split a story, merge two, undo) as form actions.

Reasons are stored per article when the clusterer places it (``newsdesk.understand.reasons``); here each becomes a
list of points (``code`` plus values) that ``_grouping.html`` words in the reader's language, the same words the
API returns as text. Corrections go through ``newsdesk.understand.corrections``; each action needs a moderator
(the route table's role) and a same-site form, and answers with a redirect to the story it leaves the reader on.
"""

from __future__ import annotations

import html
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.store import grouping
from newsdesk.understand.corrections import CorrectionRefused, merge_stories, move_article, split_story, undo
from newsdesk.web.http.origin import same_origin
from newsdesk.web.http.params import int_param, small_form
from newsdesk.web.http.responses import render_page, render_text
from newsdesk.web.sessions import viewer
from newsdesk.web.site import site_of

END_OF_ARTICLE = "~~~"  # ends each article's sentences in _grouping_text.html
STRONG, CLEAR = 4.0, 1.5  # log-odds above which a join is worded "strong" / "clear" (below: "narrow")


def reason_points(reason: dict[str, Any] | None, story_id: int, by_id: dict[int, dict[str, Any]]) -> list[dict]:
    """What to say about one article's place in story ``story_id`` (``by_id``: the story's articles)."""
    if reason is None:
        return [{"code": "unknown"}]
    kind = reason["kind"]
    if kind == "copy":
        original = by_id.get(reason["copy_of"] or -1) or {}
        return [{"code": "copy", "outlet": original.get("outlet") or "", "article_id": reason["copy_of"]}]
    if kind == "corrected":
        return [{"code": "corrected", "correction": (reason["evidence"] or {}).get("correction")}]
    points = [{"code": kind}] if kind in ("first", "linked") else _joined_points(reason)
    if reason["story_id"] not in (None, story_id):
        points.append({"code": "merged", "story_id": reason["story_id"]})
    return points


def _joined_points(reason: dict[str, Any]) -> list[dict]:
    evidence = reason["evidence"] or {}
    points: list[dict] = [{"code": "similarity", "percent": round(100 * max(evidence.get("centroid", 0.0), 0.0))}]
    if reason["shared_names"]:
        points.append({"code": "names", "names": ", ".join(reason["shared_names"])})
    if reason["shared_terms"]:
        points.append({"code": "terms", "terms": ", ".join(reason["shared_terms"])})
    if "gap_hours" in evidence:
        points.append({"code": "time", "hours": round(evidence["gap_hours"])})
    score = reason["score"] or 0.0
    points.append({"code": "strength", "level": "strong" if score > STRONG else "clear" if score > CLEAR
                   else "narrow"})
    return points


def story_reasons(conn: Any, story_id: int, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each article of the story with the points that say why it is there."""
    by_id = {a["id"]: a for a in items}
    found = grouping.reasons_of(conn, list(by_id))
    return [{"article": a, "reason": found.get(a["id"]), "points": reason_points(found.get(a["id"]), story_id, by_id)}
            for a in items]


def grouping_context(request: Request, story_id: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    """What the story page shows of grouping: reasons, and for moderators the corrections made to this story."""
    site = site_of(request)
    me = viewer(request)
    moderator = bool(me and me.is_moderator)
    with site.engine.connect() as conn:
        reasons = story_reasons(conn, story_id, items)
        log = grouping.corrections_log(conn, [story_id], limit=50) if moderator else []
    return {"reasons": reasons, "moderator": moderator, "corrections": log,
            "grouping_error": request.query_params.get("grouping_error", "")[:200]}


def reasons_json(request: Request, conn: Any, story_id: int, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The API's ``grouping``: per article, the stored evidence and the same sentences as the page, in the reader's
    language (``?ui=`` or Accept-Language)."""
    reasons = story_reasons(conn, story_id, items)
    groups: list[list[str]] = [[]]
    for line in render_text(request, "_grouping_text.html", {"reasons": reasons}).splitlines():
        if line.strip() == END_OF_ARTICLE:
            groups.append([])
        elif line.strip():
            groups[-1].append(html.unescape(line.strip()))
    out = []
    for entry, words in zip(reasons, groups, strict=False):
        stored = entry["reason"] or {}
        out.append({"article_id": entry["article"]["id"], "kind": stored.get("kind", "unknown"),
                    "score": stored.get("score"), "evidence": stored.get("evidence") or {},
                    "shared_names": stored.get("shared_names") or [], "shared_terms": stored.get("shared_terms") or [],
                    "copy_of": stored.get("copy_of"), "text": words})
    return out


async def _correct(request: Request, make: Any) -> Response:
    """Run one correction from a moderator's form: back to the story it leaves them on, or to the story with the
    reason a correction was refused."""
    if not same_origin(request):
        return PlainTextResponse("cross-site request refused", status_code=403)
    form = await small_form(request)
    site = site_of(request)
    me = viewer(request)
    if me is None:
        return RedirectResponse("/login", status_code=303)
    user_id = me.id
    story_id = request.path_params.get("story_id")

    def run() -> tuple[int | None, str]:
        with site.engine.begin() as conn:
            try:
                return make(conn, site.settings, user_id, form), ""
            except CorrectionRefused as exc:
                return None, str(exc)

    landing, error = await run_in_threadpool(run)
    if error:
        if story_id is None:
            return render_page(request, "error.html", {"status": 400}, 400)
        return RedirectResponse(f"/stories/{story_id}?grouping_error={error[:150]}#grouping", status_code=303)
    return RedirectResponse(f"/stories/{landing}#grouping", status_code=303)


def _number(form: Any, name: str) -> int:
    value = int_param(form.get(name))
    if value is None:
        raise CorrectionRefused(f"{name} must be a number")
    return value


async def move_action(request: Request) -> Response:
    """Move one article (and its wire copies) to another story."""
    def make(conn: Any, settings: Any, user_id: int, form: Any) -> int:
        to_story = _number(form, "to_story")
        move_article(conn, settings, user_id, _number(form, "article_id"), to_story)
        return to_story
    return await _correct(request, make)


async def split_action(request: Request) -> Response:
    """Split the checked articles off into a new story."""
    story_id = request.path_params["story_id"]

    def make(conn: Any, settings: Any, user_id: int, form: Any) -> int:
        chosen = [i for i in (int_param(v) for v in form.getlist("article_id")[:1000]) if i is not None]
        split_story(conn, settings, user_id, story_id, chosen)
        return story_id
    return await _correct(request, make)


async def merge_action(request: Request) -> Response:
    """Merge this story with another (the bigger keeps its id)."""
    story_id = request.path_params["story_id"]

    def make(conn: Any, settings: Any, user_id: int, form: Any) -> int:
        other = _number(form, "other_story")
        merge_stories(conn, settings, user_id, story_id, other)
        merged = grouping.story_state(conn, story_id)
        return (merged or {}).get("merged_into") or story_id
    return await _correct(request, make)


async def undo_action(request: Request) -> Response:
    """Undo one correction."""
    correction_id = request.path_params["correction_id"]

    def make(conn: Any, settings: Any, user_id: int, form: Any) -> int:
        return undo(conn, settings, user_id, correction_id)["story_id"]
    return await _correct(request, make)
