"""Save for later: the Save button's action on an article and the "Saved" page. Per account, and the same mark as
the reader apps' starred items, so an article starred in NetNewsWire or Reeder is on the Saved page too.

The action needs a signed-in reader (else it goes to the sign-in page and back to the article) and a same-site form
post; it answers with a redirect to the article, or to the Saved page when saved from there."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.store import read_models, reading, saved
from newsdesk.web.http.params import small_form
from newsdesk.web.http.responses import not_found, render_page
from newsdesk.web.pages.social import signed_in_or_redirect
from newsdesk.web.sessions import Viewer, viewer
from newsdesk.web.site import site_of

SAVED_PAGE = "/saved"
SAVED_PAGE_SIZE = 100


def save_state(request: Request, article_id: int) -> dict[str, Any]:
    """What an article page shows of saving: whether the reader saved it (False when signed out)."""
    me = viewer(request)
    if me is None:
        return {"saved": False}
    with site_of(request).engine.connect() as conn:
        return {"saved": saved.is_saved_by(conn, me.id, article_id)}


def _save(request: Request, me: Viewer, article_id: int, on: bool) -> bool:
    with site_of(request).engine.begin() as conn:
        if read_models.article(conn, article_id) is None:
            return False
        reading.mark_saved(conn, me.id, [article_id], on)
    return True


async def save_action(request: Request) -> Response:
    """``POST /articles/{id}/save`` with ``on=1`` (save) or ``on=0`` (remove from Saved); ``next=/saved`` goes back
    to the Saved page."""
    article_id = request.path_params["article_id"]
    me = signed_in_or_redirect(request, f"/articles/{article_id}")
    if isinstance(me, Response):
        return me
    form = await small_form(request)
    if not await run_in_threadpool(_save, request, me, article_id, form.get("on") != "0"):
        return not_found(request, f"article {article_id}")
    back = SAVED_PAGE if form.get("next") == SAVED_PAGE else f"/articles/{article_id}"
    return RedirectResponse(back, status_code=303)


def saved_page(request: Request) -> Response:
    """``GET /saved``: the reader's saved articles, the most recently saved first."""
    me = viewer(request)
    if me is None:
        return RedirectResponse(f"/login?next={SAVED_PAGE}", status_code=303)
    with site_of(request).engine.connect() as conn:
        items = saved.saved_articles(conn, me.id, SAVED_PAGE_SIZE)
    return render_page(request, "saved.html", {"items": items})
