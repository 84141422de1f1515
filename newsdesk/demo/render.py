"""What the demo publishers serve: article pages with real-looking chrome, feeds in four formats, a news sitemap,
a home page for feed discovery, and a generated picture per article."""

from __future__ import annotations

import email.utils
import json
from datetime import datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from newsdesk.demo.publishers import DemoArticle, Publisher

FEED_ITEMS = 100
CHROME_CSS = ("body{font-family:Georgia,serif;margin:0}header,footer,nav,aside{font-family:sans-serif}"
              ".cookie{position:fixed;bottom:0;background:#222;color:#fff;padding:1em}.ad{background:#eee}")


def article_url(base: str, a: DemoArticle) -> str:
    return f"{base}/news/{a.key}.html"


def teaser(a: DemoArticle, words: int = 35) -> str:
    tokens = a.text.split()
    return " ".join(tokens[:words]) + (" …" if len(tokens) > words else "")


def article_page(base: str, a: DemoArticle, published: datetime, more: list[DemoArticle]) -> str:
    """An article page the way publishers build them: the body buried in menus, ads, banners and link lists."""
    p = a.publisher
    url = article_url(base, a)
    paragraphs = "".join(f"<p>{escape(par)}</p>" for par in a.text.split("\n") if par.strip())
    related = "".join(f'<li><a href="{article_url(base, m)}">{escape(m.title)}</a></li>' for m in more[:5])
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
                     "datePublished": published.isoformat(), "author": {"@type": "Person", "name": a.byline},
                     "publisher": {"@type": "Organization", "name": p.name}, "image": f"{base}/img/{a.key}.svg"})
    return f"""<!doctype html>
<html lang="{a.language}"><head><meta charset="utf-8">
<title>{escape(a.title)} | {escape(p.name)}</title>
<link rel="canonical" href="{url}">
<link rel="alternate" type="{_feed_mime(p)}" title="{escape(p.name)}" href="{base}{p.feed_path}">
<meta property="og:title" content="{escape(a.title)}"><meta property="og:url" content="{url}">
<meta property="og:image" content="{base}/img/{a.key}.svg"><meta property="og:site_name" content="{escape(p.name)}">
<meta name="author" content="{escape(a.byline)}">
<meta property="article:published_time" content="{published.isoformat()}">
<script type="application/ld+json">{ld}</script>
<style>{CHROME_CSS}</style><script>window.dataLayer=[];function track(){{}}</script></head>
<body>
<header><a href="{base}/"><img src="{base}/img/logo.svg" alt="logo"> {escape(p.name)}</a>
<nav><ul><li><a href="{base}/">Home</a></li><li><a href="{base}/world">World</a></li>
<li><a href="{base}/business">Business</a></li><li><a href="{base}/tech">Tech</a></li>
<li><a href="{base}/sport">Sport</a></li><li><a href="{base}/subscribe">Subscribe</a></li></ul></nav>
<div class="ad">Advertisement</div></header>
<div class="cookie" id="cookie">We use cookies to improve your experience. <button>Accept all</button>
<button>Manage preferences</button></div>
<main><article>
<h1>{escape(a.title)}</h1>
<div class="meta">By <span class="author">{escape(a.byline)}</span> ·
<time datetime="{published.isoformat()}">{published.strftime("%d %B %Y %H:%M")}</time></div>
<figure><img src="{base}/img/{a.key}.svg" alt="Orange background" width="800" height="450"></figure>
<div class="article-body">{paragraphs}</div>
<p class="credit">Origin: {escape(a.origin)} ({escape(a.licence)}).</p>
</article>
<aside class="share">Share this article: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></aside>
<aside class="app"><h3>DOWNLOAD THE APP</h3><p>Get Started Now: Download the App. Ready to dive into a world of global
content with local flavor? Download the {escape(p.name)} app today from your preferred app store.</p>
<a href="#">app-store</a><a href="#">play-store</a></aside>
<section class="comments"><h3>Comments</h3><p>No comments yet...</p></section>
<aside class="related"><h3>Related Articles</h3><ul>{related}</ul><p>time37 minutes ago</p></aside>
</main>
<footer><p>© 2026 {escape(p.name)}. All rights reserved. <a href="#">Privacy</a> <a href="#">Terms</a>
<a href="#">Contact us</a></p><div class="newsletter">Sign up for our newsletter <input placeholder="email"></div>
</footer></body></html>"""


def _feed_mime(p: Publisher) -> str:
    return {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json",
            "sitemap": "application/xml"}[p.feed]


