"""URL canonicalisation (one spelling per article URL) and the URL rule (http(s) only) every stored URL passes."""

from __future__ import annotations

import pytest

from newsdesk.text.urls import (
    MAX_URL_CHARS,
    UrlError,
    canonicalize_url,
    checked_url,
    checked_url_or_none,
    is_tracking_param,
)


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTP://Example.COM:80/a/./b/../c#frag", "http://example.com/a/c"),
    ("https://example.com:443", "https://example.com/"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
    ("https://ex.com/story?utm_source=rss&id=5&utm_medium=feed&fbclid=abc&page=2", "https://ex.com/story?id=5&page=2"),
    ("https://ex.com/s?gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5&igshid=6&_ga=7&yclid=8&ref_src=9&cmpid=10",
     "https://ex.com/s"),
    ("https://ex.com/s?UTM_Campaign=x&b=2&a=1", "https://ex.com/s?b=2&a=1"),
    ("https://ex.com/p?", "https://ex.com/p"),
    ("https://ex.com/p?&&a=1&", "https://ex.com/p?a=1"),
    ("https://ex.com/%7euser/%e2%82%ac", "https://ex.com/~user/%E2%82%AC"),
    ("https://ex.com/a%2Fb", "https://ex.com/a%2Fb"),
    ("https://ex.com/caf\u00e9 ol\u00e9?q=a b", "https://ex.com/caf%C3%A9%20ol%C3%A9?q=a%20b"),
    ("https://ex.com/100%", "https://ex.com/100%25"),
    ("https://B\u00fccher.example./x", "https://xn--bcher-kva.example/x"),
    ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
    ("  https://ex.com/x  ", "https://ex.com/x"),
])
def test_canonical_forms(url, canonical):
    assert canonicalize_url(url) == canonical
    assert canonicalize_url(canonical) == canonical


def test_relative_urls_resolve_against_the_base():
    assert canonicalize_url("../b?utm_term=x", base="https://ex.com/a/c/d") == "https://ex.com/a/b"
    assert canonicalize_url("//cdn.ex.com/i.png", base="https://ex.com/") == "https://cdn.ex.com/i.png"


@pytest.mark.parametrize("url", ["", "/relative/only", "mailto:a@b.c", "javascript:alert(1)", "ftp://ex.com/f",
                                 "https://", "https://ex.com:99999/", "http://[::1/"])
def test_what_is_no_http_url_raises(url):
    with pytest.raises(UrlError):
        canonicalize_url(url)


def test_tracking_param_names():
    assert is_tracking_param("utm_source") and is_tracking_param("FBCLID") and is_tracking_param("pk_campaign")
    assert not is_tracking_param("id") and not is_tracking_param("ref") and not is_tracking_param("utm")


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "java\nscript:alert(1)", "\x01javascript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                                 "file:///etc/passwd", "feed://ex.com/rss", "//ex.com/rss", "https:ex.com",
                                 "https:/\\ex.com/", 42, None])
def test_the_url_rule_refuses_every_other_scheme(url):
    with pytest.raises(UrlError):
        checked_url(url)
    assert checked_url_or_none(url) is None


def test_the_url_rule_keeps_http_urls_canonical_and_resolves_against_a_base():
    assert checked_url("HTTPS://Ex.COM/a/../feed?utm_source=x") == "https://ex.com/feed"
    assert checked_url("/img/a.png", "https://ex.com/story/1") == "https://ex.com/img/a.png"
    assert checked_url_or_none("javascript:alert(1)", "https://ex.com/") is None
    assert checked_url_or_none("", "https://ex.com/") is None


def test_the_url_rule_refuses_urls_longer_than_the_store_holds():
    long_url = "https://ex.com/" + "a" * MAX_URL_CHARS
    with pytest.raises(UrlError, match="longer than"):
        checked_url(long_url)
