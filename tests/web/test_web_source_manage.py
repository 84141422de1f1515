"""One source's page for an admin: edit name, language, region and topics; pause and resume (a paused source is
never due); refresh now (due at once, so the scheduler's next step fetches it); remove after a confirmation, with
its articles, their comments and readers' marks kept. Every action is admin-only, same-origin and
post/redirect/get."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from loopback_feeds import FEED_PATH, loopback_site
from signed_in import sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store import social
from newsdesk.store import sources as source_store
from newsdesk.store.articles import insert_article, link_new_article
from newsdesk.store.db import open_store
from newsdesk.store.reading import mark_saved, saved_ids
from newsdesk.store.tables_core import article_feeds, articles, sources
from newsdesk.store.users import create_user
from newsdesk.tasks.ingest import fetch_pass_async
from newsdesk.tasks.scheduler import seconds_until_next_due
from newsdesk.web.app import create_app

ACTIONS = ("edit", "pause", "resume", "refresh", "remove")
LATER = timedelta(hours=6)


@pytest.fixture
def web(engine: sa.Engine, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine), base_url="http://newsdesk.test") as test_client:
        sign_in_as(test_client, engine, "admin")
        yield test_client


def _source(engine: sa.Engine, feed_url: str = "https://daily.example/feed", **values: object) -> int:
    now = datetime.now(UTC)
    values = {"name": "Daily Example", "next_check_at": now + LATER, "last_success_at": now, **values}
    with engine.begin() as conn:
        return conn.execute(sources.insert().values(feed_url=feed_url, added_at=now, topics=[], **values)
                            ).inserted_primary_key[0]


def _row(engine: sa.Engine, source_id: int) -> dict | None:
    with engine.connect() as conn:
        return source_store.source_detail(conn, source_id)


def _due_ids(engine: sa.Engine) -> set[int]:
    with engine.connect() as conn:
        return {s.id for s in source_store.due_sources(conn, datetime.now(UTC))}


@pytest.mark.parametrize("role", [None, "reader", "moderator"])
def test_only_an_admin_manages_a_source(engine: sa.Engine, settings: Settings, role: str | None) -> None:
    source_id = _source(engine)
    before = _row(engine, source_id)
    with TestClient(create_app(settings, engine), base_url="http://newsdesk.test") as stranger:
        if role:
            sign_in_as(stranger, engine, role)
        answers = [stranger.get(f"/sources/{source_id}", follow_redirects=False),
                   stranger.get(f"/sources/{source_id}/remove", follow_redirects=False)]
        answers += [stranger.post(f"/sources/{source_id}/{action}", data={"name": "Taken over"},
                                  follow_redirects=False) for action in ACTIONS]
    assert {a.status_code for a in answers} == {403 if role else 303}
    assert _row(engine, source_id) == before


def test_cross_site_posts_change_nothing(web: TestClient, engine: sa.Engine) -> None:
    source_id = _source(engine)
    before = _row(engine, source_id)
    for action in ACTIONS:
        forged = web.post(f"/sources/{source_id}/{action}", data={"name": "Forged"},
                          headers={"origin": "https://evil.example"}, follow_redirects=False)
        assert forged.status_code == 403, action
        sneaky = web.post(f"/sources/{source_id}/{action}", data={"name": "Forged"},
                          headers={"sec-fetch-site": "cross-site"}, follow_redirects=False)
        assert sneaky.status_code == 403, action
    assert _row(engine, source_id) == before


def test_unknown_sources_are_404(web: TestClient) -> None:
    for path in ("/sources/999", "/sources/999/remove", "/sources/99999999999999999999"):
        assert web.get(path).status_code == 404, path
    for action in ACTIONS:
        assert web.post(f"/sources/999/{action}", data={"name": "x"}).status_code == 404, action


def test_edit_name_language_region_and_topics(web: TestClient, engine: sa.Engine) -> None:
    source_id = _source(engine)
    form = {"name": " Beirut \u202eDaily ", "language": "AR", "region": "lb", "topics": "World, Politics,world, "}
    done = web.post(f"/sources/{source_id}/edit", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/sources/{source_id}?message=updated"
    row = _row(engine, source_id)
    assert (row["name"], row["language"], row["region"], row["topics"]) == ("Beirut Daily", "ar", "LB",
                                                                            ["World", "Politics", "world"])
    page = web.get(done.headers["location"]).text
    assert "Changes saved." in page and 'value="World, Politics, world"' in page
    cleared = web.post(f"/sources/{source_id}/edit", data={"name": "", "language": "", "region": "", "topics": ""})
    assert cleared.status_code == 200
    row = _row(engine, source_id)
    assert (row["name"], row["language"], row["region"], row["topics"]) == (None, None, None, [])


def test_a_refused_edit_says_why_and_keeps_what_was_typed(web: TestClient, engine: sa.Engine) -> None:
    source_id = _source(engine)
    form = {"name": "N" * 201, "language": "english please", "region": "Lebanon", "topics": "a, b"}
    refused = web.post(f"/sources/{source_id}/edit", data=form)
    assert refused.status_code == 422
    for reason in ("The name is too long", "The language must be a language code",
                   "The region must be a two-letter country code"):
        assert reason in refused.text
    assert 'value="english please"' in refused.text and 'value="Lebanon"' in refused.text
    assert _row(engine, source_id)["name"] == "Daily Example"


def test_a_paused_source_is_never_due_until_resumed(web: TestClient, engine: sa.Engine) -> None:
    source_id = _source(engine, next_check_at=None, last_success_at=None)  # never checked: due at once
    assert _due_ids(engine) == {source_id} and seconds_until_next_due(engine) == 0.0
    paused = web.post(f"/sources/{source_id}/pause", follow_redirects=False)
    assert paused.headers["location"] == f"/sources/{source_id}?message=paused"
    assert _row(engine, source_id)["paused_at"] is not None
    assert _due_ids(engine) == set() and seconds_until_next_due(engine) > 0
    page = web.get(paused.headers["location"]).text
    assert "Source paused" in page and "Resume" in page and "Refresh now" not in page
    assert "chip-paused" in web.get("/sources").text
    refused = web.post(f"/sources/{source_id}/refresh", follow_redirects=False)
    assert refused.headers["location"].endswith("message=refresh-paused") and _due_ids(engine) == set()
    resumed = web.post(f"/sources/{source_id}/resume", follow_redirects=False)
    assert resumed.headers["location"].endswith("message=resumed")
    assert _row(engine, source_id)["paused_at"] is None and _due_ids(engine) == {source_id}


def test_refresh_now_makes_the_source_due_and_the_next_pass_fetches_it(web: TestClient, engine: sa.Engine,
                                                                       settings: Settings) -> None:
    with loopback_site() as site:
        source_id = _source(engine, feed_url=site + FEED_PATH, last_success_at=None)
        other = _source(engine, feed_url=site + "/elsewhere.rss")
        assert _due_ids(engine) == set() and seconds_until_next_due(engine) > 0
        done = web.post(f"/sources/{source_id}/refresh", follow_redirects=False)
        assert done.headers["location"] == f"/sources/{source_id}?message=refreshing"
        assert _due_ids(engine) == {source_id} and seconds_until_next_due(engine) == 0.0
        quick = settings.replace(fetch_per_host_delay=0.0)
        summary = asyncio.run(fetch_pass_async(engine, quick, understand=False))  # what the scheduler's step runs
    assert summary.sources == 1 and summary.new == 1
    assert _row(engine, source_id)["last_success_at"] is not None and _row(engine, other)["last_checked_at"] is None
    assert "will be fetched within a minute" in web.get(done.headers["location"]).text


def _delivered_article(engine: sa.Engine, source_id: int) -> tuple[int, int]:
    """An article the source delivered, with a reader's comment and saved mark on it: (article id, user id)."""
    with engine.begin() as conn:
        article_id = insert_article(conn, {"url": "https://daily.example/a", "title": "Kept headline",
                                           "text": "Body.", "source_id": source_id, "outlet": "Daily Example"})
        link_new_article(conn, article_id, source_id, "guid-a")
        user_id = create_user(conn, "rita", "rita-password")
        social.add_comment(conn, user_id, "Worth reading.", article_id=article_id)
        mark_saved(conn, user_id, [article_id])
    return article_id, user_id


