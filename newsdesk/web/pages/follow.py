"""Following a story in the web app: the "since you last read" delta, the timeline and the wire lineage on the story
page and /following, the alerts page (a followed story or a saved search, heard by Atom feed, webhook or mail), an
alert's private Atom feed, and the timeline in the JSON API.

The delta is computed only for a reader who follows the story; visiting the page records the visit
(``newsdesk.store.follow``). Forms need a signed-in reader and a same-site post; a refused alert says why (400).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.follow import delivery
from newsdesk.follow.delta import lineage, story_delta, story_timeline
from newsdesk.store import alerts as alert_store
from newsdesk.store import follow as follow_store
from newsdesk.store import read_models
from newsdesk.web.api.feeds_out import ATOM_TYPE, FeedDoc, FeedItem, atom_bytes
from newsdesk.web.http.origin import same_origin
from newsdesk.web.http.params import int_param, small_form, text_param
from newsdesk.web.http.responses import json_response, not_found, render_page, validated
from newsdesk.web.sessions import viewer
from newsdesk.web.site import Site, site_of

MAX_KEYWORDS = 200


def follow_context(request: Request, story_id: int) -> dict[str, Any]:
    """What the story page shows of following: the delta (followers only), the timeline and the lineage."""
    site = site_of(request)
    me = viewer(request)
    delta = reader_delta(request, me.id, story_id)["delta"] if me is not None else None
    return {"delta": delta, "timeline": story_timeline(site.engine, site.settings, story_id),
            "lineage": lineage(site.engine, story_id)}


def reader_delta(request: Request, user_id: int, story_id: int) -> dict[str, Any]:
    """Record the reader's visit and return their delta since the last one (None unless they follow the story);
    also what the shared story page's ``delta`` slot is stitched from."""
    site = site_of(request)
    gap = timedelta(minutes=site.settings.follow_visit_gap_minutes)
    with site.engine.begin() as conn:
        since = follow_store.record_visit(conn, user_id, story_id, gap)
    return {"delta": story_delta(site.engine, site.settings, story_id, since) if since is not None else None}


