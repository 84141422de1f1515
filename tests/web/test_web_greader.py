"""The Google Reader API as reader apps (NetNewsWire, Reeder, ReadYou) use it, over a real store on SQLite and
PostgreSQL: sign-in, subscriptions and labels, unread counts, id lists with continuations, item contents in both
id forms, starring and reading with edit-tag, mark-all-as-read, per-account state, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from reader_apps_store import ARTICLES
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.users import set_password
from newsdesk.web.app import create_app
from newsdesk.web.readerapps.greader_streams import LONG_ID

API = "/reader/api/0"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"


@pytest.fixture
def app_client(reader_engine: sa.Engine, settings: Settings, reader_store: dict[str, int]) -> TestClient:
    return TestClient(create_app(settings, engine=reader_engine))


def login(client: TestClient, user: str = "ana") -> dict[str, str]:
    reply = client.post("/accounts/ClientLogin", data={"Email": user, "Passwd": f"{user}-password"})
    assert reply.status_code == 200
    token = dict(line.split("=", 1) for line in reply.text.strip().splitlines())["Auth"]
    return {"Authorization": f"GoogleLogin auth={token}"}


def ids(client: TestClient, auth: dict[str, str], **params: str | list[str]) -> tuple[list[int], str | None]:
    reply = client.get(f"{API}/stream/items/ids", params=params, headers=auth).json()
    return [int(ref["id"]) for ref in reply["itemRefs"]], reply.get("continuation")


def test_sign_in_and_refusals(app_client: TestClient, reader_engine: sa.Engine) -> None:
    assert app_client.post("/accounts/ClientLogin", data={"Email": "ana", "Passwd": "wrong"}).status_code == 401
    auth = login(app_client)
    info = app_client.get(f"{API}/user-info", headers=auth).json()
    assert info["userName"] == "ana"
    assert app_client.get(f"{API}/token", headers=auth).text == auth["Authorization"].partition("auth=")[2]
    assert app_client.get(f"{API}/user-info").status_code == 401
    forged = {"Authorization": "GoogleLogin auth=ana/" + "0" * 40}
    assert app_client.get(f"{API}/user-info", headers=forged).status_code == 401
    with reader_engine.begin() as conn:
        set_password(conn, "ana", "a new password")
    assert app_client.get(f"{API}/user-info", headers=auth).status_code == 401  # the old token died with it
    json_login = app_client.post("/accounts/ClientLogin", data={"Email": "ana", "Passwd": "a new password",
                                                                "output": "json"}).json()
    assert json_login["Auth"].startswith("ana/")


def test_subscriptions_labels_and_unread_counts(app_client: TestClient, reader_store: dict[str, int]) -> None:
    auth = login(app_client)
    subscriptions = app_client.get(f"{API}/subscription/list", params={"output": "json"}, headers=auth).json()
    by_id = {s["id"]: s for s in subscriptions["subscriptions"]}
    assert set(by_id) == {f"feed/{i}" for i in reader_store.values()}
    assert by_id[f"feed/{reader_store['science']}"]["categories"] == [{"id": "user/-/label/science",
                                                                       "label": "science"}]
    tags = {t["id"] for t in app_client.get(f"{API}/tag/list", headers=auth).json()["tags"]}
    assert tags == {STARRED, "user/-/label/Stories", "user/-/label/science", "user/-/label/sport"}
    counts = {c["id"]: c["count"] for c in app_client.get(f"{API}/unread-count", headers=auth).json()["unreadcounts"]}
    assert counts[READING_LIST] == ARTICLES  # the month-old article is outside the unread window
    assert counts["user/-/label/sport"] == counts[f"feed/{reader_store['sport']}"] == ARTICLES // 2


def test_id_lists_page_with_continuations_both_ways(app_client: TestClient, reader_store: dict[str, int]) -> None:
    auth = login(app_client)
    first, more = ids(app_client, auth, s=READING_LIST, xt=READ, n="50")
    assert len(first) == 50 and first == sorted(first, reverse=True) and more
    second, more = ids(app_client, auth, s=READING_LIST, xt=READ, n="50", c=more)
    third, more = ids(app_client, auth, s=READING_LIST, xt=READ, n="50", c=more)
    assert len(second) == 50 and len(third) == ARTICLES - 100 and more is None
    assert not set(first) & set(second) and max(second) < min(first)
    oldest, _ = ids(app_client, auth, s=f"feed/{reader_store['science']}", r="o", n="5")
    assert oldest == sorted(oldest) and len(oldest) == 5
    everything, _ = ids(app_client, auth, s=READING_LIST, n="1000")
    assert len(everything) == ARTICLES + 1  # without xt=read, old articles are listed too


def test_contents_in_both_id_forms_and_stream_contents(app_client: TestClient) -> None:
    auth = login(app_client)
    newest, _ = ids(app_client, auth, s=READING_LIST, n="2")
    reply = app_client.post(f"{API}/stream/items/contents", headers=auth,
                            data={"i": [str(newest[0]), f"{LONG_ID}{newest[1]:016x}"]}).json()
    assert [item["id"] for item in reply["items"]] == [f"{LONG_ID}{i:016x}" for i in newest]
    item = reply["items"][0]
    assert item["title"] == "Report 0" and item["origin"]["streamId"].startswith("feed/")
    assert READING_LIST in item["categories"] and READ not in item["categories"]
    assert item["summary"]["content"] == "<p>Paragraph one of 0.</p><p>Paragraph two.</p>"
    assert int(item["timestampUsec"]) > (datetime.now(UTC).timestamp() - 3600) * 1e6
    page = app_client.get(f"{API}/stream/contents/user/-/label/science", params={"n": "10"}, headers=auth).json()
    assert len(page["items"]) == 10 and "continuation" in page
    assert all("user/-/label/science" in i["categories"] for i in page["items"])


def test_edit_tag_and_mark_all_as_read_per_account(app_client: TestClient, reader_engine: sa.Engine,
                                                   reader_store: dict[str, int]) -> None:
    ana, ben = login(app_client), login(app_client, "ben")
    newest, _ = ids(app_client, ana, s=READING_LIST, n="3")
    assert app_client.post(f"{API}/edit-tag", headers=ana,
                           data={"i": [str(i) for i in newest], "a": READ}).text == "OK"
    app_client.post(f"{API}/edit-tag", headers=ana, data={"i": str(newest[0]), "a": STARRED})
    unread, _ = ids(app_client, ana, s=READING_LIST, xt=READ, n="1000")
    assert len(unread) == ARTICLES - 3 and not set(newest) & set(unread)
    assert ids(app_client, ana, s=STARRED)[0] == [newest[0]] and ids(app_client, ben, s=STARRED)[0] == []
    assert len(ids(app_client, ben, s=READING_LIST, xt=READ, n="1000")[0]) == ARTICLES
    app_client.post(f"{API}/edit-tag", headers=ana, data={"i": str(newest[1]), "r": READ})
    assert newest[1] in ids(app_client, ana, s=READING_LIST, xt=READ, n="1000")[0]

    now_usec = str(int(datetime.now(UTC).timestamp() * 1e6) + 5_000_000)
    feed = f"feed/{reader_store['sport']}"
    assert app_client.post(f"{API}/mark-all-as-read", headers=ana, data={"s": feed, "ts": now_usec}).text == "OK"
    with reader_engine.connect() as conn:
        sport = set(conn.execute(sa.select(articles.c.id).where(articles.c.source_id == reader_store["sport"]))
                    .scalars())
    left = set(ids(app_client, ana, s=READING_LIST, xt=READ, n="1000")[0])
    assert left and not left & sport
    app_client.post(f"{API}/mark-all-as-read", headers=ana, data={"s": READING_LIST, "ts": now_usec})
    assert ids(app_client, ana, s=READING_LIST, xt=READ)[0] == []
    assert app_client.get(f"{API}/no/such/call", headers=ana).status_code == 404


def test_tokens_are_signed_with_the_install_key(reader_engine: sa.Engine, settings: Settings,
                                                reader_store: dict[str, int]) -> None:
    one = TestClient(create_app(settings.replace(web_secret_key="first install"), engine=reader_engine))
    other = TestClient(create_app(settings.replace(web_secret_key="second install"), engine=reader_engine))
    auth = login(one)
    assert one.get(f"{API}/user-info", headers=auth).status_code == 200
    assert other.get(f"{API}/user-info", headers=auth).status_code == 401  # a copied database forges nothing
    kept = TestClient(create_app(settings, engine=reader_engine))  # no setting: a key file in the data folder
    assert kept.get(f"{API}/user-info", headers=login(kept)).status_code == 200
    key_file = Path(settings.data_dir) / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600 and len(key_file.read_bytes()) == 64
