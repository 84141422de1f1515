"""Building responses: pages in the reader's locale, JSON, and validation with ETags (304 when unchanged).

Pages are rendered first and hashed: a weak ETag of the body lets a browser or proxy revalidate cheaply with
``If-None-Match`` (no body sent), while ``Cache-Control: no-cache`` keeps news fresh. Pages vary by interface
language, which comes from the query, the ``ui`` cookie or Accept-Language.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.web import i18n
from newsdesk.web.sessions import viewer
from newsdesk.web.site import site_of

COOKIE_MAX_AGE = 365 * 86400


def _etag(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def validated(request: Request, body: bytes, media_type: str, status: int = 200,
              headers: Mapping[str, str] | None = None) -> Response:
    """A response with an ETag; 304 without body when the client already holds this version."""
    etag = _etag(body)
    common = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Language, Cookie", **(headers or {})}
    if status == 200 and etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=common)
    return Response(body, status_code=status, media_type=media_type, headers=common)


def page_locale(request: Request) -> tuple[str, bool]:
    site = site_of(request)
    return i18n.choose_locale(request, site.locales, site.settings.web_default_locale)


def render_text(request: Request, template: str, context: Mapping[str, Any]) -> str:
    """``template`` rendered in the reader's interface language (a whole page or a fragment)."""
    site = site_of(request)
    locale, _ = page_locale(request)
    full = {"request": request, "now": datetime.now(UTC), "locales": site.locales, "settings": site.settings,
            "viewer": viewer(request), **context}
    return site.renderer.render(locale, template, full)


def render_page(request: Request, template: str, context: Mapping[str, Any], status: int = 200, *,
                private: bool = False) -> Response:
    """Render ``template`` in the reader's interface language and validate it with an ETag. A ``private`` page (or
    any page of a signed-in reader) is marked so no shared cache, the micro-cache included, keeps it."""
    locale, explicit = page_locale(request)
    body = render_text(request, template, context).encode()
    private_page = private or getattr(request.state, "viewer", None)
    headers = {"Cache-Control": "private, no-cache"} if private_page else None
    response = validated(request, body, "text/html; charset=utf-8", status, headers)
    if explicit:
        response.set_cookie("ui", locale, max_age=COOKIE_MAX_AGE, samesite="lax")
    return response


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_response(request: Request, payload: Any, status: int = 200) -> Response:
    body = json.dumps(payload, ensure_ascii=False, default=_json_default, separators=(",", ":")).encode()
    return validated(request, body, "application/json", status, {"Vary": "Accept"})


def not_found(request: Request, what: str) -> Response:
    if request.url.path.startswith("/api/"):
        return json_response(request, {"error": "not found", "what": what}, 404)
    return render_page(request, "not_found.html", {"what": what}, 404)


