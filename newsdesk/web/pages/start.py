"""The first-run page: an admin picks editions and topics from the starter packs, and their feeds are added.

Offered on the sources page and the home page while there are no sources. Packs already added are shown as such.
The form is a same-origin POST of pack slugs; an empty choice or a slug no pack has answers the page itself
(422, nothing added); a done one redirects to the sources page with how many packs were added.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.sources.packs import Catalog, Pack, UnknownPack
from newsdesk.store import packs as pack_store
from newsdesk.web.http.origin import same_origin
from newsdesk.web.http.params import small_form
from newsdesk.web.http.responses import render_page
from newsdesk.web.site import site_of

MAX_CHOSEN = 200  # the catalog holds 197 packs


def start_page(request: Request) -> Response:
    return _page(request, 200, problem="", chosen=())


def _page(request: Request, status: int, *, problem: str, chosen: Sequence[str]) -> Response:
    site = site_of(request)
    catalog = Catalog.shipped()
    with site.engine.connect() as conn:
        installed = pack_store.installed_packs(conn)
    context: dict[str, Any] = {"editions": catalog.of_kind("edition"), "topics": catalog.of_kind("topic"),
                               "installed": installed, "problem": problem, "chosen": set(chosen)}
    return render_page(request, "start.html", context, status, private=True)


async def start_action(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse("cross-site request refused", status_code=403)
    form = await small_form(request)
    slugs = [str(value) for value in form.getlist("pack")][:MAX_CHOSEN]
    catalog = Catalog.shipped()
    try:
        chosen = [catalog.find(slug) for slug in slugs]
    except UnknownPack:
        return await run_in_threadpool(_page, request, 422, problem="unknown", chosen=slugs)
    if not chosen:
        return await run_in_threadpool(_page, request, 422, problem="empty", chosen=())
    await run_in_threadpool(_add_packs, request, chosen)
    return RedirectResponse(f"/sources?message=packs&packs={len(chosen)}", status_code=303)


def _add_packs(request: Request, chosen: Sequence[Pack]) -> None:
    engine = site_of(request).engine
    for pack in chosen:
        with engine.begin() as conn:
            pack_store.add_pack(conn, pack)
