"""Feeds in the encodings met in the wild, including declarations that lie about the bytes."""

from __future__ import annotations

import json

import pytest

from newsdesk.sources.feeds import parse_feed

TITLE = "Zürich: “Ça va” – naïve café"


def rss(declared: str | None, title: str = TITLE) -> str:
    declaration = f'<?xml version="1.0" encoding="{declared}"?>' if declared else '<?xml version="1.0"?>'
    return (f"{declaration}<rss version=\"2.0\"><channel><title>Feed</title><link>https://x.example/</link>"
            f"<item><title>{title}</title><link>https://x.example/1</link></item></channel></rss>")


@pytest.mark.parametrize(("declared", "codec"), [("utf-8", "utf-8"), ("windows-1252", "cp1252"),
                                                 ("UTF-16", "utf-16"), (None, "utf-8-sig")])
def test_declared_encodings_are_honoured(declared, codec):
    parsed = parse_feed(rss(declared).encode(codec), "https://x.example/feed")
    assert parsed.entries[0].title == TITLE


def test_latin1_bytes_declared_as_utf8_still_parse():
    title = "Les élèves à Noël"
    parsed = parse_feed(rss("utf-8", title).encode("latin-1"), "https://x.example/feed")
    assert [e.url for e in parsed.entries] == ["https://x.example/1"]
    assert parsed.entries[0].title == title


def test_http_charset_wins_over_a_wrong_declaration():
    title = "Ελληνικά νέα"
    parsed = parse_feed(rss("utf-8", title).encode("iso-8859-7"), "https://x.example/feed",
                        "application/rss+xml; charset=iso-8859-7")
    assert parsed.entries[0].title == title


def test_cp1252_bytes_without_any_declaration_still_parse():
    parsed = parse_feed(rss(None).encode("cp1252"), "https://x.example/feed")
    assert len(parsed.entries) == 1 and parsed.entries[0].title.startswith("Z")


def test_json_feed_in_latin1_is_read_instead_of_dropped():
    document = {"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "title": "café"}]}
    parsed = parse_feed(json.dumps(document, ensure_ascii=False).encode("latin-1"), "https://x.example/f.json")
    assert parsed.entries[0].title == "café"
