"""The Fever API as a reader app uses it, over a real SQLite store: sign-in by key, groups from topics, feeds, items
in pages of 50, read/saved marks per account, marking a feed, a group or everything read, the unread window, and
the ``users`` command that creates accounts."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from reader_apps_store import ARTICLES
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.users import check_password, fever_key
from newsdesk.web.app import create_app
from newsdesk.web.readerapps.fever import group_id


@pytest.fixture
def fever(reader_engine: sa.Engine, settings: Settings, reader_store: dict[str, int]) -> TestClient:
    return TestClient(create_app(settings, engine=reader_engine))


def call(client: TestClient, query: str, user: str = "ana", **form: str) -> dict:
    reply = client.post(f"/fever/?api&{query}", data={"api_key": fever_key(user, f"{user}-password"), **form})
    assert reply.status_code == 200
    return reply.json()


def unread(client: TestClient, user: str = "ana") -> list[int]:
    return [int(i) for i in call(client, "unread_item_ids", user)["unread_item_ids"].split(",") if i]


def test_sign_in_by_key_only(fever: TestClient) -> None:
    assert fever.post("/fever/?api", data={"api_key": "0" * 32}).json() == {"api_version": 3, "auth": 0}
    assert fever.post("/fever/?api", data={"api_key": fever_key("ana", "wrong")}).json()["auth"] == 0
    ok = call(fever, "")
    assert ok["auth"] == 1 and ok["last_refreshed_on_time"] > datetime.now(UTC).timestamp() - 60
    assert fever.get("/fever/").status_code == 400


def test_groups_are_topics_and_feeds_are_sources(fever: TestClient, reader_store: dict[str, int]) -> None:
    reply = call(fever, "groups&feeds")
    assert {(g["id"], g["title"]) for g in reply["groups"]} == {(group_id("science"), "science"),
                                                                (group_id("sport"), "sport")}
    assert {(fg["group_id"], fg["feed_ids"]) for fg in reply["feeds_groups"]} == {
        (group_id("science"), str(reader_store["science"])), (group_id("sport"), str(reader_store["sport"]))}
    feeds = {f["id"]: f["url"] for f in reply["feeds"]}
    assert feeds == {i: f"https://{t}.example/feed" for t, i in reader_store.items()}
    assert call(fever, "groups")["groups"] == reply["groups"]  # ids are stable


def test_items_page_by_50_forward_backward_and_by_id(fever: TestClient) -> None:
    first = call(fever, "items")
    assert len(first["items"]) == 50 and first["total_items"] == ARTICLES + 1
    ids = [i["id"] for i in first["items"]]
    assert ids == sorted(ids)
    second = call(fever, f"items&since_id={ids[-1]}")["items"]
    assert len(second) == 50 and second[0]["id"] > ids[-1]
    backward = call(fever, f"items&max_id={second[0]['id']}")["items"]
    assert [i["id"] for i in backward] == list(reversed(ids))
    picked = call(fever, f"items&with_ids={ids[3]},{ids[7]}")["items"]
    assert [i["id"] for i in picked] == [ids[3], ids[7]]
    item = picked[0]
    number = item["title"].removeprefix("Report ")
    assert item["html"] == f"<p>Paragraph one of {number}.</p><p>Paragraph two.</p>" and item["author"] == "A. Writer"
    assert item["is_read"] == 0 and item["is_saved"] == 0 and item["created_on_time"] > 0


def test_marks_are_per_account(fever: TestClient) -> None:
    everything = unread(fever)
    assert len(everything) == ARTICLES  # the month-old article is outside the unread window
    target = everything[5]
    call(fever, "", mark="item", **{"as": "read", "id": str(target)})
    call(fever, "", mark="item", **{"as": "saved", "id": str(target)})
    assert target not in unread(fever) and target in unread(fever, "ben")
    assert call(fever, "saved_item_ids")["saved_item_ids"] == str(target)
    assert call(fever, "saved_item_ids", "ben")["saved_item_ids"] == ""
    item = call(fever, f"items&with_ids={target}")["items"][0]
    assert (item["is_read"], item["is_saved"]) == (1, 1)
    call(fever, "", mark="item", **{"as": "unread", "id": str(target)})
    call(fever, "", mark="item", **{"as": "unsaved", "id": str(target)})
    assert target in unread(fever) and call(fever, "saved_item_ids")["saved_item_ids"] == ""


def test_marking_a_feed_a_group_or_everything_read(fever: TestClient, reader_engine: sa.Engine,
                                                   reader_store: dict[str, int]) -> None:
    with reader_engine.connect() as conn:
        in_sport = articles.c.source_id == reader_store["sport"]
        sport = set(conn.execute(sa.select(articles.c.id).where(in_sport)).scalars())
    now = str(int(datetime.now(UTC).timestamp()) + 5)
    call(fever, "", mark="feed", **{"as": "read", "id": str(reader_store["sport"]), "before": now})
    left = unread(fever)
    assert left and not sport & set(left) and len(left) == ARTICLES // 2
    call(fever, "", mark="group", **{"as": "read", "id": str(group_id("science")), "before": now})
    assert unread(fever) == [] and len(unread(fever, "ben")) == ARTICLES
    call(fever, "", "ben", mark="group", **{"as": "read", "id": "0", "before": now})
    assert unread(fever, "ben") == []


def test_before_keeps_newer_articles_unread(fever: TestClient) -> None:
    cutoff = datetime.now(UTC) - timedelta(minutes=60, seconds=30)
    call(fever, "", mark="group", **{"as": "read", "id": "0", "before": str(int(cutoff.timestamp()))})
    assert len(unread(fever)) == 61  # articles fetched 0..60 minutes ago


def test_users_command_creates_accounts_and_refuses_bad_ones(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {**os.environ, "NEWSDESK_DATABASE_URL": db}

    def users(*args: str, password: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "newsdesk.cli", "users", *args], input=password + "\n",
                              capture_output=True, text=True, env=env, timeout=120)

    assert users("add", "carla", "--password-stdin", password="long enough").returncode == 0
    again = users("add", "carla", "--password-stdin", password="long enough")
    assert again.returncode == 1 and "exists" in again.stderr
    short = users("add", "dan", "--password-stdin", password="short")
    assert short.returncode == 1 and "at least 8" in short.stderr
    assert users("passwd", "carla", "--password-stdin", password="another one").returncode == 0
    assert users("moderator", "carla").returncode == 0 and users("moderator", "nobody").returncode == 1
    assert "carla" in users("list").stdout and "moderator" in users("list").stdout
    cli_engine = sa.create_engine(db)
    with cli_engine.connect() as conn:
        assert check_password(conn, "carla", "another one") and not check_password(conn, "carla", "long enough")
        assert check_password(conn, "nobody", "another one") is None
    cli_engine.dispose()


def test_guessing_keys_is_cut_short(reader_engine: sa.Engine, settings: Settings, reader_store: dict[str, int]) -> None:
    client = TestClient(create_app(settings.replace(web_login_failures=2), engine=reader_engine))
    for _ in range(2):
        assert client.post("/fever/?api", data={"api_key": fever_key("ana", "guess")}).json()["auth"] == 0
    blocked = client.post("/fever/?api", data={"api_key": fever_key("ana", "ana-password")})
    assert blocked.status_code == 429 and blocked.json()["auth"] == 0
