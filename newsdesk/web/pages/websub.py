"""The WebSub callback, ``/websub/{token}``: a hub verifies our intent (GET) and pushes new content (POST).

Open to anyone by necessity (a hub has no account), so each request proves itself instead: the token names one
subscription; a verification is answered with its challenge only when it matches a request of ours for that
topic (404 otherwise); a push is taken only when its ``X-Hub-Signature`` is the HMAC of the body with that
subscription's secret (403 otherwise, nothing stored), and only up to ``websub_max_body`` bytes (413). A taken
push answers 202 at once and is stored right after, in the background, through the ingest path.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from newsdesk.sources.websub import signature_valid
from newsdesk.store import websub as websub_store
from newsdesk.store.sources import get_source
from newsdesk.tasks.commands import store_pushed_feed
from newsdesk.web.site import site_of

TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_CHALLENGE = 1024


def _text(body: str, status: int) -> Response:
    return PlainTextResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _lease(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def verify_intent(request: Request) -> Response:
    """The hub's GET: echo ``hub.challenge`` for a request we made, 404 for anything else."""
    token, params = request.path_params["token"], request.query_params
    mode, topic = params.get("hub.mode", ""), params.get("hub.topic", "")
    if not TOKEN.match(token) or not topic:
        return _text("unknown subscription", 404)
    engine = site_of(request).engine
    with engine.begin() as conn:
        if mode == "denied":
            known = websub_store.deny(conn, token, topic, params.get("hub.reason", ""))
            return _text("noted", 200) if known else _text("unknown subscription", 404)
        challenge = params.get("hub.challenge", "")
        if mode not in ("subscribe", "unsubscribe") or not challenge or len(challenge) > MAX_CHALLENGE:
            return _text("not a verification of intent", 404)
        accepted = websub_store.verify(conn, token, mode, topic, _lease(params.get("hub.lease_seconds")),
                                       datetime.now(UTC))
    return _text(challenge, 200) if accepted else _text("no such request", 404)


async def receive_push(request: Request) -> Response:
    """A push: signed, bounded, for a live subscription; stored in the background after the 202."""
    site, token = site_of(request), request.path_params["token"]
    sub = await run_in_threadpool(_live_subscription, request, token) if TOKEN.match(token) else None
    if sub is None or sub.source_id is None:
        return _text("no such subscription", 410)
    limit = site.settings.websub_max_body
    body = await _capped_body(request, limit)
    if body is None:
        return _text(f"push body over {limit:,} bytes", 413)
    if not signature_valid(sub.secret, body, request.headers.get("x-hub-signature")):
        return _text("missing or wrong X-Hub-Signature", 403)
    now = datetime.now(UTC)
    await run_in_threadpool(_record, request, sub.id, now)
    task = BackgroundTask(store_pushed_feed, site.engine, site.settings, sub.source_id, body,
                          request.headers.get("content-type"))
    return PlainTextResponse("accepted", status_code=202, background=task)


def _live_subscription(request: Request, token: str) -> websub_store.Subscription | None:
    with site_of(request).engine.connect() as conn:
        sub = websub_store.by_token(conn, token)
        if sub is None or sub.state != "active" or sub.source_id is None:
            return None
        return sub if get_source(conn, sub.source_id) is not None else None


def _record(request: Request, sub_id: int, now: datetime) -> None:
    settings = site_of(request).settings
    with site_of(request).engine.begin() as conn:
        websub_store.record_push(conn, sub_id, now, settings.websub_poll_interval)


async def _capped_body(request: Request, limit: int) -> bytes | None:
    """The body, or None once it passes ``limit`` bytes. A body up to twice the limit is read to its end and thrown
    away, so the hub gets its 413 on a clean connection; a larger one (or a Content-Length saying so) is cut off."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > 2 * limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > 2 * limit:
            return None
        if size <= limit:
            chunks.append(chunk)
    return b"".join(chunks) if size <= limit else None
