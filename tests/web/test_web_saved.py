"""Save for later over a real store: per account, the same set as the reader apps' starred items (Fever here), a
signed-out save goes to sign in and back, a cross-site post is refused, an unknown article is a 404."""

from __future__ import annotations

import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.users import fever_key
from newsdesk.web.app import create_app


def article_ids(engine: sa.Engine, *titles: str) -> list[int]:
    with engine.connect() as conn:
        found = dict(conn.execute(sa.select(articles.c.title, articles.c.id).where(articles.c.title.in_(titles))).all())
    return [found[t] for t in titles]


def fever_saved(client: TestClient, user: str) -> str:
    reply = client.post("/fever/?api&saved_item_ids", data={"api_key": fever_key(user, f"{user}-password")})
    return reply.json()["saved_item_ids"]


def test_saved_in_the_web_app_is_starred_in_reader_apps_and_back(reader_engine: sa.Engine, settings: Settings,
                                                                 reader_store: dict[str, int]) -> None:
    saved_here, starred_there = article_ids(reader_engine, "Report 3", "Report 7")
    app = create_app(settings, engine=reader_engine)
    with TestClient(app) as ana, TestClient(app) as ben:
        sign_in_as(ana, reader_engine, name="ana")
        sign_in_as(ben, reader_engine, name="ben")
        saved = ana.post(f"/articles/{saved_here}/save", data={"on": "1"}, follow_redirects=False)
        assert saved.status_code == 303 and saved.headers["location"] == f"/articles/{saved_here}"
        assert 'aria-pressed="true"' in ana.get(f"/articles/{saved_here}").text
        assert fever_saved(ana, "ana") == str(saved_here)
        ana.post("/fever/?api", data={"api_key": fever_key("ana", "ana-password"), "mark": "item", "as": "saved",
                                      "id": str(starred_there)})
        page = ana.get("/saved").text
        assert "Report 3" in page and "Report 7" in page
        assert "Report 3" not in ben.get("/saved").text and fever_saved(ben, "ben") == ""
        removed = ana.post(f"/articles/{saved_here}/save", data={"on": "0", "next": "/saved"}, follow_redirects=False)
        assert removed.headers["location"] == "/saved"
        assert "Report 3" not in ana.get("/saved").text and fever_saved(ana, "ana") == str(starred_there)


def test_saving_needs_a_signed_in_same_site_post_and_a_real_article(reader_engine: sa.Engine, settings: Settings,
                                                                    reader_store: dict[str, int]) -> None:
    (target,) = article_ids(reader_engine, "Report 1")
    with TestClient(create_app(settings, engine=reader_engine)) as client:
        page = client.get(f"/articles/{target}").text
        assert f'href="/login?next=/articles/{target}"' in page and "Save for later" in page
        visitor = client.post(f"/articles/{target}/save", data={"on": "1"}, follow_redirects=False)
        assert visitor.status_code == 303 and visitor.headers["location"].startswith("/login?next=")
        assert client.get("/saved", follow_redirects=False).headers["location"] == "/login?next=/saved"
        sign_in_as(client, reader_engine, name="ana")
        evil = client.post(f"/articles/{target}/save", data={"on": "1"}, headers={"Origin": "https://evil.example"},
                           follow_redirects=False)
        assert evil.status_code == 403
        assert client.post("/articles/999999/save", data={"on": "1"}).status_code == 404
        assert "Nothing saved yet" in client.get("/saved").text
