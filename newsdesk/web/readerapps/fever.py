"""The Fever API at ``/fever/``, so reader apps that speak it (Reeder, ReadKit, Unread, FeedMe, Fluent Reader ...)
can read a newsdesk install and keep each person's read and saved marks.

Protocol (Fever API v3): every call is ``/fever/?api&<what>`` with the account's ``api_key`` (MD5 of
"username:password") in the POST body (the query is accepted too). ``groups`` are the sources' topics (ids stable
across calls: a CRC of the name), ``feeds`` the sources, ``items`` the articles (50 per call; ``since_id``,
``max_id`` or ``with_ids``), ``unread_item_ids`` / ``saved_item_ids`` comma-separated ids, and ``mark=item|feed|group``
with ``as=read|unread|saved|unsaved`` writes. Unread lists cover the last ``reading_window_days``; a group id of 0
means every feed. Favicons and hot links are answered empty.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newsdesk.store import reader_apps, reading, story_folding
from newsdesk.store.db import Connection
from newsdesk.store.users import user_by_fever_key
from newsdesk.web.http.login_limits import client_address, fever_account, limits_of
from newsdesk.web.http.params import int_param, small_form, time_param
from newsdesk.web.site import Site, site_of

API_VERSION = 3
ITEMS_PER_CALL = 50


def group_id(topic: str) -> int:
    """A topic's group id: the same on every call and every install (never 0, which means "all feeds")."""
    return zlib.crc32(topic.encode()) & 0x7FFFFFFF or 1


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _epoch(value: datetime | None) -> int:
    if value is None:
        return 0
    return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())


def _ids(text: str | None) -> list[int]:
    parts = (text or "").split(",")[:ITEMS_PER_CALL]
    return [i for i in (int_param(part) for part in parts) if i is not None]


def _int(value: str | None) -> int | None:
    return int_param(value, minimum=-1)


def _groups(conn: Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Sequence[Any]]:
    rows = reader_apps.feeds(conn)
    members: dict[str, list[int]] = {}
    for row in rows:
        for topic in row.topics or []:
            members.setdefault(str(topic), []).append(row.id)
    topics = sorted(members)
    groups = [{"id": group_id(t), "title": t} for t in topics]
    feeds_groups = [{"group_id": group_id(t), "feed_ids": ",".join(map(str, members[t]))} for t in topics]
    return groups, feeds_groups, rows


def _feeds(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"id": r.id, "favicon_id": 0, "title": r.name or r.feed_url, "url": r.feed_url,
             "site_url": r.site_url or "", "is_spark": 0, "last_updated_on_time": _epoch(r.last_success_at)}
            for r in rows]


def body_html(row: Any) -> str:
    """An article's body as reader apps show it: its sanitized HTML, else its text as escaped paragraphs."""
    if row.html:
        return row.html  # sanitized when stored (nh3)
    return "".join(f"<p>{html.escape(p)}</p>" for p in (row.text or "").split("\n") if p.strip())


def also_covered_by(outlets: list[str]) -> str:
    """The line under a folded item or a story item naming the other outlets it stands for (empty when none)."""
    if not outlets:
        return ""
    return f"<p><em>Also covered by: {html.escape(', '.join(outlets))}</em></p>"


def _items(conn: Connection, user_id: int, params: QueryParams, window: timedelta) -> dict[str, Any]:
    folded = story_folding.folds_copies(conn, user_id)
    rows = reader_apps.fever_items(conn, with_ids=_ids(params["with_ids"]) if "with_ids" in params else None,
                                   max_id=_int(params.get("max_id")), since_id=_int(params.get("since_id")) or 0,
                                   limit=ITEMS_PER_CALL,
                                   only=story_folding.is_original() if folded else None)  # copies folded away
    marks = reading.states(conn, user_id, [r.id for r in rows])
    also = story_folding.other_outlets(conn, [r.id for r in rows]) if folded else {}
    total = reader_apps.feed_article_count(conn)
    old = datetime.now(UTC) - window  # older news counts as read, as in the unread list
    items = [{"id": r.id, "feed_id": r.source_id, "title": r.title or "", "author": r.byline or r.outlet or "",
              "html": body_html(r) + also_covered_by(also.get(r.id, [])), "url": r.url or "",
              "is_saved": int(marks.get(r.id, (False, False))[1]),
              "is_read": int(marks.get(r.id, (False, False))[0] or _aware(r.fetched_at) < old),
              "created_on_time": _epoch(r.published_at or r.fetched_at)} for r in rows]
    return {"items": items, "total_items": total}


