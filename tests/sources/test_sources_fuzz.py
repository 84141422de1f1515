"""Fuzzing (hypothesis, bounded) of feed parsing, OPML reading and URL canonicalisation.

Each function may only fail with its declared error, must not hang (a generous per-example deadline catches
runaway cases), and the structured properties hold: OPML round trips and canonicalisation is idempotent.
"""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from newsdesk.sources.feeds import FeedParseError, parse_feed
from newsdesk.sources.opml import OpmlError, OpmlOutline, parse_opml, write_opml
from newsdesk.text.urls import UrlError, canonicalize_url

FUZZ = settings(max_examples=300, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])

xml_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)


def check_feed(content: bytes, content_type: str | None = None) -> None:
    try:
        parsed = parse_feed(content, "https://fuzz.example/feed", content_type)
    except FeedParseError as exc:
        assert "fuzz.example" in str(exc)
        return
    for entry in parsed.entries:
        assert entry.published is None or entry.published.utcoffset().total_seconds() == 0
        assert isinstance(entry.title, str)
        entry.has_full_text  # noqa: B018  (must not raise)


@FUZZ
@given(st.binary(max_size=2000))
def test_parse_feed_on_arbitrary_bytes(content):
    check_feed(content)


@FUZZ
@given(st.sampled_from(["rss", "atom", "json", "sitemap"]), xml_text, xml_text, xml_text, xml_text,
       st.sampled_from([None, "application/xml", "application/json", "text/html; charset=latin-1"]))
def test_parse_feed_on_feed_shaped_documents(kind, title, link, date, body, content_type):
    title, link, date, body = (escape(value) for value in (title, link, date, body))
    documents = {
        "rss": f'<rss version="2.0"><channel><title>{title}</title><item><title>{title}</title><link>{link}</link>'
               f"<pubDate>{date}</pubDate><description>{body}</description><guid>{link}</guid></item></channel></rss>",
        "atom": f'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">{title}</title>'
                f'<link href="{link}"/><updated>{date}</updated><content type="html">{body}</content></entry></feed>',
        "json": json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
            {"id": title, "url": link, "title": title, "date_published": date, "content_html": body}]}),
        "sitemap": f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{link}</loc>'
                   f"<lastmod>{date}</lastmod></url></urlset>",
    }
    check_feed(documents[kind].encode("utf-8"), content_type)


@FUZZ
@given(st.binary(max_size=2000))
def test_parse_opml_on_arbitrary_bytes(content):
    with contextlib.suppress(OpmlError):
        parse_opml(content)


xml_legal_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)  # XML 1.0 cannot carry Cc
clean_label = xml_legal_text.map(lambda s: " ".join(s.split())).filter(lambda s: s and not s.startswith("/"))
outline = st.builds(
    OpmlOutline,
    feed_url=urls(),
    title=clean_label,
    site_url=st.none() | urls(),
    topics=st.lists(clean_label, max_size=4, unique=True),
    language=st.none() | st.sampled_from(["en", "fr", "pt-BR"]),
    region=st.none() | st.sampled_from(["GB", "FR", "BR"]),
)


@settings(FUZZ, max_examples=100)
@given(st.lists(outline, max_size=8, unique_by=lambda o: o.feed_url))
def test_opml_round_trip_of_generated_outlines(outlines):
    assert parse_opml(write_opml(outlines).encode("utf-8")) == outlines


@FUZZ
@given(st.text(max_size=200))
def test_canonicalize_url_on_arbitrary_text(text):
    try:
        canonical = canonicalize_url(text)
    except UrlError:
        return
    assert canonicalize_url(canonical) == canonical


@FUZZ
@given(urls(), st.lists(st.tuples(st.sampled_from(["utm_source", "fbclid", "id", "q", "gclid", "p"]), xml_text),
                        max_size=5), st.text(max_size=20))
def test_canonicalize_url_on_url_shaped_text(url, params, fragment):
    query = "&".join(f"{name}={value}" for name, value in params)
    try:
        canonical = canonicalize_url(f"{url}?{query}#{fragment}")
    except UrlError:
        return
    assert canonicalize_url(canonical) == canonical
    assert "#" not in canonical and "utm_source=" not in canonical and "fbclid=" not in canonical
