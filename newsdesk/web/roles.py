"""Who may do what: every route of the web app declares, in the route table, the least role that may use it.

Roles rank ``ANYONE`` (signed out) < ``READER`` < ``MODERATOR`` < ``ADMIN``; an account's role comes from the store
(``newsdesk users add NAME --admin``, ``newsdesk users role NAME ROLE``). A :class:`RoleRoute` wraps its endpoint in a
gate that looks up the viewer before the handler runs, so a handler never sees a request its role refuses:

- signed out: a redirect to the sign-in page, which comes back afterwards (to the page asked for, or to the page a
  form was posted from); the JSON API answers 401 instead;
- signed in with too small a role: 403.

Routes open to anyone that still write something (sign-in, the reader-app protocols, which check their own
credentials) say so with ``own_auth``; ``tests/web/test_web_roles.py`` walks the table and holds every write route
to its declaration.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from newsdesk.web.http.origin import local_path
from newsdesk.web.http.responses import render_page
from newsdesk.web.sessions import Viewer, viewer


class Role(enum.IntEnum):
    """The least role a route asks for; each role may do what the ones below it may."""

    ANYONE = 0
    READER = 1
    MODERATOR = 2
    ADMIN = 3

    @classmethod
    def of(cls, who: Viewer | None) -> Role:
        if who is None:
            return cls.ANYONE
        return {"admin": cls.ADMIN, "moderator": cls.MODERATOR}.get(who.role, cls.READER)


ANYONE, READER, MODERATOR, ADMIN = Role.ANYONE, Role.READER, Role.MODERATOR, Role.ADMIN


class RoleRoute(Route):
    """A route with the least role that may use it (``own_auth`` names a protocol's own credential check)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], role: Role, *, methods: Sequence[str] | None = None,
                 name: str | None = None, own_auth: str | None = None) -> None:
        super().__init__(path, endpoint, methods=list(methods) if methods else None, name=name)
        self.role = role
        self.own_auth = own_auth
        if role > Role.ANYONE:
            self.app = RoleGate(self.app, role)


class RoleGate:
    """ASGI: let the request through to ``app`` only when the viewer's role is at least ``role``."""

    def __init__(self, app: ASGIApp, role: Role) -> None:
        self.app = app
        self.role = role

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        who = await run_in_threadpool(viewer, request)  # kept on request.state: the handler does not look again
        if Role.of(who) >= self.role:
            await self.app(scope, receive, send)
            return
        await refusal(request, who, self.role)(scope, receive, send)


def refusal(request: Request, who: Viewer | None, needed: Role) -> Response:
    """What a request below the route's role gets. Signed out on a page or a form: off to sign in, and back to the
    page afterwards (the page asked for, or the page the form was on). The JSON API answers 401; a signed-in
    account with too small a role gets 403."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "sign in" if who is None else "not allowed", "needs": needed.name.lower()},
                            status_code=401 if who is None else 403)
    if who is None:
        if request.method in ("GET", "HEAD"):
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:
            back = _came_from(request)
        return RedirectResponse(f"/login?next={quote(local_path(back), safe='/')}", status_code=303)
    return render_page(request, "forbidden.html", {"needed": needed.name.lower(), "next": _came_from(request)}, 403)


def _came_from(request: Request) -> str:
    """The page a refused form was posted from (same site only), to return to after signing in."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_host = referer.netloc.lower() == request.headers.get("host", "").lower()
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    return local_path(path) if same_host and path else "/"
