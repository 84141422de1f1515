"""OPML import/export: nested folders, round trips, hostile XML and URLs, and the 10k-feed source pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.sources.opml import OpmlError, OpmlOutline, checked_outlines, parse_opml, write_opml

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Reader export</title></head><body>
  <outline text="News" title="News">
    <outline text="World">
      <outline type="rss" text="Wire" title="World Wire" xmlUrl="https://wire.example/rss"
               htmlUrl="https://wire.example/" language="en" region="GB"/>
    </outline>
    <outline text="Tech news" XMLURL="https://tech.example/feed" category="/Science,/Computing"/>
  </outline>
  <outline text="Top level" xmlUrl="https://top.example/atom.xml"/>
  <outline text="Sport"><outline text="Wire again" xmlUrl="https://wire.example/rss"/></outline>
  <outline text="Empty folder"/>
</body></opml>"""


def test_nested_folders_become_topic_paths_and_duplicates_merge():
    assert parse_opml(NESTED) == [
        OpmlOutline("https://wire.example/rss", "World Wire", "https://wire.example/", ["News", "World", "Sport"],
                    "en", "GB"),
        OpmlOutline("https://tech.example/feed", "Tech news", None, ["News", "Science", "Computing"]),
        OpmlOutline("https://top.example/atom.xml", "Top level", None, []),
    ]


def test_round_trip_keeps_every_outline():
    outlines = parse_opml(NESTED)
    written = write_opml(outlines, title="mine")
    assert "<title>mine</title>" in written
    assert parse_opml(written.encode("utf-8")) == outlines


def test_written_folders_come_from_the_first_topic():
    written = write_opml([OpmlOutline("https://a.example/f", "A", topics=["Politics", "Europe"]),
                          OpmlOutline("https://b.example/f", "B & <C>", topics=["Politics"]),
                          OpmlOutline("https://c.example/f", "C\x00\x0b", topics=[])])
    assert written.count('text="Politics"') == 1 and 'category="/Europe"' in written
    assert [o.title for o in parse_opml(written.encode())] == ["A", "B & <C>", "C"]


@pytest.mark.parametrize(("document", "message"), [
    (b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
     b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><opml><body><outline text="&c;" xmlUrl="http://x/"/>'
     b'</body></opml>', "declares entities"),
    (b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body>'
     b'<outline text="&x;" xmlUrl="http://x/"/></body></opml>', "declares entities"),
    (b"<opml><body><outline text='a' xmlUrl='http://x/'></body></opml>", "line 1, column"),
    (b"<html><body/></html>", "root element is <html>"),
    (b"<opml><head/></opml>", "no <body>"),
    (b"", "not well-formed"),
])
def test_hostile_or_broken_documents_raise_opml_error(document, message):
    with pytest.raises(OpmlError, match=message):
        parse_opml(document)


def test_thousand_outlines_in_nested_folders():
    folders = "".join(
        f'<outline text="Topic {t}"><outline text="Sub {t}">'
        + "".join(f'<outline text="Feed {t}-{i}" xmlUrl="https://s{t}.example/{i}.xml"/>' for i in range(100))
        + "</outline></outline>"
        for t in range(10)
    )
    outlines = parse_opml(f"<opml version='2.0'><body>{folders}</body></opml>".encode())
    assert len(outlines) == 1000
    assert outlines[-1] == OpmlOutline("https://s9.example/99.xml", "Feed 9-99", None, ["Topic 9", "Sub 9"])


def test_ten_thousand_real_feed_urls_from_the_source_pack(shared_dir: Path):
    pack = json.loads((shared_dir / "data/source-packs/kite_feeds.json").read_text(encoding="utf-8"))
    topics_by_url: dict[str, list[str]] = {}
    for category, info in pack.items():
        for url in info["feeds"]:
            topics_by_url.setdefault(url.strip(), []).append(category)
    outlines = [OpmlOutline(url, url, None, topics) for url, topics in topics_by_url.items()]
    assert len(outlines) > 9000
    parsed = parse_opml(write_opml(outlines).encode("utf-8"))
    assert parsed == outlines


HOSTILE_OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="Good" xmlUrl="HTTPS://Good.Example/feed?utm_source=opml" htmlUrl="https://good.example/"/>
<outline text="Script" xmlUrl="javascript:fetch('/account').then(r=>r.text()).then(alert)"/>
<outline text="Mixed case" xmlUrl="JaVaScRiPt:alert(1)"/>
<outline text="Data" xmlUrl="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="/>
<outline text="Bad site" xmlUrl="https://ok.example/feed" htmlUrl="javascript:alert(2)"/>
<outline text="Also good" xmlUrl="http://also.example/rss"/>
</body></opml>"""


def test_outlines_breaking_the_url_rule_are_refused_with_the_reason():
    kept, refused = checked_outlines(parse_opml(HOSTILE_OPML))
    assert [(o.feed_url, o.site_url) for o in kept] == [("https://good.example/feed", "https://good.example/"),
                                                        ("http://also.example/rss", None)]
    assert [r.title for r in refused] == ["Script", "Mixed case", "Data", "Bad site"]
    assert refused[1].feed_url == "JaVaScRiPt:alert(1)"
    assert all("http(s)" in r.reason for r in refused)
    assert refused[0].reason.startswith("xmlUrl") and refused[3].reason.startswith("htmlUrl")


def test_outlines_merge_again_once_their_urls_are_canonical():
    kept, refused = checked_outlines([OpmlOutline("https://a.example/f", "A", topics=["X"]),
                                      OpmlOutline("HTTPS://A.EXAMPLE:443/f#top", "A again", topics=["Y"])])
    assert refused == [] and [(o.feed_url, o.topics) for o in kept] == [("https://a.example/f", ["X", "Y"])]