def _mark(conn: Connection, user_id: int, form: FormData | QueryParams, window: timedelta) -> None:
    kind, action, target = form.get("mark"), form.get("as"), _int(str(form.get("id") or "") or None)
    if target is None:
        return
    if kind == "item":
        if action in ("read", "unread"):  # a folded item's copies go with it
            ids = story_folding.with_copies(conn, [target]) if story_folding.folds_copies(conn, user_id) else [target]
            reading.mark_read(conn, user_id, ids, read=action == "read")
        elif action in ("saved", "unsaved"):
            reading.mark_saved(conn, user_id, [target], saved=action == "saved")
        return
    if action != "read" or kind not in ("feed", "group"):
        return
    before = time_param(form.get("before")) or datetime.now(UTC)
    if kind == "feed":
        condition = reader_apps.from_feed(target)
    elif target <= 0:  # 0: every feed ("Kindling"); -1: Sparks, none here
        condition = reader_apps.everything() if target == 0 else reader_apps.nothing()
    else:
        _, _, rows = _groups(conn)
        topic = next((t for r in rows for t in (r.topics or []) if group_id(str(t)) == target), None)
        condition = reading.in_topic(str(topic)) if topic is not None else reader_apps.nothing()
    reading.mark_read_where(conn, user_id, condition, before, window)


def answer(site: Site, params: QueryParams, form: FormData) -> dict[str, Any]:
    """The Fever reply to one call (``params``: the query; ``form``: the POST body)."""
    key = form.get("api_key") or params.get("api_key") or ""
    window = timedelta(days=site.settings.reading_window_days)
    with site.engine.begin() as conn:
        user_id = user_by_fever_key(conn, str(key))
        if user_id is None:
            return {"api_version": API_VERSION, "auth": 0}
        newest = reader_apps.newest_fetched(conn)
        out: dict[str, Any] = {"api_version": API_VERSION, "auth": 1, "last_refreshed_on_time": _epoch(newest)}
        if "mark" in form or "mark" in params:
            _mark(conn, user_id, form if "mark" in form else params, window)
        if "groups" in params or "feeds" in params:
            groups, feeds_groups, rows = _groups(conn)
            out["feeds_groups"] = feeds_groups
            if "groups" in params:
                out["groups"] = groups
            if "feeds" in params:
                out["feeds"] = _feeds(rows)
        if "favicons" in params:
            out["favicons"] = []
        if "links" in params:
            out["links"] = []
        if "items" in params:
            out.update(_items(conn, user_id, params, window))
        if "unread_item_ids" in params or "mark" in form:
            unread = (story_folding.unread_originals if story_folding.folds_copies(conn, user_id)
                      else reading.unread_ids)(conn, user_id, window)
            out["unread_item_ids"] = ",".join(map(str, unread))
        if "saved_item_ids" in params or "mark" in form:
            out["saved_item_ids"] = ",".join(map(str, reading.saved_ids(conn, user_id)))
    return out


async def fever_endpoint(request: Request) -> Response:
    """``/fever/?api...`` (GET or POST)."""
    if "api" not in request.query_params:
        return JSONResponse({"error": "Fever API: call /fever/?api with api_key"}, status_code=400)
    form = await small_form(request) if request.method == "POST" else FormData()
    limits, address = limits_of(request), client_address(request)
    if not limits.attempt(address, fever_account(address)):
        return JSONResponse({"api_version": API_VERSION, "auth": 0}, status_code=429)
    reply = await run_in_threadpool(answer, site_of(request), request.query_params, form)
    if reply["auth"]:
        limits.succeeded(address, fever_account(address))
    return JSONResponse(reply, headers={"Cache-Control": "no-store"})
