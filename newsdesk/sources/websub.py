"""WebSub (W3C) on the subscriber's side, as pure functions: finding a feed's hub, the callback address, checking a
push's signature.

A feed advertises its hub with ``rel="hub"`` in an HTTP ``Link`` header or in the feed itself (``<atom:link
rel="hub" href=…>``, ``<link rel="hub" …>`` in RSS or Atom), and names itself with ``rel="self"`` (the topic; the
feed URL when absent). A push carries ``X-Hub-Signature: <method>=<hex HMAC of the body>`` made with the secret
given when subscribing; sha1 (WebSub's minimum) and the SHA-2 family are accepted, nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

SCAN_BYTES = 64 * 1024  # a feed's hub link sits in its head: the first 64 KB are searched
SIGNATURE_METHODS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384,
                     "sha512": hashlib.sha512}
_LINK_TAG = re.compile(rb"<(?:[a-z0-9]+:)?link\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([a-z:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_LINK_HEADER_PART = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))""", re.IGNORECASE)


@dataclass(frozen=True)
class HubLink:
    """Where to subscribe (``hub``) and to what (``topic``)."""

    hub: str
    topic: str


def find_hub(headers: Mapping[str, str], content: bytes, feed_url: str) -> HubLink | None:
    """The hub and topic a fetched feed advertises (the Link header first, then the feed), or None."""
    links = _header_links(headers.get("link", ""), feed_url)
    for rel, href in _feed_links(content[:SCAN_BYTES], feed_url):
        links.setdefault(rel, href)
    hub = links.get("hub")
    if not hub or not hub.startswith(("http://", "https://")):
        return None
    return HubLink(hub, links.get("self") or feed_url)


def _header_links(value: str, base: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _LINK_HEADER_PART.finditer(value):
        rel = _REL.search(match.group(2) or "")
        for name in ((rel.group(1) or rel.group(2)).lower().split() if rel else ()):
            found.setdefault(name, urljoin(base, match.group(1).strip()))
    return found


def _feed_links(head: bytes, base: str) -> list[tuple[str, str]]:
    out = []
    for tag in _LINK_TAG.finditer(head):
        attributes = {m.group(1).lower(): (m.group(2) or m.group(3) or b"") for m in _ATTRIBUTE.finditer(tag.group(1))}
        href = attributes.get(b"href", b"").decode("utf-8", "replace").strip()
        for rel in attributes.get(b"rel", b"").decode("ascii", "replace").lower().split():
            if href and rel in ("hub", "self"):
                out.append((rel, urljoin(base, href)))
    return out


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """True when ``header`` (``sha256=…``) is the HMAC of ``body`` with ``secret`` by a method WebSub allows."""
    method, _, given = (header or "").strip().partition("=")
    digest = SIGNATURE_METHODS.get(method.strip().lower())
    if digest is None or not given:
        return False
    expected = hmac.new(secret.encode("utf-8"), body, digest).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


def callback_url(base: str, token: str) -> str:
    """The address a hub calls for one subscription."""
    return f"{base.rstrip('/')}/websub/{token}"
