"""What a visitor and the terminal get when a handler fails: a clear answer, one log line, no traceback.

:class:`ErrorPages` is the outermost handler of exceptions (inside the security headers, outside the metrics and
the page cache). An exception no route handled becomes an error page (HTML), or ``{"error": ...}`` JSON for the
APIs, with a status that says whose problem it is:

- the database is unavailable (``OperationalError``: disk full, file locked or read-only, server gone): 503 with
  ``Retry-After``; the reader can try again, the operator has something to fix;
- the database refused a value (``DataError``: out of range for its column, NUL in PostgreSQL text): 400;
- anything else: 500.

The terminal gets one line per failure (``newsdesk.web.http.errors``: method, path, status, exception and the first
line of its message); the traceback is logged at INFO, so it shows with ``newsdesk -v`` and stays out otherwise.
Starlette's own ServerErrorMiddleware never sees these exceptions, so uvicorn prints no traceback either.
"""

from __future__ import annotations

import contextlib
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.store.db import DataError, OperationalError
from newsdesk.web.http.responses import render_page

log = logging.getLogger(__name__)

STATUS_OF_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (OperationalError, 503),
    (DataError, 400),
)
REASONS = {400: "bad request", 500: "server error", 503: "temporarily unavailable"}
JSON_PREFIXES = ("/api/", "/reader/api/", "/fever")
RETRY_AFTER_SECONDS = 60
PLAIN_PAGE = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{status} · newsdesk</title>"
              "<h1>{reason}</h1><p>The server could not answer this request. Try again in a moment.</p>"
              "<p><a href=\"/\">newsdesk</a></p></html>")


def status_for(exc: BaseException) -> int:
    """The HTTP status that tells whose problem ``exc`` is."""
    return next((status for kind, status in STATUS_OF_ERROR if isinstance(exc, kind)), 500)


def first_line(exc: BaseException, limit: int = 300) -> str:
    """The exception's message on one line (SQLAlchemy's carry the SQL on the next lines)."""
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else "")[:limit]


def log_failure(scope: Scope, status: int, exc: BaseException) -> None:
    """One line for the terminal (a warning for the client's 400, an error otherwise); the traceback only when INFO
    is on (``newsdesk -v``)."""
    log.log(logging.WARNING if status < 500 else logging.ERROR, "%s %s answered %d: %s: %s",
            scope.get("method", "?"), scope.get("path", "?"), status, type(exc).__name__, first_line(exc))
    log.info("traceback of the error above", exc_info=(type(exc), exc, exc.__traceback__))


def _render_page(request: Request, status: int) -> Response:
    try:
        return render_page(request, "error.html", {"status": status}, status)
    except Exception as exc:  # the error page must not fail in turn (the store may be what is failing)
        log.warning("error page for %d not rendered: %s: %s", status, type(exc).__name__, first_line(exc))
        return HTMLResponse(PLAIN_PAGE.format(status=status, reason=REASONS[status].capitalize()), status)


async def error_response(request: Request, status: int) -> Response:
    """The page (or JSON under the APIs) telling the client the request failed with ``status``."""
    if request.url.path.startswith(JSON_PREFIXES):
        response: Response = JSONResponse({"error": REASONS[status]}, status)
    else:
        response = await run_in_threadpool(_render_page, request, status)
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class ErrorPages:
    """Pure ASGI middleware: an exception from the app becomes :func:`error_response` and one log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started: list[bool] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.append(True)
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except ClientDisconnect:  # the client went away: nobody to answer
            return
        except Exception as exc:
            status = status_for(exc)
            log_failure(scope, status, exc)
            if started:  # the response is under way: end it, nothing more can be said
                with contextlib.suppress(Exception):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            response = await error_response(Request(scope), status)
            await response(scope, receive, send)
