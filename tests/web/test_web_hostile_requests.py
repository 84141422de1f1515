"""Hostile or malformed requests get clear 4xx answers or empty results, never a 500 and never another reader's
page: odd numbers in the reader-app APIs, non-ASCII tokens, cookies split over several headers (HTTP/2), a forged
Host header, and sessions that outlive a password change (real SQLite store)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.users import fever_key, set_password
from newsdesk.web.app import create_app

BAD_NUMBERS = ["-1", "--1", "²", "99999999999999999999", "1e9", "0x7", ""]


@pytest.fixture
def app(reader_engine: sa.Engine, settings: Settings, reader_store: dict[str, int]):
    return create_app(settings.replace(web_page_cache_seconds=60.0, web_metrics_token="t0ken"), engine=reader_engine)


def test_fever_shrugs_off_bad_numbers(app) -> None:
    client = TestClient(app)
    key = {"api_key": fever_key("ana", "ana-password")}
    for bad in BAD_NUMBERS:
        for query in (f"items&since_id={bad}", f"items&max_id={bad}", f"items&with_ids=1,{bad}"):
            reply = client.post(f"/fever/?api&{query}", data=key)
            assert reply.status_code == 200 and reply.json()["auth"] == 1, (query, reply.text)
        for mark in ({"mark": "item", "as": "read", "id": bad}, {"mark": "feed", "as": "read", "id": "1",
                                                                  "before": bad + "99999999"}):
            assert client.post("/fever/?api", data={**key, **mark}).status_code == 200, mark


def test_google_reader_shrugs_off_bad_numbers_and_tokens(app) -> None:
    client = TestClient(app)
    token = client.post("/accounts/ClientLogin", data={"Email": "ana", "Passwd": "ana-password"}).text
    auth = {"Authorization": "GoogleLogin auth=" + token.split("Auth=")[1].strip()}
    for bad in [*BAD_NUMBERS, "tag:google.com,2005:reader/item/ffffffffffffffff", "tag:google.com,2005:reader/item/zz"]:
        for params in ({"n": bad}, {"c": bad}, {"ot": bad}, {"nt": bad + "999999"}, {"s": f"feed/{bad}"}):
            reply = client.get("/reader/api/0/stream/items/ids", params=params, headers=auth)
            assert reply.status_code == 200, (params, reply.text)
        assert client.post("/reader/api/0/stream/items/contents", data={"i": bad}, headers=auth).json()["items"] == []
        assert client.post("/reader/api/0/edit-tag", data={"i": bad, "a": "user/-/state/com.google/read"},
                           headers=auth).text == "OK"
        assert client.post("/reader/api/0/mark-all-as-read", data={"ts": bad + "9" * 20}, headers=auth).text == "OK"
    odd = {"Authorization": "GoogleLogin auth=ana/\u00e9".encode()}  # raw UTF-8 bytes, as a hostile client sends
    assert client.get("/reader/api/0/user-info", headers=odd).status_code == 401
    odd_bearer = {"Authorization": "Bearer \u00e9".encode()}
    assert client.get("/metrics", headers=odd_bearer).status_code == 401


def test_cookies_in_several_headers_and_a_forged_host_stay_private(app) -> None:
    client = TestClient(app)
    reply = client.post("/login", data={"username": "ana", "password": "ana-password"}, follow_redirects=False)
    session = reply.cookies["nd_session"]
    split = [("cookie", f"nd_session={session}"), ("cookie", "ui=en")]
    assert "Sign out" in TestClient(app).get("/?x=1", headers=split).text  # a client with no cookie jar of its own
    visitor = TestClient(app)
    assert "Sign out" not in visitor.get("/?x=1").text
    forged = visitor.get("/feeds/top.atom", headers={"Host": "evil.example"})
    assert forged.status_code == 200
    assert "evil.example" not in visitor.get("/feeds/top.atom").text


def test_a_password_change_ends_web_sessions(app, reader_engine: sa.Engine) -> None:
    client = TestClient(app)
    client.post("/login", data={"username": "ben", "password": "ben-password"})
    assert client.get("/following").status_code == 200
    with reader_engine.begin() as conn:
        set_password(conn, "ben", "another password")
    assert client.get("/following", follow_redirects=False).status_code == 303


def test_form_bodies_are_capped_even_without_a_length(app) -> None:
    client = TestClient(app)

    def chunks():
        for _ in range(200):
            yield b"body=" + b"x" * 1024 + b"&"

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for path in ("/login", "/fever/?api", "/accounts/ClientLogin"):
        assert client.post(path, content=chunks(), headers=form).status_code == 413, path
    client.post("/login", data={"username": "ana", "password": "ana-password"})
    assert client.post("/stories/1/comments", content=chunks(), headers=form).status_code == 413
    many = "&".join(f"f{n}=1" for n in range(10_001))
    assert client.post("/login", content=many, headers=form).status_code == 413
