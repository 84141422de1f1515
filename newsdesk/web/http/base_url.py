"""The site's public address (``web_base_url``), from which absolute links to its own pages are built.

A request's ``Host`` header is chosen by the client: a link built from it points wherever the client likes, and a
cache in front of the app that keys on the path alone would hand that link to everyone. So absolute links (feed
self-links, entry links) come from the configured base URL only. Without one, links are written as paths
("/stories/12"), which a feed reader resolves against the address it fetched the feed from.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newsdesk.text.urls import checked_url


class BaseUrl(str):
    """A setting's value: '' or an http(s) URL without query, fragment or user name, with no trailing slash
    (``https://news.example.org`` or ``https://example.org/news``). Anything else raises ``ValueError``."""

    def __new__(cls, raw: object) -> BaseUrl:
        text = str(raw).strip()
        if not text:
            return super().__new__(cls, "")
        url = checked_url(text)
        parts = urlsplit(url)
        if parts.query or "#" in text or "@" in parts.netloc:
            raise ValueError(f"{text!r} has a query, fragment or user name; give scheme, host and path only")
        return super().__new__(cls, url.rstrip("/"))


def site_link(base_url: str, path: str) -> str:
    """An absolute link to a page of this site when a base URL is configured, else the path itself."""
    return base_url + path if base_url else path