def test_remove_asks_first_then_keeps_the_articles(web: TestClient, engine: sa.Engine) -> None:
    source_id = _source(engine)
    article_id, user_id = _delivered_article(engine, source_id)
    confirm = web.get(f"/sources/{source_id}/remove")
    assert confirm.status_code == 200
    assert "Remove this source?" in confirm.text
    assert "The 1 article it delivered stays, with its stories" in confirm.text.replace("&#39;", "'")
    assert _row(engine, source_id) is not None  # asking removes nothing
    done = web.post(f"/sources/{source_id}/remove", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/sources?message=removed&kept=1"
    assert _row(engine, source_id) is None and _due_ids(engine) == set()
    with engine.connect() as conn:
        article = conn.execute(sa.select(articles).where(articles.c.id == article_id)).one()
        links = conn.execute(sa.select(sa.func.count()).select_from(article_feeds)).scalar_one()
        comments = social.comments_on(conn, article_id=article_id)
        saved = saved_ids(conn, user_id)
    assert article.title == "Kept headline" and article.source_id is None and links == 0
    assert [c["body"] for c in comments] == ["Worth reading."] and saved == [article_id]
    listed = web.get(done.headers["location"]).text
    assert "Source removed. The 1 article it delivered stays." in listed and "Daily Example" not in listed
    assert web.get(f"/articles/{article_id}").status_code == 200
    assert web.post(f"/sources/{source_id}/remove").status_code == 404  # twice: nothing left to remove


@pytest.mark.postgres
def test_pause_refresh_and_remove_on_postgres(pg_url: str, settings: Settings) -> None:
    engine = open_store(pg_url)
    try:
        with TestClient(create_app(settings.replace(database_url=pg_url), engine),
                        base_url="http://newsdesk.test") as client:
            sign_in_as(client, engine, "admin")
            source_id = _source(engine)
            article_id, _ = _delivered_article(engine, source_id)
            client.post(f"/sources/{source_id}/refresh")
            assert _due_ids(engine) == {source_id}
            client.post(f"/sources/{source_id}/pause")
            assert _due_ids(engine) == set() and seconds_until_next_due(engine) > 0
            done = client.post(f"/sources/{source_id}/remove", follow_redirects=False)
            assert done.headers["location"] == "/sources?message=removed&kept=1"
        with engine.connect() as conn:
            assert conn.execute(sa.select(articles.c.source_id).where(articles.c.id == article_id)).scalar_one() is None
            assert social.comments_on(conn, article_id=article_id)
        assert _row(engine, source_id) is None
    finally:
        engine.dispose()
