"""Feeds, sitemaps, discovery and page metadata hold every URL to the URL rule: a ``javascript:`` or ``data:`` link
or image from a hostile feed or page is dropped before anything can store it."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from newsdesk.extract.metadata import read_metadata
from newsdesk.sources.discovery import feeds_linked_from_html
from newsdesk.sources.feeds import parse_feed

BASE = "https://feeds.example/rss.xml"

RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Hostile</title>
<link>javascript:alert('site')</link>
<item><title>Script link</title><link>JaVaScRiPt:alert(1)</link><guid isPermaLink="false">g1</guid>
  <media:thumbnail url="javascript:alert('img')"/></item>
<item><title>Data image, then a good one</title><link>/ok/2</link>
  <media:thumbnail url="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/>
  <enclosure url="https://cdn.example/2.jpg?utm_source=rss" type="image/jpeg" length="1"/></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<link rel="alternate" href="vbscript:msgbox(1)"/><id>urn:a</id><updated>2024-05-01T00:00:00Z</updated>
<entry><title>One</title><id>urn:1</id><updated>2024-05-01T00:00:00Z</updated>
  <link rel="alternate" href="java&#x09;script:alert(1)"/></entry></feed>"""

JSON_FEED = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "home_page_url": "data:,x",
                        "items": [{"id": "1", "url": "javascript:alert(1)", "image": "javascript:alert(2)",
                                   "title": "One"},
                                  {"id": "2", "url": "/two", "banner_image": "HTTPS://Img.Example/b.png",
                                   "title": "Two"}]}).encode()

SITEMAP = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>javascript:alert(1)</loc></url>
<url><loc>https://news.example/a</loc><image:image><image:loc>javascript:alert(2)</image:loc></image:image></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>file:///etc/passwd</loc></sitemap><sitemap><loc>/news.xml</loc></sitemap></sitemapindex>"""


def test_rss_links_and_images_that_are_not_http_are_dropped() -> None:
    parsed = parse_feed(RSS, BASE)
    assert parsed.site_url is None
    first, second = parsed.entries
    assert (first.url, first.image, first.guid) == (None, None, "g1")
    assert (second.url, second.image) == ("https://feeds.example/ok/2", "https://cdn.example/2.jpg")


def test_atom_links_hidden_behind_a_tab_are_dropped() -> None:
    parsed = parse_feed(ATOM, "https://feeds.example/atom.xml")
    assert parsed.site_url is None and [e.url for e in parsed.entries] == [None]


def test_json_feed_urls_and_images_follow_the_rule() -> None:
    parsed = parse_feed(JSON_FEED, "https://feeds.example/feed.json")
    assert parsed.site_url is None
    assert [(e.url, e.image) for e in parsed.entries] == [(None, None), ("https://feeds.example/two",
                                                                         "https://img.example/b.png")]


def test_sitemap_locations_follow_the_rule() -> None:
    parsed = parse_feed(SITEMAP, "https://news.example/sitemap.xml")
    assert [(e.url, e.image) for e in parsed.entries] == [("https://news.example/a", None)]
    index = parse_feed(SITEMAP_INDEX, "https://news.example/sitemap.xml")
    assert index.child_sitemaps == ["https://news.example/news.xml"]


def test_discovered_feed_links_and_page_metadata_follow_the_rule() -> None:
    page = b"""<html><head>
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    <link rel="alternate" type="application/atom+xml" href="/Atom.xml?utm_medium=x">
    <meta property="og:image" content="data:image/png;base64,AAAA">
    <link rel="canonical" href="JAVASCRIPT:alert(2)"></head><body></body></html>"""
    assert [f.url for f in feeds_linked_from_html(page, "https://site.example/")] == ["https://site.example/Atom.xml"]
    metadata = read_metadata(lxml_html.document_fromstring(page), "https://site.example/story")
    assert metadata.image is None and metadata.canonical_url is None
    good = b'<html><head><meta property="og:image" content="//CDN.example/a.png?utm_source=og"></head></html>'
    assert read_metadata(lxml_html.document_fromstring(good), "https://site.example/s").image == \
        "https://cdn.example/a.png"
