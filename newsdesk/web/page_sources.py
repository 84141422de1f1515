"""The sources page: every source with its health; add one by URL; import and export OPML.

Adding and importing go through ``newsdesk.tasks.commands`` (the same functions as the CLI) when that module is
installed. Forms are same-origin only: a POST whose Origin header names another site is refused.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.store import read_models
from newsdesk.web import other_stages
from newsdesk.web.origin import same_origin
from newsdesk.web.responses import render_page
from newsdesk.web.site import Site, site_of

MAX_OPML_BYTES = 5 * 1024 * 1024  # 10k sources of OPML is about 2 MB
PAGE_SIZE = 100  # sources per page: a 10k-source install must not render one 4 MB page


def sources_page(request: Request) -> Response:
    site = site_of(request)
    try:
        page = max(int(request.query_params.get("page", "1")), 1)
    except ValueError:
        page = 1
    with site.engine.connect() as conn:
        rows = read_models.source_list(conn, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        total = read_models.source_count(conn)
    return render_page(request, "sources.html", {
        "sources": rows, "total": total, "page": page, "more": page * PAGE_SIZE < total,
        "message": request.query_params.get("message", ""),
        "can_add": other_stages.source_command("add_source") is not None,
        "can_import": other_stages.source_command("import_opml") is not None,
        "can_export": other_stages.source_command("export_opml") is not None,
    })


async def add_source_action(request: Request) -> Response:
    site = site_of(request)
    command = other_stages.source_command("add_source")
    if not same_origin(request) or command is None:
        return Response("forbidden", status_code=403)
    async with request.form() as form:
        url = str(form.get("url", "")).strip()
    if not url.startswith(("http://", "https://")):
        return RedirectResponse("/sources?message=bad-url", status_code=303)
    try:
        await run_in_threadpool(command, site.engine, site.settings, url)
    except ValueError:  # SourceError: no feed found, unusable URL
        return RedirectResponse("/sources?message=not-added", status_code=303)
    return RedirectResponse("/sources?message=added", status_code=303)


async def import_opml_action(request: Request) -> Response:
    site = site_of(request)
    command = other_stages.source_command("import_opml")
    if not same_origin(request) or command is None:
        return Response("forbidden", status_code=403)
    async with request.form(max_part_size=MAX_OPML_BYTES) as form:
        upload = form.get("opml")
        data = await upload.read() if hasattr(upload, "read") else b""
    if not data:
        return RedirectResponse("/sources?message=empty", status_code=303)
    try:
        await run_in_threadpool(_import_bytes, command, site, data)
    except ValueError:  # OpmlError: not OPML
        return RedirectResponse("/sources?message=bad-opml", status_code=303)
    return RedirectResponse("/sources?message=imported", status_code=303)


def _import_bytes(command: Callable[..., Any], site: Site, data: bytes) -> None:
    """The import command reads a file: hand it the upload through a temporary one."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-opml-") as folder:
        path = Path(folder) / "upload.opml"
        path.write_bytes(data)
        command(site.engine, path)


def export_opml_action(request: Request) -> Response:
    site = site_of(request)
    command = other_stages.source_command("export_opml")
    if command is None:
        return Response("not available", status_code=404)
    body = command(site.engine)
    return Response(body, media_type="text/x-opml",
                    headers={"Content-Disposition": 'attachment; filename="newsdesk-sources.opml"'})
