"""The Google Reader API (as Miniflux and FreshRSS serve it), so reader apps such as NetNewsWire, Reeder, ReadYou,
FeedMe or FocusReader can read a newsdesk install with an account's read and starred marks.

Sign-in: ``POST /accounts/ClientLogin`` (``Email``, ``Passwd``) answers ``Auth=<token>``; every other call sends
``Authorization: GoogleLogin auth=<token>``. The token is the user name and an HMAC, under the install's secret key
(:mod:`newsdesk.web.secret_key`), of the name and the account's password hash: it needs no table, cannot be forged
from a copy of the database, and stops working when the password changes. Under ``/reader/api/0/``: ``token``,
``user-info``, ``subscription/list``, ``tag/list``, ``unread-count``, ``stream/items/ids``,
``stream/items/contents``, ``stream/contents/<stream>``, ``edit-tag`` and ``mark-all-as-read``. Topics are labels,
sources are feeds (``feed/<id>``); unread covers the last ``reading_window_days``, as in the Fever API.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from newsdesk.store import reader_apps, reading, story_folding
from newsdesk.store.db import Connection
from newsdesk.store.users import account_by_name, check_password
from newsdesk.web.http.login_limits import client_address, limits_of
from newsdesk.web.http.params import int_param, small_form, time_param
from newsdesk.web.readerapps import greader_streams as streams
from newsdesk.web.roles import ANYONE, RoleRoute
from newsdesk.web.secret_key import secret_key
from newsdesk.web.site import Site, site_of

MAX_IDS = 10_000
MAX_CONTENTS = 1_000
MAX_POST_BYTES = 1024 * 1024  # edit-tag with thousands of item ids
NO_STORE = {"Cache-Control": "no-store"}


def auth_token(key: bytes, username: str, password_hash: str) -> str:
    """The account's ClientLogin token: signed with the install's secret key, and changing with the password."""
    digest = hmac.new(key, f"google reader api\n{username}\n{password_hash}".encode(), hashlib.sha256).hexdigest()
    return f"{username}/{digest[:40]}"


def _user_of(site: Site, request: Request) -> int | None:
    header = request.headers.get("authorization", "")
    token = header.partition("auth=")[2].strip() if header.startswith("GoogleLogin") else ""
    username = token.partition("/")[0]
    if not username:
        return None
    with site.engine.connect() as conn:
        row = account_by_name(conn, username)
    expected = auth_token(secret_key(site.settings), username, row.password_hash) if row is not None else ""
    if row is None or not hmac.compare_digest(expected.encode(), token.encode()):
        return None
    return row.id


async def client_login(request: Request) -> Response:
    """``POST /accounts/ClientLogin``: the token for an account's name and password."""
    form = await small_form(request)  # POST only: a password in a query string ends up in logs and history
    username, password = str(form.get("Email") or ""), str(form.get("Passwd") or "")
    site = site_of(request)
    limits, address = limits_of(request), client_address(request)
    if not limits.attempt(address, username):
        return PlainTextResponse("Error=TooManyAttempts\n", status_code=429, headers=NO_STORE)

    def login() -> str | None:
        with site.engine.connect() as conn:
            if check_password(conn, username, password) is None:
                return None
            account = account_by_name(conn, username)
            return auth_token(secret_key(site.settings), account.username, account.password_hash) if account else None

    token = await run_in_threadpool(login)
    if token is None:
        return PlainTextResponse("Error=BadAuthentication\n", status_code=401, headers=NO_STORE)
    limits.succeeded(address, username)
    if form.get("output") == "json":
        return JSONResponse({"SID": token, "LSID": token, "Auth": token}, headers=NO_STORE)
    return PlainTextResponse(f"SID={token}\nLSID={token}\nAuth={token}\n", headers=NO_STORE)


def _window(site: Site) -> timedelta:
    return timedelta(days=site.settings.reading_window_days)


