"""WebSub's pure parts: the hub and topic a feed advertises (Link header, Atom, RSS with atom:link), and the
push signature check (sha1 and SHA-2 accepted, anything else refused)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from newsdesk.sources.websub import HubLink, callback_url, find_hub, signature_valid

FEED = "https://news.example/feed"


@pytest.mark.parametrize(("headers", "content", "expected"), [
    ({}, b"<feed><link rel='hub' href='https://hub.example/'/><link href=\"/self\" rel=\"self\"/></feed>",
     HubLink("https://hub.example/", "https://news.example/self")),
    ({}, b'<rss><channel><atom:link rel="hub" href="https://pubsubhubbub.appspot.com/"/></channel></rss>',
     HubLink("https://pubsubhubbub.appspot.com/", FEED)),
    ({"link": '<https://hub.example/h>; rel="hub", <https://news.example/t>; rel=self'}, b"<rss/>",
     HubLink("https://hub.example/h", "https://news.example/t")),
    ({"link": '<https://a.example/>; rel="hub"'}, b"<feed><link rel='hub' href='https://b.example/'/></feed>",
     HubLink("https://a.example/", FEED)),
    ({}, b"<feed><link rel='alternate' href='https://news.example/'/></feed>", None),
    ({}, b"<feed><link rel='hub' href='javascript:alert(1)'/></feed>", None),
])
def test_the_hub_a_feed_advertises(headers, content, expected) -> None:
    assert find_hub(headers, content, FEED) == expected


def _signed(method: str, secret: str, body: bytes) -> str:
    return f"{method}={hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()}"


@pytest.mark.parametrize("method", ["sha1", "sha256", "sha384", "sha512"])
def test_a_body_signed_with_the_secret_is_valid(method: str) -> None:
    assert signature_valid("s3cret", b"<feed/>", _signed(method, "s3cret", b"<feed/>"))


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha256=00", _signed("md5", "s3cret", b"<feed/>"),
                                    _signed("sha256", "other", b"<feed/>"), _signed("sha256", "s3cret", b"<feed />")])
def test_anything_else_is_refused(header: str | None) -> None:
    assert not signature_valid("s3cret", b"<feed/>", header)


def test_callback_url() -> None:
    assert callback_url("https://news.example.org/", "ab") == "https://news.example.org/websub/ab"
