"""The sources page: every source with its health, a page at a time; add one by URL; import and export OPML.

Adding and importing go through ``newsdesk.tasks.commands`` (the same functions as the CLI). Only an admin reaches
these handlers (the route table says so); forms are same-origin only. A refused add or import answers the page
itself with a 4xx status, the reason in words and what the admin typed; a done one redirects (post/redirect/get)
with a message. One source's own page (edit, pause, refresh, remove) is in ``pages.source_manage``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.fetch.errors import FetchError
from newsdesk.store import read_models, source_health
from newsdesk.tasks import commands
from newsdesk.web.http.origin import same_origin
from newsdesk.web.http.params import BIGINT_MAX, int_param, small_form
from newsdesk.web.http.responses import render_page
from newsdesk.web.http.upload import UploadRefused, UploadTooLarge, read_upload
from newsdesk.web.pages.source_errors import AddFailure, add_failure, web_address_problem
from newsdesk.web.site import Site, site_of

MAX_OPML_BYTES = 5 * 1024 * 1024  # 10k sources of OPML is about 2 MB
PAGE_SIZE = 100  # sources per page: a 10k-source install must not render one 4 MB page
MAX_PAGE = BIGINT_MAX // PAGE_SIZE  # past this the OFFSET would not fit a BIGINT
MAX_URL = 2048
IMPORT_COUNTS = ("outlines", "created", "known")
MAX_REFUSED_SHOWN = 50  # refused outlines listed after an import (the count says how many there were)


def page_number(request: Request) -> int:
    """The page asked for; anything that is not a page number (or is past any store's size) is page 1."""
    return int_param(request.query_params.get("page", "1"), minimum=1, maximum=MAX_PAGE) or 1


def sources_page(request: Request) -> Response:
    return list_page(request)


def list_page(request: Request, status: int = 200, **problems: Any) -> Response:
    """The list with its forms; ``problems`` (``add_error``, ``typed_url``, ``import_error``, ``import_detail``)
    explain a refused form."""
    site = site_of(request)
    page = page_number(request)
    with site.engine.connect() as conn:
        rows = read_models.source_list(conn, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        total = read_models.source_count(conn)
        failing = source_health.failing_sources(conn) if page == 1 else []
        failing_total = source_health.failing_count(conn) if failing else 0
    params = request.query_params
    return render_page(request, "sources.html", {
        "sources": rows, "total": total, "page": page, "more": page * PAGE_SIZE < total,
        "message": params.get("message", ""), "imported": _import_counts(params), "refused": [], "refused_count": 0,
        "kept": int_param(params.get("kept")) or 0, "packs_added": int_param(params.get("packs")) or 0,
        "max_opml_mb": MAX_OPML_BYTES // (1024 * 1024), "failing": failing, "failing_total": failing_total,
        "add_error": None, "typed_url": "", "import_error": "", "import_detail": "", **problems,
    }, status)


def _import_counts(params: Mapping[str, str]) -> dict[str, int] | None:
    counts = {name: int_param(params.get(name)) for name in IMPORT_COUNTS}
    return None if None in counts.values() else counts  # type: ignore[return-value]


async def add_source_action(request: Request) -> Response:
    site = site_of(request)
    if not same_origin(request):
        return PlainTextResponse("forbidden", status_code=403)
    form = await small_form(request)
    url = str(form.get("url", "")).strip()[:MAX_URL]
    problem = web_address_problem(url)
    if problem is None:
        try:
            added = await run_in_threadpool(commands.add_source, site.engine, site.settings, url)
        except (FetchError, ValueError) as exc:  # ValueError: SourceError (no feed found, unusable URL)
            problem = add_failure(exc)
        else:
            message = "added" if added.created else "known"
            return RedirectResponse(f"/sources/{added.id}?message={message}", status_code=303)
    return await run_in_threadpool(_refused_add, request, problem, url)


def _refused_add(request: Request, problem: AddFailure, url: str) -> Response:
    return list_page(request, 422, add_error=problem, typed_url=url)


async def import_opml_action(request: Request) -> Response:
    site = site_of(request)
    if not same_origin(request):
        return PlainTextResponse("forbidden", status_code=403)
    try:
        upload = await read_upload(request, "opml", MAX_OPML_BYTES)
    except UploadTooLarge:
        return await run_in_threadpool(lambda: list_page(request, 413, import_error="too-large"))
    except UploadRefused as exc:
        detail = str(exc)
        return await run_in_threadpool(lambda: list_page(request, 400, import_error="bad-upload",
                                                         import_detail=detail))
    if not upload.data.strip():
        return RedirectResponse("/sources?message=empty", status_code=303)
    try:
        result = await run_in_threadpool(_import_bytes, site, upload.data)
    except ValueError as exc:  # OpmlError: not OPML, or unsafe XML
        detail = str(exc)
        return await run_in_threadpool(lambda: list_page(request, 422, import_error="bad-opml",
                                                         import_detail=detail))
    numbers = {name: int(getattr(result, name, 0) or 0) for name in IMPORT_COUNTS}
    refused = list(getattr(result, "refused", ()))
    if refused:  # too many words for a redirect's query: the result page itself, listing what was refused and why
        return await run_in_threadpool(lambda: list_page(request, 200, message="imported", imported=numbers,
                                                         refused=refused[:MAX_REFUSED_SHOWN],
                                                         refused_count=len(refused)))
    counts = "&".join(f"{name}={number}" for name, number in numbers.items())
    return RedirectResponse(f"/sources?message=imported&{counts}", status_code=303)


def _import_bytes(site: Site, data: bytes) -> commands.OpmlImport:
    """The import command reads a file: hand it the upload through a temporary one."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-opml-") as folder:
        path = Path(folder) / "upload.opml"
        path.write_bytes(data)
        return commands.import_opml(site.engine, path)


def export_opml_action(request: Request) -> Response:
    site = site_of(request)
    body = commands.export_opml(site.engine)
    return Response(body, media_type="text/x-opml",
                    headers={"Content-Disposition": 'attachment; filename="newsdesk-sources.opml"',
                             "Cache-Control": "private, no-store"})  # an admin's download: no shared cache keeps it
