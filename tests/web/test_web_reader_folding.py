"""Stories in reader apps, on SQLite and PostgreSQL: an account that folds wire copies sees one item per original in
Google Reader and Fever, the item lists the other outlets, marking it read marks its copies read; the
``user/-/label/Stories`` stream holds one item per story; an account that does not fold sees every copy."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store import reading
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories
from newsdesk.store.users import account_by_name, fever_key
from newsdesk.web.app import create_app

API = "/reader/api/0"
STORIES = "user/-/label/Stories"


@pytest.fixture
def folded(reader_engine: sa.Engine, settings: Settings, reader_store: dict[str, int]) -> dict[str, object]:
    """The newest article has two wire copies (other outlets); with a fourth article it makes one story."""
    with reader_engine.begin() as conn:
        by_title = dict(conn.execute(sa.select(articles.c.title, articles.c.id)).all())
        original, copies = by_title["Report 0"], [by_title["Report 1"], by_title["Report 2"]]
        other = by_title["Report 3"]
        conn.execute(articles.update().where(articles.c.id == original).values(outlet="Wire Agency"))
        for copy, outlet in zip(copies, ("Daily Copy", "Evening Copy"), strict=True):
            conn.execute(articles.update().where(articles.c.id == copy).values(duplicate_of=original, outlet=outlet))
        conn.execute(articles.update().where(articles.c.id == other).values(outlet="Own Reporting"))
        story = conn.execute(stories.insert().values(title="Report 0", representative_article_id=original,
                                                     article_count=4, outlet_count=4, languages=[], regions=[],
                                                     topics=[])).inserted_primary_key[0]
        conn.execute(articles.update().where(articles.c.id.in_([original, other, *copies])).values(story_id=story))
        ana = account_by_name(conn, "ana").id
    client = TestClient(create_app(settings, engine=reader_engine))
    return {"client": client, "original": original, "copies": copies, "other": other, "ana": ana}


def _fold(client: TestClient, engine: sa.Engine) -> None:
    sign_in_as(client, engine, name="ana")
    reply = client.post("/account/reader-apps", data={"fold_copies": "1"}, headers={"sec-fetch-site": "same-origin"},
                        follow_redirects=False)
    assert reply.status_code == 303
    assert "checked" in client.get("/account").text
    client.cookies.clear()


def _greader(client: TestClient) -> dict[str, str]:
    reply = client.post("/accounts/ClientLogin", data={"Email": "ana", "Passwd": "ana-password"})
    token = dict(line.split("=", 1) for line in reply.text.strip().splitlines())["Auth"]
    return {"Authorization": f"GoogleLogin auth={token}"}


def _ids(client: TestClient, auth: dict[str, str], stream: str) -> list[int]:
    reply = client.get(f"{API}/stream/items/ids", params={"s": stream, "n": "1000"}, headers=auth).json()
    return [int(ref["id"]) for ref in reply["itemRefs"]]


def test_google_reader_folds_copies_and_reading_the_item_reads_them(folded, reader_engine):
    client, original, copies = folded["client"], folded["original"], folded["copies"]
    auth = _greader(client)
    everything = _ids(client, auth, "user/-/state/com.google/reading-list")
    assert set(copies) <= set(everything)  # not folded yet
    _fold(client, reader_engine)
    shown = _ids(client, auth, "user/-/state/com.google/reading-list")
    assert original in shown and not set(copies) & set(shown) and len(shown) == len(everything) - 2
    item = client.get(f"{API}/stream/items/contents", params={"i": str(original)}, headers=auth).json()["items"][0]
    assert "Also covered by: Daily Copy, Evening Copy, Own Reporting" in item["summary"]["content"]
    client.post(f"{API}/edit-tag", data={"i": str(original), "a": "user/-/state/com.google/read"}, headers=auth)
    with reader_engine.connect() as conn:
        marks = reading.states(conn, folded["ana"], [original, *copies, folded["other"]])
    assert all(marks[a][0] for a in (original, *copies)) and folded["other"] not in marks


def test_the_stories_stream_has_one_item_per_story(folded):
    client = folded["client"]
    auth = _greader(client)
    assert _ids(client, auth, STORIES) == [folded["original"]]
    tags = {t["id"] for t in client.get(f"{API}/tag/list", headers=auth).json()["tags"]}
    counts = {c["id"]: c["count"] for c in client.get(f"{API}/unread-count", headers=auth).json()["unreadcounts"]}
    assert STORIES in tags and counts[STORIES] == 1


def test_fever_folds_copies_and_reading_the_item_reads_them(folded, reader_engine):
    client, original, copies = folded["client"], folded["original"], folded["copies"]
    key = fever_key("ana", "ana-password")

    def call(query: str, **form: str) -> dict:
        return client.post(f"/fever/?api&{query}", data={"api_key": key, **form}).json()

    unread_before = call("unread_item_ids")["unread_item_ids"].split(",")
    assert str(copies[0]) in unread_before
    _fold(client, reader_engine)
    unread = call("unread_item_ids")["unread_item_ids"].split(",")
    assert str(original) in unread and not {str(c) for c in copies} & set(unread)
    items = {i["id"]: i for i in call("items&with_ids=" + ",".join(map(str, [original, *copies])))["items"]}
    assert set(items) == {original} and "Also covered by" in items[original]["html"]
    call("", mark="item", id=str(original), **{"as": "read"})
    with reader_engine.connect() as conn:
        marks = reading.states(conn, folded["ana"], [original, *copies])
    assert all(marks[a][0] for a in (original, *copies))