def _page(params: Any, limit: int, stream: str | None = None) -> streams.Page:
    count = int_param(params.get("n"))
    return streams.Page(
        stream=stream or str(params.get("s") or streams.READING_LIST),
        include=[str(v) for v in params.getlist("it")][:8], exclude=[str(v) for v in params.getlist("xt")][:8],
        count=min(max(count, 1), limit) if count is not None else 20, oldest_first=params.get("r") == "o",
        continuation=int_param(params.get("c")), oldest=time_param(params.get("ot")),
        newest=time_param(params.get("nt")))


def _subscriptions(conn: Connection) -> list[dict[str, Any]]:
    rows = reader_apps.feeds(conn)
    return [{"id": f"feed/{r.id}", "title": r.name or r.feed_url, "url": r.feed_url, "htmlUrl": r.site_url or "",
             "iconUrl": "", "firstitemmsec": str(int(r.added_at.timestamp() * 1000)) if r.added_at else "0",
             "categories": [{"id": f"{streams.LABEL}{t}", "label": t} for t in r.topics or []]} for r in rows]


def _unread_counts(conn: Connection, user_id: int, window: timedelta) -> dict[str, Any]:
    topics = {feed.id: feed.topics for feed in reader_apps.feeds(conn)}
    unread = reading.is_unread(user_id, window)
    folded = story_folding.is_original() if story_folding.folds_copies(conn, user_id) else reader_apps.everything()
    counts: dict[str, list[Any]] = {}
    for source_id, count, newest in reader_apps.unread_by_feed(conn, unread, folded):
        for stream in (f"feed/{source_id}", streams.READING_LIST,
                       *(f"{streams.LABEL}{t}" for t in topics.get(source_id) or [])):
            total = counts.setdefault(stream, [0, newest])
            total[0] += count
            total[1] = max(total[1], newest)
    stories_unread, stories_newest = reader_apps.unread_total(conn, unread, story_folding.is_story_item())
    if stories_unread:
        counts[streams.STORIES] = [stories_unread, stories_newest]
    return {"max": MAX_IDS, "unreadcounts": [
        {"id": stream, "count": count, "newestItemTimestampUsec": str(streams.usec(newest))}
        for stream, (count, newest) in counts.items()]}


def _tags(conn: Connection) -> list[dict[str, Any]]:
    topics = sorted({str(t) for feed in reader_apps.feeds(conn) for t in feed.topics or []})
    return [{"id": streams.STARRED}, {"id": streams.STORIES, "type": "folder"},
            *({"id": f"{streams.LABEL}{t}", "type": "folder"} for t in topics
              if f"{streams.LABEL}{t}" != streams.STORIES)]


def _edit(conn: Connection, user_id: int, ids: list[int], add: list[str], remove: list[str]) -> None:
    folded = story_folding.with_copies(conn, ids) if story_folding.folds_copies(conn, user_id) else ids
    for tag, present in [(streams.normalise(t), True) for t in add] + [(streams.normalise(t), False) for t in remove]:
        if tag == streams.READ:
            reading.mark_read(conn, user_id, folded, read=present)  # a folded item's copies go with it
        elif tag == streams.KEPT_UNREAD:
            reading.mark_read(conn, user_id, folded, read=not present)
        elif tag == streams.STARRED:
            reading.mark_saved(conn, user_id, ids, saved=present)


