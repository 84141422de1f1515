"""One shared page for everyone, with the signed-in reader's own parts stitched in: plain ASGI middleware.

Home, search, story and article pages are the same for every reader but for a few marked parts (slots): the header's
account links, a story's follow button, an article's save button, a story's "since you last read" delta
(``story_extras``, given by the app) and the comments section (its form and delete buttons). A slot is written
into the page as ``<!--nd-slot:NAME-->…<!--/nd-slot-->`` around what a signed-out visitor sees. For a signed-in
request to such a page this middleware:

1. asks the app inside (the micro-cache, then the handlers) for the page *without* the session cookie, so the page
   is the shared one, served from the micro-cache when it holds it and cached for everyone when it does not; the
   handlers never see who is reading, so nothing of one reader can reach another's page through the cache;
2. looks up the reader's own state in one indexed statement (:func:`newsdesk.store.personal.personal_state`; the
   comments of the page in a second one) and renders the slots' small templates for them;
3. answers the stitched page as ``private, no-cache`` with its own ETag.

A moderator's (or an admin's) story page is the exception: it carries the grouping tools (split, move, merge, the
corrections' log) among the reasons, so it is rendered for them alone, with the session, like any other page of
theirs (the micro-cache never keeps it). A session that is unknown or expired gets the shared page as it is (the
signed-out parts). Markers cannot be forged
by stored text: every value is escaped, and article HTML is cleaned with comments removed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.store import personal, saved, sessions, social
from newsdesk.web.http.responses import render_text
from newsdesk.web.sessions import SESSION_COOKIE, Viewer, token_hash
from newsdesk.web.site import site_of

# the pages rendered once for everyone; every other page of a signed-in reader is rendered for them alone
SHARED_PAGES = re.compile(r"^/(?:|search|stories/(?P<story>[0-9]{1,18})|articles/(?P<article>[0-9]{1,18}))$")
SLOT = re.compile(rb"<!--nd-slot:([a-z]+)-->(.*?)<!--/nd-slot-->", re.S)
SLOT_NAME = re.compile(rb"<!--nd-slot:([a-z]+)-->")
SLOT_TEMPLATES = {"tools": "_viewer_tools.html", "follow": "_follow.html", "comments": "_comments_slot.html",
                  "delta": "_delta_slot.html", "save": "_save.html"}
# what a page's own slots add for a reader of one story (the "since you last read" delta): (request, user, story)
StoryExtras = Callable[[Request, int, int], dict[str, Any]]
DROPPED_HEADERS = (b"content-length", b"etag", b"cache-control")


@dataclass
class Captured:
    """A response of the inner app, held whole before anything is sent."""

    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)

    async def receive_message(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))


class PersonalPages:
    """ASGI middleware: signed-in readers get the shared page with their own slots stitched in."""

    def __init__(self, app: ASGIApp, story_extras: StoryExtras | None = None) -> None:
        self.app = app
        self.story_extras = story_extras

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = SHARED_PAGES.match(scope.get("path", "")) if scope["type"] == "http" and scope["method"] == "GET" \
            else None
        token = session_token(scope) if page else ""
        if not token or page is None:
            await self.app(scope, receive, send)
            return
        if page.group("story") and await run_in_threadpool(corrects_grouping, scope, token):
            await self.app(scope, receive, send)  # the story page with a moderator's grouping tools: theirs alone
            return
        shared = Captured()
        await self.app(shared_scope(scope), receive, shared.receive_message)
        body = b"".join(shared.chunks)
        if SLOT.search(body) is None:
            await _send(send, shared.status, shared.headers, body)
            return
        request = Request(scope, receive)
        target = Target(story_id=_int(page.group("story")), article_id=_int(page.group("article")),
                        slots=frozenset(name.decode() for name in SLOT_NAME.findall(body)) & SLOT_TEMPLATES.keys())
        slots = await run_in_threadpool(personal_slots, request, token, target, self.story_extras)
        await _send_stitched(send, request, shared, stitch(body, slots))


@dataclass(frozen=True)
class Target:
    """What the page is about (for the follow button and the comments) and which slots it has."""

    story_id: int | None = None
    article_id: int | None = None
    slots: frozenset[str] = frozenset()


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def session_token(scope: Scope) -> str:
    """The session cookie's value ("" when there is none)."""
    request = Request(scope)
    return request.cookies.get(SESSION_COOKIE, "")


