"""Feeds out (Atom and JSON Feed) over a real SQLite sample store, read back with newsdesk's own feed readers: a
story's coverage, an edition's top stories, a search; well-formed XML from hostile text; pages link their feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import sqlalchemy as sa
from starlette.testclient import TestClient
from web_story_rows import HOSTILE, add_story

from newsdesk.config import Settings
from newsdesk.sources.discovery import feeds_linked_from_html
from newsdesk.sources.feeds import parse_feed
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories

BASE = "http://testserver"


def test_story_feed_lists_its_coverage_newest_first_in_both_formats(client: TestClient,
                                                                      sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, ids = add_story(engine, [("Paper A", "en", "Harbour strike ends"),
                                       ("Journal B", "fr", "La grève du port se termine"),
                                       ("Daily C", "en", "Dockers return to work")])
    atom = client.get(f"/stories/{story_id}/feed.atom")
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    parsed = parse_feed(atom.content, f"{BASE}/stories/{story_id}/feed.atom", atom.headers["content-type"])
    assert parsed.kind == "atom" and "Harbour strike ends" in (parsed.title or "")
    assert [e.title for e in parsed.entries] == ["Dockers return to work", "La grève du port se termine",
                                                 "Harbour strike ends"]
    assert [e.url for e in parsed.entries] == [f"{BASE}/articles/{i}" for i in reversed(ids)]
    assert all(e.published and e.published.tzinfo for e in parsed.entries)
    assert parsed.entries[1].language == "fr" and parsed.entries[0].author == "Daily C"

    as_json = client.get(f"/stories/{story_id}/feed.json")
    assert as_json.headers["content-type"].startswith("application/feed+json")
    document = as_json.json()
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["items"][0]["external_url"] == f"https://2.example/{story_id}/2"
    again = parse_feed(as_json.content, f"{BASE}/stories/{story_id}/feed.json", as_json.headers["content-type"])
    assert [e.title for e in again.entries] == [e.title for e in parsed.entries]


def test_wire_copies_are_left_out_of_a_story_feed(client: TestClient,
                                                  sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, ids = add_story(engine, [("Paper A", "en", "Original report"), ("Paper B", "en", "Copied report")])
    with engine.begin() as conn:
        conn.execute(articles.update().where(articles.c.id == ids[1]).values(duplicate_of=ids[0]))
    parsed = parse_feed(client.get(f"/stories/{story_id}/feed.atom").content, BASE, "application/atom+xml")
    assert [e.title for e in parsed.entries] == ["Original report"]


def test_top_stories_feed_follows_the_edition(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    response = client.get("/feeds/top.atom", params={"edition": "it"})
    parsed = parse_feed(response.content, f"{BASE}/feeds/top.atom?edition=IT", "application/atom+xml")
    assert parsed.entries and "IT" in (parsed.title or "")
    story_ids = [int(e.url.rsplit("/", 1)[1]) for e in parsed.entries]
    with engine.connect() as conn:
        regions = conn.execute(sa.select(stories.c.regions).where(stories.c.id.in_(story_ids))).scalars().all()
    assert len(regions) == len(story_ids) and all("IT" in r for r in regions)
    assert all("articles from" in (e.summary or "") for e in parsed.entries)
    as_json = client.get("/feeds/top.json", params={"edition": "it"})
    read_back = parse_feed(as_json.content, f"{BASE}/feeds/top.json?edition=IT", "application/feed+json")
    assert [e.url for e in read_back.entries] == [e.url for e in parsed.entries]


def test_search_feed_has_plain_titles_and_snippets(client: TestClient) -> None:
    parsed = parse_feed(client.get("/search/feed.atom", params={"q": "ipod"}).content, BASE, "application/atom+xml")
    assert parsed.entries and "ipod" in (parsed.title or "")
    assert all("\x02" not in (e.title + (e.summary or "")) for e in parsed.entries)
    assert client.get("/search/feed.json", params={"q": "   "}).json()["items"] == []


def test_hostile_text_still_makes_well_formed_xml(client: TestClient,
                                                  sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper\x0b A", "en", HOSTILE + "\x00\x1f end")])
    body = client.get(f"/stories/{story_id}/feed.atom").content
    root = ET.fromstring(body)  # strict parser: raises on control characters or broken markup
    title = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert title is not None and title.text == HOSTILE + " end"
    assert b"<script>" not in body
    json.loads(client.get(f"/stories/{story_id}/feed.json").content)


def test_pages_link_their_feeds_for_feed_readers(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper A", "en", "Linked story")])
    for page, wanted in ((f"/stories/{story_id}", f"{BASE}/stories/{story_id}/feed.atom"),
                         ("/?edition=IT", f"{BASE}/feeds/top.atom?edition=IT"),
                         ("/search?q=ipod", f"{BASE}/search/feed.atom?q=ipod")):
        found = feeds_linked_from_html(client.get(page).content, BASE + page)
        assert wanted in [f.url for f in found], (page, found)
        feed = client.get(wanted.removeprefix(BASE))
        assert feed.status_code == 200 and parse_feed(feed.content, wanted, feed.headers["content-type"]).entries
    assert client.get("/stories/999999/feed.atom").status_code == 404


def test_excerpts_end_on_a_whole_word() -> None:
    from newsdesk.store.read_models import EXCERPT_CHARS
    from newsdesk.web.api.feeds_out import excerpt

    cut = ("harbour " * 100)[:EXCERPT_CHARS]
    assert excerpt(cut).endswith("harbour…") and len(excerpt(cut)) <= EXCERPT_CHARS
    assert excerpt("A short  text.\n") == "A short text."