def home_page(base: str, p: Publisher, items: list[tuple[DemoArticle, datetime]]) -> str:
    """The publisher's front page: latest headlines and, except for the sitemap-only site, a discoverable feed."""
    link = "" if p.feed == "sitemap" else (
        f'<link rel="alternate" type="{_feed_mime(p)}" title="{escape(p.name)}" href="{base}{p.feed_path}">')
    lis = "".join(f'<li><a href="{article_url(base, a)}">{escape(a.title)}</a></li>' for a, _ in items[:30])
    return (f'<!doctype html><html lang="{p.language}"><head><meta charset="utf-8"><title>{escape(p.name)}</title>'
            f"{link}</head><body><h1>{escape(p.name)}</h1><ul>{lis}</ul></body></html>")


def feed(base: str, p: Publisher, items: list[tuple[DemoArticle, datetime]]) -> tuple[bytes, str]:
    """The publisher's feed of its latest articles (summaries only, so pages must be fetched), and its MIME type."""
    latest = items[:FEED_ITEMS]
    render = {"rss": _rss, "atom": _atom, "json": _json_feed, "sitemap": _news_sitemap}[p.feed]
    return render(base, p, latest).encode("utf-8"), _feed_mime(p)


def _tracked(url: str, p: Publisher) -> str:
    return f"{url}?utm_source={p.feed}&utm_medium=feed"  # feeds in the wild add tracking parameters


def _rss(base: str, p: Publisher, items: list[tuple[DemoArticle, datetime]]) -> str:
    body = "".join(
        f"<item><title>{xml_escape(a.title)}</title><link>{_tracked(article_url(base, a), p)}</link>"
        f'<guid isPermaLink="false">{p.slug}-{a.key}</guid><pubDate>{email.utils.format_datetime(t)}</pubDate>'
        f"<dc:creator>{xml_escape(a.byline)}</dc:creator><description>{xml_escape(teaser(a))}</description></item>"
        for a, t in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>{xml_escape(p.name)}</title><link>{base}/</link><language>{p.language}</language>"
            f"<description>Latest news from {xml_escape(p.name)}</description>{body}</channel></rss>")


def _atom(base: str, p: Publisher, items: list[tuple[DemoArticle, datetime]]) -> str:
    updated = items[0][1].isoformat() if items else "2026-01-01T00:00:00+00:00"
    body = "".join(
        f'<entry><title>{xml_escape(a.title)}</title><link rel="alternate" href="{article_url(base, a)}"/>'
        f"<id>tag:{p.slug}.demo,2026:{a.key}</id><published>{t.isoformat()}</published><updated>{t.isoformat()}"
        f"</updated><author><name>{xml_escape(a.byline)}</name></author><summary>{xml_escape(teaser(a))}</summary>"
        f"</entry>" for a, t in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{p.language}">'
            f'<title>{xml_escape(p.name)}</title><link href="{base}/"/><id>{base}/</id><updated>{updated}</updated>'
            f"{body}</feed>")


def _json_feed(base: str, p: Publisher, items: list[tuple[DemoArticle, datetime]]) -> str:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": p.name, "home_page_url": f"{base}/",
        "feed_url": f"{base}{p.feed_path}", "language": p.language,
        "items": [{"id": f"{p.slug}-{a.key}", "url": _tracked(article_url(base, a), p), "title": a.title,
                   "summary": teaser(a), "date_published": t.isoformat(), "authors": [{"name": a.byline}],
                   "image": f"{base}/img/{a.key}.svg"} for a, t in items]}, ensure_ascii=False)


def _news_sitemap(base: str, p: Publisher, items: list[tuple[DemoArticle, datetime]]) -> str:
    body = "".join(
        f"<url><loc>{article_url(base, a)}</loc><news:news><news:publication><news:name>{xml_escape(p.name)}"
        f"</news:name><news:language>{p.language}</news:language></news:publication>"
        f"<news:publication_date>{t.isoformat()}</news:publication_date><news:title>{xml_escape(a.title)}"
        f"</news:title></news:news></url>" for a, t in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{body}</urlset>')


def picture(a: DemoArticle | None, p: Publisher) -> str:
    """A generated 16:9 picture: the outlet's colour and a few words of the headline."""
    words = escape(" ".join((a.title if a else p.name).split()[:4]))
    hue = sum(map(ord, a.key if a else p.slug)) % 360
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450">'
            f'<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{p.colour}"/>'
            f'<stop offset="1" stop-color="hsl({hue},55%,35%)"/></linearGradient></defs>'
            f'<rect width="800" height="450" fill="url(#g)"/><text x="40" y="400" font-family="sans-serif" '
            f'font-size="40" fill="#fff" opacity=".85">{words}</text></svg>')