def _reply(site: Site, user_id: int, what: str, params: Any) -> Response:
    """Every call after sign-in, in a worker thread (they all read or write the store)."""
    window = _window(site)
    with site.engine.begin() as conn:
        if what == "subscription/list":
            return JSONResponse({"subscriptions": _subscriptions(conn)}, headers=NO_STORE)
        if what == "tag/list":
            return JSONResponse({"tags": _tags(conn)}, headers=NO_STORE)
        if what == "unread-count":
            return JSONResponse(_unread_counts(conn, user_id, window), headers=NO_STORE)
        if what == "stream/items/ids":
            ids, more = streams.page_ids(conn, user_id, _page(params, MAX_IDS), window)
            body: dict[str, Any] = {"itemRefs": [{"id": str(i)} for i in ids]}
            return JSONResponse({**body, **({"continuation": str(more)} if more else {})}, headers=NO_STORE)
        if what == "stream/items/contents":
            ids = [i for i in (streams.item_id(str(v)) for v in params.getlist("i")[:MAX_CONTENTS]) if i is not None]
            return JSONResponse({"id": streams.READING_LIST, "updated": int(datetime.now(UTC).timestamp()),
                                 "items": streams.items(conn, user_id, ids[:MAX_CONTENTS], window)}, headers=NO_STORE)
        if what.startswith("stream/contents"):
            stream = what.removeprefix("stream/contents").lstrip("/") or None
            ids, more = streams.page_ids(conn, user_id, _page(params, MAX_CONTENTS, stream), window)
            body = {"id": stream or streams.READING_LIST, "updated": int(datetime.now(UTC).timestamp()),
                    "items": streams.items(conn, user_id, ids, window)}
            return JSONResponse({**body, **({"continuation": str(more)} if more else {})}, headers=NO_STORE)
        if what == "edit-tag":
            ids = [i for i in (streams.item_id(str(v)) for v in params.getlist("i")[:MAX_IDS]) if i is not None]
            _edit(conn, user_id, ids, [str(v) for v in params.getlist("a")], [str(v) for v in params.getlist("r")])
            return PlainTextResponse("OK", headers=NO_STORE)
        if what == "mark-all-as-read":
            before = time_param(params.get("ts"), per_second=1_000_000) or datetime.now(UTC)
            condition = streams.selects(str(params.get("s") or streams.READING_LIST), user_id, window)
            reading.mark_read_where(conn, user_id, condition, before, window)
            return PlainTextResponse("OK", headers=NO_STORE)
    return PlainTextResponse(f"unknown call {what}", status_code=404)


async def api_call(request: Request) -> Response:
    """``/reader/api/0/<call>``: checks the token, then answers the call."""
    site = site_of(request)
    user_id = await run_in_threadpool(_user_of, site, request)
    if user_id is None:
        return PlainTextResponse("Unauthorized!", status_code=401, headers={"Google-Bad-Token": "true"})
    what = request.path_params["call"]
    if what == "token":
        return PlainTextResponse(request.headers["authorization"].partition("auth=")[2].strip(), headers=NO_STORE)
    if what == "user-info":
        name = request.headers["authorization"].partition("auth=")[2].partition("/")[0]
        return JSONResponse({"userId": str(user_id), "userName": name, "userProfileId": str(user_id),
                             "userEmail": ""}, headers=NO_STORE)
    params: Any = await small_form(request, MAX_POST_BYTES) if request.method == "POST" else request.query_params
    if request.method == "POST" and request.query_params:  # some apps put part of a POST call in the query
        params = _merged(params, request.query_params)
    return await run_in_threadpool(_reply, site, user_id, what, params)


class _merged:
    """Query and form parameters read as one (form first)."""

    def __init__(self, *sources: Any) -> None:
        self.sources = sources

    def get(self, name: str, default: Any = None) -> Any:
        return next((s.get(name) for s in self.sources if s.get(name) is not None), default)

    def getlist(self, name: str) -> list[Any]:
        return [v for s in reversed(self.sources) for v in s.getlist(name)]

    def __contains__(self, name: str) -> bool:
        return any(name in s for s in self.sources)


ROUTES = [
    RoleRoute("/accounts/ClientLogin", client_login, ANYONE, methods=["POST"], own_auth="name and password",
              name="greader_login"),
    RoleRoute("/reader/api/0/{call:path}", api_call, ANYONE, methods=["GET", "POST"], own_auth="ClientLogin token",
              name="greader_api"),
]
