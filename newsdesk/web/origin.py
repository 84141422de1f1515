"""Refusing cross-site form posts (CSRF) and open redirects, for every form of the web app.

A browser names where a request comes from: ``Sec-Fetch-Site`` must not say cross-site, and the ``Origin`` (or else
``Referer``) must name this host. A client sending neither is not a browser, and another site cannot make it post.
With session cookies marked ``SameSite=Lax`` this is the defence OWASP describes as "verifying origin with standard
headers"; no token has to travel in the forms.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request


def same_origin(request: Request) -> bool:
    """False for a browser request another site made."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed:
        return True
    return urlsplit(claimed).netloc.lower() == request.headers.get("host", "").lower()


def local_path(target: str) -> str:
    """Only a path on this site is a place to go back to (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
