"""The account page's reader-app options: fold each story's wire copies into one item in the Google Reader and
Fever APIs (``newsdesk.store.story_folding``)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.store import story_folding
from newsdesk.web.http.origin import same_origin
from newsdesk.web.http.params import small_form
from newsdesk.web.sessions import viewer
from newsdesk.web.site import site_of


def reader_app_context(request: Request) -> dict[str, Any]:
    """What the account page shows of the options (the signed-in reader's)."""
    me = viewer(request)
    if me is None:
        return {"fold_copies": False}
    with site_of(request).engine.connect() as conn:
        return {"fold_copies": story_folding.folds_copies(conn, me.id)}


async def fold_copies_action(request: Request) -> Response:
    """``POST /account/reader-apps``: fold wire copies (checkbox ``fold_copies``) or not."""
    if not same_origin(request):
        return PlainTextResponse("cross-site request refused", status_code=403)
    form = await small_form(request)
    me = viewer(request)
    if me is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    on = form.get("fold_copies") == "1"

    def store() -> None:
        with site_of(request).engine.begin() as conn:
            story_folding.set_fold_copies(conn, me.id, on)

    await run_in_threadpool(store)
    return RedirectResponse("/account?message=reader_apps#apps-title", status_code=303)
