"""Refusing cross-site form posts (CSRF) and open redirects, for every form of the web app.

A browser names where a request comes from: ``Sec-Fetch-Site`` must not say cross-site, and the ``Origin`` (or else
``Referer``) must name this origin: the scheme, host and port of the request itself (``https://host`` is another
origin than ``http://host``; the scheme is the one the app was reached by, see the trusted-proxy settings). A
client sending neither is not a browser, and another site cannot make it post. With session cookies marked
``SameSite=Lax`` this is the defence OWASP describes as "verifying origin with standard headers"; no token has to
travel in the forms.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_origin(request: Request) -> bool:
    """False for a browser request another site made."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed:
        return True
    theirs = _origin_of(claimed)
    return theirs is not None and theirs == _origin_of(str(request.url))


def _origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL, the default port filled in; None when it names no origin ('null', junk)."""
    try:
        parts = urlsplit(url.strip())
        scheme, host, port = parts.scheme.lower(), (parts.hostname or "").rstrip("."), parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    return scheme, host, port if port is not None else _DEFAULT_PORTS[scheme]


def local_path(target: str) -> str:
    """Only a path on this site is a place to go back to (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
