"""Untrusted text on the pages: control characters and bidi overrides are never written into HTML (whatever the
store holds), and highlight sentinels in a stored title cannot make ``<mark>`` (only the search backend's own do)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from markupsafe import Markup
from starlette.testclient import TestClient
from web_story_rows import add_story

from newsdesk.config import Settings
from newsdesk.store import articles as article_store
from newsdesk.store.tables_core import articles
from newsdesk.web.templating import displayed

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SPOOFED = "Harbour strike\u202e sdne\x1b[2J\x07 \u2066isolated\u2069\x01"


def test_control_characters_and_bidi_overrides_never_reach_the_page(client: TestClient,
                                                                    sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, [article_id] = add_story(engine, [("Outlet\u202e", "en", SPOOFED)], text=f"{SPOOFED}\n\nMore\x0b text.")
    with engine.begin() as conn:  # stored raw, as before the rule: only rendering stands in the way
        conn.execute(articles.update().where(articles.c.id == article_id).values(byline="\u202dSam\x08"))
    for page in (f"/articles/{article_id}", f"/stories/{story_id}", "/", "/search?q=sdne"):
        body = client.get(page).text
        assert "sdne" in body and "isolated" in body, page
        assert FORBIDDEN.findall(body) == [], page
    assert "Harbour strike sdne[2J isolated" in client.get(f"/articles/{article_id}").text


def test_rendering_keeps_markup_and_tabs_and_newlines() -> None:
    assert displayed(Markup("<b>a\x02</b>")) == Markup("<b>a</b>") and isinstance(displayed(Markup("x")), Markup)
    assert displayed("a\tb\nc\r\nd\u202ee") == "a\tb\nc\nde" and displayed(7) == 7 and displayed(None) is None


def test_sentinels_in_a_stored_title_make_no_mark(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    with engine.begin() as conn:
        article_store.insert_article(conn, {
            "title": "Beirut \x02Qwertyport\x03 xylophonist strike", "language": "en", "outlet": "Planted",
            "text": "The xylophonist strike at \x02Qwertyport\x03 went on. " * 5, "url": "https://planted.example/1"})
    body = client.get("/search", params={"q": "xylophonist"}).text
    assert "<mark>xylophonist</mark>" in body
    assert "<mark>Qwertyport</mark>" not in body and "Qwertyport" in body
    api = client.get("/api/v1/search", params={"q": "xylophonist"})
    assert api.status_code == 200 and "\\u0002Qwertyport" not in api.text
