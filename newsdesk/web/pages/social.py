"""Comments and follows in the web app: the forms' actions, what the story and article pages show of them, and the
"Following" page.

Every action needs a signed-in reader (else it goes to the sign-in page and back) and a same-site form post; it
answers with a redirect to the page it came from (post/redirect/get), where a refused comment shows its reason.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.store import read_models, social
from newsdesk.web.http.origin import same_origin
from newsdesk.web.http.params import small_form
from newsdesk.web.http.responses import not_found, render_page
from newsdesk.web.pages.follow import following_deltas
from newsdesk.web.sessions import Viewer, viewer
from newsdesk.web.site import site_of


def social_context(request: Request, *, story_id: int | None = None, article_id: int | None = None) -> dict[str, Any]:
    """What a story or article page shows of comments and follows (marks a followed story as seen)."""
    site = site_of(request)
    me = viewer(request)
    with site.engine.connect() as conn:  # a read for most readers; a write only for a follower's visit
        found = social.comments_on(conn, story_id=story_id, article_id=article_id)
        following = bool(me and story_id is not None and social.is_following(conn, me.id, story_id))
        if following and me and story_id is not None:
            social.mark_seen(conn, me.id, story_id)
            conn.commit()
    target = f"/stories/{story_id}" if story_id is not None else f"/articles/{article_id}"
    return {"comments": found, "comment_action": f"{target}/comments", "following": following,
            "comment_error": request.query_params.get("comment_error", "")}


def _back(path: str, error: str = "") -> RedirectResponse:
    return RedirectResponse(path + (f"?comment_error={error}" if error else "") + "#comments", status_code=303)


def _signed_in(request: Request, back: str) -> Viewer | Response:
    if not same_origin(request):
        return PlainTextResponse("cross-site request refused", status_code=403)
    me = viewer(request)
    if me is None:
        return RedirectResponse(f"/login?next={quote(back)}", status_code=303)
    return me


def signed_in_or_redirect(request: Request, back: str) -> Viewer | Response:
    """The reader of a same-site form post; else a 403 (cross-site) or a redirect to sign in and back to ``back``."""
    return _signed_in(request, back)


def _live_story(conn: Any, story_id: int) -> int | None:
    """The story a comment or follow goes to: the story, or the one it was merged into; None if there is none."""
    story = read_models.story(conn, story_id)
    if story is None:
        return None
    return story.get("merged_into") or story_id


def _comment(site: Any, me: Viewer, body: str, story_id: int | None, article_id: int | None) -> str | None:
    """Store a comment; returns the refusal code, "missing" when the page is gone, or None when stored."""
    with site.engine.begin() as conn:
        if story_id is not None:
            story_id = _live_story(conn, story_id)
            if story_id is None:
                return "missing"
        elif article_id is None or read_models.article(conn, article_id) is None:
            return "missing"
        try:
            social.add_comment(conn, me.id, body, story_id=story_id, article_id=article_id,
                               per_hour=site.settings.web_comments_per_hour)
        except social.CommentRefused as refused:
            return str(refused)
    return None


async def comment_action(request: Request) -> Response:
    """``POST /stories/{id}/comments`` or ``/articles/{id}/comments`` with ``body``."""
    story_id, article_id = request.path_params.get("story_id"), request.path_params.get("article_id")
    back = f"/stories/{story_id}" if story_id is not None else f"/articles/{article_id}"
    me = _signed_in(request, back)
    if isinstance(me, Response):
        return me
    body = str((await small_form(request)).get("body") or "")
    refused = await run_in_threadpool(_comment, site_of(request), me, body, story_id, article_id)
    if refused == "missing":
        return not_found(request, back.lstrip("/"))
    return _back(back, refused or "")


def _delete(site: Any, me: Viewer, comment_id: int) -> dict[str, Any] | None:
    with site.engine.begin() as conn:
        return social.delete_comment(conn, me.id, comment_id)


async def delete_comment_action(request: Request) -> Response:
    """``POST /comments/{id}/delete``: the author blanks their comment."""
    me = _signed_in(request, "/")
    if isinstance(me, Response):
        return me
    place = await run_in_threadpool(_delete, site_of(request), me, request.path_params["comment_id"])
    if place is None:
        return PlainTextResponse("not your comment", status_code=403)
    return _back(f"/stories/{place['story_id']}" if place["story_id"] else f"/articles/{place['article_id']}")


def _follow(site: Any, me: Viewer, story_id: int, on: bool) -> int | None:
    with site.engine.begin() as conn:
        live = _live_story(conn, story_id)
        if live is not None:
            social.follow(conn, me.id, live, on)
        return live


async def follow_action(request: Request) -> Response:
    """``POST /stories/{id}/follow`` with ``on=1`` (follow) or ``on=0`` (stop); ``next=/following`` goes back to
    the Following page."""
    story_id = request.path_params["story_id"]
    me = _signed_in(request, f"/stories/{story_id}")
    if isinstance(me, Response):
        return me
    form = await small_form(request)
    live = await run_in_threadpool(_follow, site_of(request), me, story_id, form.get("on") != "0")
    if live is None:
        return not_found(request, f"story {story_id}")
    back = "/following" if form.get("next") == "/following" else f"/stories/{live}"  # unfollowed from that list
    return RedirectResponse(back, status_code=303)


def following_page(request: Request) -> Response:
    """``GET /following``: the reader's followed stories, with what is new since they last looked."""
    me = viewer(request)
    if me is None:
        return RedirectResponse("/login?next=/following", status_code=303)
    site = site_of(request)
    with site.engine.connect() as conn:
        stories = social.followed_stories(conn, me.id)
    deltas = following_deltas(site, me.id, [s["id"] for s in stories])
    return render_page(request, "following.html", {"stories": stories, "deltas": deltas})
