"""Each feed format against golden files: tests/sources/data/<name> (intent in its header) and <name>.expected.json.

The expected files were written by running the parser once and checking every field by hand against the
fixture's intent; a change in output fails here and must be reviewed the same way.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from newsdesk.sources.feeds import FeedParseError, ParsedFeed, parse_feed

DATA = Path(__file__).parent / "data"
GOLDEN = sorted(p.name for p in DATA.iterdir() if p.with_name(p.name + ".expected.json").exists())


def as_golden(parsed: ParsedFeed) -> dict[str, Any]:
    """The parsed feed as plain JSON data, with each entry's has_full_text."""
    data = dataclasses.asdict(parsed)
    for entry, raw in zip(data["entries"], parsed.entries, strict=True):
        entry["has_full_text"] = raw.has_full_text
    return json.loads(json.dumps(data, default=lambda value: value.isoformat()))


def feed_url(name: str) -> str:
    return f"https://feeds.example/path/{name}"


def test_every_format_has_a_golden_file():
    assert {"rss091.xml", "rss10_rdf.xml", "rss20.xml", "atom.xml", "jsonfeed10.json", "jsonfeed11.json",
            "news_sitemap.xml", "sitemap_index.xml"} <= set(GOLDEN)


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_feed(name):
    parsed = parse_feed((DATA / name).read_bytes(), feed_url(name))
    expected = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert as_golden(parsed) == expected


def test_times_are_timezone_aware_utc():
    parsed = parse_feed((DATA / "rss20.xml").read_bytes(), feed_url("rss20.xml"))
    published = parsed.entries[0].published
    assert published is not None and published.utcoffset().total_seconds() == 0
    assert published.isoformat() == "2024-05-01T14:15:00+00:00"  # 09:15 at -0500


def test_html_page_is_not_a_feed():
    with pytest.raises(FeedParseError, match="HTML page"):
        parse_feed((DATA / "not_a_feed.html").read_bytes(), feed_url("not_a_feed.html"), "text/html")


@pytest.mark.parametrize("content", [b"", b"   ", b"just words", b"{\"items\": 3}", b"[1, 2]", b"<a><b/></a>",
                                     b"\x1f\x8bnot gzip", b"{broken json"])
def test_non_feeds_raise_a_clear_error(content):
    with pytest.raises(FeedParseError, match=r"feeds\.example"):
        parse_feed(content, feed_url("x"))


def test_gzipped_sitemap_without_content_encoding_is_unpacked():
    import gzip

    raw = (DATA / "news_sitemap.xml").read_bytes()
    parsed = parse_feed(gzip.compress(raw), feed_url("news-sitemap.xml.gz"))
    assert parsed.kind == "sitemap" and len(parsed.entries) == 3
