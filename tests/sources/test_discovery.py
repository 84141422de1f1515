"""Feed discovery against a loopback site: the URL itself, link tags, common paths, news sitemaps."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from newsdesk.config import Settings
from newsdesk.fetch.client import PoliteClient
from newsdesk.sources.discovery import DiscoveredFeed, discover_feeds, feeds_linked_from_html

DATA = Path(__file__).parent / "data"
HOME = b"<!doctype html><html><head><title>Home</title></head><body><p>News site</p></body></html>"


@pytest.fixture
def fast(settings: Settings) -> Settings:
    return settings.replace(fetch_per_host_delay=0.0)


def discover(settings: Settings, url: str) -> list[DiscoveredFeed]:
    async def run() -> list[DiscoveredFeed]:
        async with PoliteClient(settings) as client:
            return await discover_feeds(client, url)

    return asyncio.run(run())


def test_a_feed_url_is_returned_as_itself(http_server, fast):
    http_server.route("/feed.json", body=(DATA / "jsonfeed11.json").read_bytes(),
                      headers={"Content-Type": "application/feed+json"})
    assert discover(fast, http_server.url("/feed.json")) == [
        DiscoveredFeed(http_server.url("/feed.json"), "Tech Notes", "json")]


def test_link_tags_are_found_and_made_absolute(http_server, fast):
    page = b"""<html><head><base href="/news/">
      <link rel="alternate" type="application/rss+xml" title="All stories" href="rss.xml">
      <link rel="Alternate" type="application/atom+xml" href="https://other.example/atom">
      <link rel="alternate" type="application/feed+json; charset=utf-8" href="/feed.json">
      <link rel="alternate" type="application/rss+xml" href="rss.xml">
      <link rel="stylesheet" type="text/css" href="/s.css">
      <link rel="alternate" hreflang="fr" href="/fr/">
    </head><body></body></html>"""
    http_server.route("/", body=page, headers={"Content-Type": "text/html; charset=utf-8"})
    assert discover(fast, http_server.url("/")) == [
        DiscoveredFeed(http_server.url("/news/rss.xml"), "All stories", "rss"),
        DiscoveredFeed("https://other.example/atom", None, "atom"),
        DiscoveredFeed(http_server.url("/feed.json"), None, "json"),
    ]
    assert http_server.hits("/news/rss.xml") == 0  # link tags are trusted, not fetched


def test_common_paths_are_tried_when_the_page_links_no_feed(http_server, fast):
    http_server.route("/", body=HOME, headers={"Content-Type": "text/html"})
    http_server.route("/rss", body=HOME, headers={"Content-Type": "text/html"})  # an HTML page is not a feed
    http_server.route("/rss.xml", body=(DATA / "rss20.xml").read_bytes())
    found = discover(fast, http_server.url("/"))
    assert found == [DiscoveredFeed(http_server.url("/rss.xml"), "The Daily & Nightly", "rss")]
    assert http_server.hits("/feed") == 1 and http_server.hits("/atom.xml") == 0


def test_news_sitemaps_are_found_through_robots_txt(http_server, fast):
    http_server.route("/", body=HOME, headers={"Content-Type": "text/html"})
    http_server.route("/robots.txt", body=f"User-agent: *\nAllow: /\nSitemap: {http_server.url('/sitemaps.xml')}\n")
    index = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>{http_server.url('/sitemap-pages.xml')}</loc></sitemap>
      <sitemap><loc>{http_server.url('/sitemap-news.xml')}</loc></sitemap></sitemapindex>"""
    http_server.route("/sitemaps.xml", body=index)
    http_server.route("/sitemap-news.xml", body=(DATA / "news_sitemap.xml").read_bytes())
    assert discover(fast, http_server.url("/")) == [DiscoveredFeed(http_server.url("/sitemap-news.xml"), None,
                                                                   "sitemap")]
    assert http_server.hits("/sitemap-pages.xml") == 0


def test_a_plain_sitemap_is_not_a_news_source(http_server, fast):
    http_server.route("/", body=HOME, headers={"Content-Type": "text/html"})
    plain = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/about</loc></url></urlset>"""
    http_server.route("/news-sitemap.xml", body=plain)
    assert discover(fast, http_server.url("/")) == []


def test_html_without_head_or_garbage_yields_no_links():
    assert feeds_linked_from_html(b"", "https://x.example/") == []
    assert feeds_linked_from_html(b"\x00\xff<<<", "https://x.example/") == []
    page = b'<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
    assert feeds_linked_from_html(page, "https://x.example/") == []