def corrects_grouping(scope: Scope, token: str) -> bool:
    """Whether the session is a moderator's or an admin's (who see the grouping tools on a story page)."""
    with site_of(Request(scope)).engine.connect() as conn:
        account = sessions.account_of_session(conn, token_hash(token), datetime.now(UTC))
    return account is not None and Viewer(account.id, account.username, account.role).is_moderator


def shared_scope(scope: Scope) -> Scope:
    """The request as a signed-out visitor would send it: without the session cookie and without If-None-Match
    (the shared body is needed whole to stitch into)."""
    headers = []
    for name, value in scope["headers"]:
        if name.lower() == b"if-none-match":
            continue
        if name.lower() == b"cookie":
            kept = [part for part in value.split(b";") if part.strip().split(b"=", 1)[0] != SESSION_COOKIE.encode()]
            if not kept:
                continue
            value = b";".join(kept)
        headers.append((name, value))
    return {**scope, "headers": headers}


def personal_slots(request: Request, token: str, target: Target,
                   story_extras: StoryExtras | None = None) -> dict[str, bytes] | None:
    """The reader's slots rendered, or None when the session is unknown (the shared page stands). Records the
    reader's look at a followed story only when it changed since their last look (no write otherwise)."""
    site = site_of(request)
    with site.engine.connect() as conn:
        state = personal.personal_state(conn, token_hash(token), datetime.now(UTC), target.story_id)
        if state is None:
            return None
        comments = social.comments_on(conn, story_id=target.story_id, article_id=target.article_id) \
            if "comments" in target.slots else []
        saved_now = "save" in target.slots and target.article_id is not None \
            and saved.is_saved_by(conn, state.user_id, target.article_id)
        if state.news_since_seen and target.story_id is not None:
            social.mark_seen(conn, state.user_id, target.story_id)
            conn.commit()
    request.state.viewer = Viewer(state.user_id, state.username, state.role)
    extras = story_extras(request, state.user_id, target.story_id) \
        if story_extras is not None and target.story_id is not None and "delta" in target.slots else {}
    return render_slots(request, state, target, comments, {"saved": saved_now, **extras})


def render_slots(request: Request, state: personal.PersonalState, target: Target,
                 comments: list[dict], extras: dict[str, Any] | None = None) -> dict[str, bytes]:
    """Each slot's template rendered for the reader, in the page's interface language."""
    place = f"/stories/{target.story_id}" if target.story_id is not None else f"/articles/{target.article_id}"
    context = {"story": {"id": target.story_id}, "article": {"id": target.article_id}, "following": state.following,
               "comments": comments,
               "comment_action": f"{place}/comments", "comment_error": request.query_params.get("comment_error", ""),
               **(extras or {})}
    return {name: render_text(request, SLOT_TEMPLATES[name], context).encode() for name in target.slots}


def stitch(body: bytes, slots: dict[str, bytes] | None) -> bytes:
    """The shared body with each known slot's content replaced by the reader's (markers kept)."""
    if slots is None:
        return body

    def replace(match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode()
        content = slots.get(name, match.group(2))
        return b"<!--nd-slot:" + match.group(1) + b"-->" + content + b"<!--/nd-slot-->"

    return SLOT.sub(replace, body)


def etag_of(body: bytes) -> bytes:
    return b'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


async def _send_stitched(send: Send, request: Request, shared: Captured, body: bytes) -> None:
    etag = etag_of(body)
    headers = [(n, v) for n, v in shared.headers if n.lower() not in DROPPED_HEADERS]
    headers += [(b"etag", etag), (b"cache-control", b"private, no-cache")]
    if shared.status == 200 and etag.decode() in request.headers.get("if-none-match", ""):
        kept = [(n, v) for n, v in headers if n.lower() != b"content-type"]
        await _send(send, 304, kept, b"")
        return
    await _send(send, shared.status, headers, body)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [(n, v) for n, v in headers if n.lower() != b"content-length"]
    if status != 304:
        headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
