"""Security headers on every response of the web app (pages, JSON, feeds, static files, error pages).

The Content-Security-Policy allows script, style, fonts, fetches, the manifest and the service worker from this
origin only: no inline ``<script>``, no ``on…=`` attribute, no ``javascript:`` URL and no ``style=`` attribute runs
or applies, so markup that slips into a page can neither run script nor restyle it. Publishers' lead images are
the one thing loaded from elsewhere: ``img-src`` takes any http(s) origin because a news site shows thousands of
outlets' images from their own CDNs, which no allow-list can name; an image cannot run script, and the templates
load them with ``referrerpolicy="no-referrer"``. ``object-src``, ``base-uri`` and ``frame-ancestors`` are 'none';
forms post only here.

Strict-Transport-Security is sent only when the request came over TLS (``scope["scheme"]`` is https, directly or
as a trusted proxy reported it, see :mod:`newsdesk.web.http.proxies`): on plain http it would be ignored anyway, and an
install reached over http on a LAN must not be pinned to https by accident. A response that sets one of these
headers itself keeps its own value.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' https: http:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("manifest-src", "'self'"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in CSP_DIRECTIVES)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone",
    "payment", "usb"))

SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": PERMISSIONS_POLICY,
    "cross-origin-opener-policy": "same-origin",
}


def security_headers(scheme: str, hsts_seconds: int) -> list[tuple[bytes, bytes]]:
    """The headers for a response to a request that came over ``scheme``."""
    headers = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
    if scheme == "https" and hsts_seconds > 0:
        headers.append((b"strict-transport-security", f"max-age={hsts_seconds}".encode()))
    return headers


class SecurityHeaders:
    """Pure ASGI middleware adding :func:`security_headers` to every HTTP response it passes on."""

    def __init__(self, app: ASGIApp, hsts_seconds: int = 0) -> None:
        self.app = app
        self.hsts_seconds = hsts_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("scheme", "http"), self.hsts_seconds)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in extra if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
