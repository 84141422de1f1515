"""One source's page for an admin: its health, and the forms to edit it, pause or resume it, refresh it now and
remove it (after a confirmation page that says what stays).

Every action is a same-origin POST answered with a redirect back to the page and a message (post/redirect/get);
an edit with a refused field answers the page itself (422) with the reasons and what was typed. Pausing keeps
the source and its articles but makes it never due; refreshing makes it due now, so the scheduler's next step
(at most ``IDLE_SECONDS`` away) fetches it; removing deletes the source and its schedule, and keeps its articles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.store import sources as source_store
from newsdesk.store.db import Connection
from newsdesk.web.http.origin import same_origin
from newsdesk.web.http.params import small_form
from newsdesk.web.http.responses import not_found, render_page
from newsdesk.web.pages.source_forms import EditForm, parse_edit_form, typed_values
from newsdesk.web.site import site_of


def _source_id(request: Request) -> int:
    return int(request.path_params["source_id"])


def _refused() -> Response:
    return PlainTextResponse("cross-site request refused", status_code=403)


def _back(source_id: int, message: str) -> Response:
    return RedirectResponse(f"/sources/{source_id}?message={message}", status_code=303)


def source_page(request: Request) -> Response:
    with site_of(request).engine.connect() as conn:
        source = source_store.source_detail(conn, _source_id(request))
    if source is None:
        return not_found(request, request.url.path)
    return _manage_page(request, source)


def _manage_page(request: Request, source: dict[str, Any], status: int = 200, typed: dict[str, str] | None = None,
                 errors: Sequence[str] = ()) -> Response:
    return render_page(request, "source.html", {
        "source": source, "typed": typed or typed_values(source), "errors": list(errors),
        "message": request.query_params.get("message", ""),
    }, status)


async def edit_source_action(request: Request) -> Response:
    if not same_origin(request):
        return _refused()
    edit = parse_edit_form({key: str(value) for key, value in (await small_form(request)).items()})
    return await run_in_threadpool(_save_edit, request, edit)


def _save_edit(request: Request, edit: EditForm) -> Response:
    source_id = _source_id(request)
    with site_of(request).engine.begin() as conn:
        source = source_store.source_detail(conn, source_id)
        if source is None:
            return not_found(request, request.url.path)
        if edit.fields is None:
            return _manage_page(request, source, 422, edit.typed, edit.errors)
        fields = edit.fields
        source_store.update_source(conn, source_id, name=fields.name, language=fields.language,
                                   region=fields.region, topics=fields.topics)
    return _back(source_id, "updated")


def _state_change(request: Request, change: Callable[[Connection, int, datetime], bool],
                  done: str, not_done: str) -> Response:
    """Apply ``change`` to the source; message ``done``, or ``not_done`` when it did not apply."""
    if not same_origin(request):
        return _refused()
    source_id = _source_id(request)
    with site_of(request).engine.begin() as conn:
        if source_store.source_detail(conn, source_id) is None:
            return not_found(request, request.url.path)
        changed = change(conn, source_id, datetime.now(UTC))
    return _back(source_id, done if changed else not_done)


def pause_source_action(request: Request) -> Response:
    return _state_change(request, source_store.pause_source, "paused", "paused")


def resume_source_action(request: Request) -> Response:
    return _state_change(request, lambda conn, source_id, _now: source_store.resume_source(conn, source_id),
                         "resumed", "resumed")


def refresh_source_action(request: Request) -> Response:
    return _state_change(request, source_store.refresh_source, "refreshing", "refresh-paused")


def remove_confirm_page(request: Request) -> Response:
    source_id = _source_id(request)
    with site_of(request).engine.connect() as conn:
        source = source_store.source_detail(conn, source_id)
        kept = source_store.articles_delivered(conn, source_id) if source else 0
    if source is None:
        return not_found(request, request.url.path)
    return render_page(request, "source_remove.html", {"source": source, "articles": kept})


def remove_source_action(request: Request) -> Response:
    if not same_origin(request):
        return _refused()
    with site_of(request).engine.begin() as conn:
        kept = source_store.remove_source(conn, _source_id(request))
    if kept is None:
        return not_found(request, request.url.path)
    return RedirectResponse(f"/sources?message=removed&kept={kept}", status_code=303)