def following_deltas(site: Site, user_id: int, story_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The delta of each followed story since the reader last read it (stories with new articles only)."""
    with site.engine.connect() as conn:
        reads = follow_store.last_reads(conn, user_id)
    out = {}
    for story_id in story_ids:
        if story_id in reads:
            delta = story_delta(site.engine, site.settings, story_id, reads[story_id])
            if delta["new_articles"]:
                out[story_id] = delta
    return out


def api_timeline(request: Request) -> Response:
    """``GET /api/v1/stories/{id}/timeline``: the dated developments and the lineage."""
    site = site_of(request)
    story_id = request.path_params["story_id"]
    with site.engine.connect() as conn:
        story = read_models.story(conn, story_id)
    if story is None:
        return not_found(request, f"story {story_id}")
    return json_response(request, {"story_id": story_id,
                                   "timeline": story_timeline(site.engine, site.settings, story_id),
                                   "lineage": lineage(site.engine, story_id)})


def alerts_page(request: Request, error: str = "", status: int = 200) -> Response:
    """``GET /alerts``: the reader's alerts, each with its feed link, and the form to add one."""
    site = site_of(request)
    me = viewer(request)
    assert me is not None  # the route is for readers
    with site.engine.connect() as conn:
        mine = alert_store.alerts_of(conn, me.id)
    story = int_param(request.query_params.get("story"), 1)
    return render_page(request, "alerts.html", {
        "alerts": mine, "error": error, "story_choice": story, "mail_on": bool(site.settings.alerts_smtp_host),
        "editions": site.settings.web_editions, "topics": site.settings.web_topics}, status=status)


def _target(channel: str, raw: str, site: Site) -> str:
    if channel == "webhook":
        return delivery.check_webhook_url(raw, site.settings)
    if channel == "email":
        if not site.settings.alerts_smtp_host:
            raise ValueError("e-mail alerts need an SMTP server (alerts_smtp_host)")
        return delivery.check_mail_address(raw)
    return ""


def _create(site: Site, user_id: int, form: dict[str, str]) -> None:
    """Validate and store an alert; raises ValueError with what to fix."""
    channel = form.get("channel") or "atom"
    if channel not in alert_store.CHANNELS:
        raise ValueError("choose a feed, a webhook or e-mail")
    story_id = int_param(form.get("story_id"), 1) if form.get("story_id") else None
    keywords = " ".join(text_param(form.get("keywords")).split())[:MAX_KEYWORDS]
    if story_id is None and not keywords:
        raise ValueError("a saved search needs keywords")
    target = _target(channel, form.get("target") or "", site)
    with site.engine.begin() as conn:
        if story_id is not None and read_models.story(conn, story_id) is None:
            raise ValueError("no such story")
        alert_store.create_alert(conn, user_id, channel, datetime.now(UTC), story_id=story_id,
                                 keywords="" if story_id else keywords, target=target,
                                 edition=_choice(form, "edition", site.settings.web_editions),
                                 language=_language(form), topic=_choice(form, "topic", site.settings.web_topics))


def _choice(form: dict[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    value = form.get(name) or ""
    if value and value not in allowed:
        raise ValueError(f"unknown {name} {value!r}")
    return value or None


def _language(form: dict[str, str]) -> str | None:
    value = (form.get("language") or "").strip().lower()
    if value and not (value.isascii() and value.isalpha() and 2 <= len(value) <= 3):
        raise ValueError("a language is a two- or three-letter code (en, fr, ar)")
    return value or None


async def create_alert_action(request: Request) -> Response:
    """``POST /alerts``: add an alert; back to /alerts, or the page again with the reason (400)."""
    if not same_origin(request):
        return PlainTextResponse("cross-site request refused", status_code=403)
    me = viewer(request)
    assert me is not None
    form = {k: str(v) for k, v in (await small_form(request)).items()}
    try:
        await run_in_threadpool(_create, site_of(request), me.id, form)
    except ValueError as refused:
        return alerts_page(request, str(refused), status=400)
    return RedirectResponse("/alerts", status_code=303)


async def delete_alert_action(request: Request) -> Response:
    """``POST /alerts/{id}/delete``: remove one of the reader's alerts."""
    if not same_origin(request):
        return PlainTextResponse("cross-site request refused", status_code=403)
    me = viewer(request)
    assert me is not None
    with site_of(request).engine.begin() as conn:
        removed = alert_store.delete_alert(conn, me.id, request.path_params["alert_id"])
    if not removed:
        return PlainTextResponse("not your alert", status_code=403)
    return RedirectResponse("/alerts", status_code=303)


def alert_feed(request: Request) -> Response:
    """``GET /alerts/{token}/feed.atom``: what the alert fired, newest first; the token is the only credential."""
    site = site_of(request)
    token = request.path_params["token"]
    with site.engine.connect() as conn:
        alert = alert_store.alert_by_token(conn, token)
        events = alert_store.events_of(conn, alert["id"]) if alert else []
    if alert is None:
        return not_found(request, "alert feed")
    base = site.settings.web_base_url.rstrip("/")
    items = [_feed_item(event, base) for event in events]
    name = f"story {alert['story_id']}" if alert["story_id"] else alert["keywords"]
    doc = FeedDoc(title=f"newsdesk alert: {name}", self_url=f"{base}/alerts/{token}/feed.atom",
                  home_url=f"{base}/stories/{alert['story_id']}" if alert["story_id"] else f"{base}/", items=items)
    return validated(request, atom_bytes(doc), ATOM_TYPE)


def _feed_item(event: dict[str, Any], base: str) -> FeedItem:
    payload = event["payload"]
    article = payload.get("article") or {}
    facts = " ".join(f"“{fact['text']}”" for fact in payload.get("new_facts") or [])
    story = payload.get("story_id")
    return FeedItem(id=f"{base}/alerts/events/{event['id']}", title=article.get("title") or "New coverage",
                    url=f"{base}/stories/{story}" if story else f"{base}/articles/{article.get('id')}",
                    external_url=article.get("url"), summary=facts, published=event["created_at"],
                    author=article.get("outlet"), language=article.get("language"))
