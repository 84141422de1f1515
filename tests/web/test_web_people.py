"""People in the web app over a real SQLite store: signing in and out (server-side sessions, cookie flags, no open
redirect, cross-site posts refused), sign-up when allowed, comments (escaped, bounded, rate-limited, deleted only
by their author), following stories with what is new, and no signed-in page ever served from the page cache."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient
from web_story_rows import HOSTILE, add_story

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_people import user_sessions
from newsdesk.store.users import check_password, create_user
from newsdesk.web.app import create_app

EVIL = {"Origin": "https://evil.example"}


@pytest.fixture(scope="module")
def people(sample_store: tuple[sa.Engine, Settings]) -> dict[str, str]:
    engine, _ = sample_store
    with engine.begin() as conn:
        for name in ("nora", "omar"):
            create_user(conn, name, f"{name}-password")
    return {"nora": "nora-password", "omar": "omar-password"}


def app_client(sample_store: tuple[sa.Engine, Settings], **changes: object) -> TestClient:
    engine, settings = sample_store
    return TestClient(create_app(settings.replace(**changes), engine=engine))


@pytest.fixture
def web(sample_store: tuple[sa.Engine, Settings], people: dict[str, str]) -> Iterator[TestClient]:
    with app_client(sample_store) as client:
        yield client


def sign_in(client: TestClient, name: str, people: dict[str, str], next_path: str = "/") -> None:
    reply = client.post("/login", data={"username": name, "password": people[name], "next": next_path},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text


def test_sign_in_and_out(web: TestClient, people: dict[str, str], sample_store: tuple[sa.Engine, Settings]) -> None:
    wrong = web.post("/login", data={"username": "nora", "password": "nope"}, follow_redirects=False)
    assert wrong.status_code == 401 and "Wrong user name or password." in wrong.text
    assert "nd_session" not in wrong.headers.get("set-cookie", "")
    reply = web.post("/login", data={"username": "nora", "password": people["nora"], "next": "/search?q=x"},
                     follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/search?q=x"
    cookie = reply.headers["set-cookie"].lower()
    assert "nd_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "Sign out" in web.get("/").text
    engine, _ = sample_store
    with engine.connect() as conn:  # only a hash of the token is stored
        hashes = conn.execute(sa.select(user_sessions.c.token_hash)).scalars().all()
    assert web.cookies["nd_session"] not in hashes and len(hashes) >= 1
    assert web.post("/logout", headers=EVIL, follow_redirects=False).status_code == 403
    stolen = web.cookies["nd_session"]
    assert web.post("/logout", follow_redirects=False).status_code == 303
    web.cookies.set("nd_session", stolen)  # the session ended on the server, not only in this browser
    assert "Sign out" not in web.get("/").text


def test_no_open_redirect_and_no_cross_site_sign_in(web: TestClient, people: dict[str, str]) -> None:
    reply = web.post("/login", data={"username": "nora", "password": people["nora"], "next": "//evil.example/x"},
                     follow_redirects=False)
    assert reply.headers["location"] == "/"
    refused = web.post("/login", data={"username": "nora", "password": people["nora"]}, headers=EVIL,
                       follow_redirects=False)
    assert refused.status_code == 403 and "nd_session" not in refused.headers.get("set-cookie", "")


def test_sign_up_only_when_allowed(sample_store: tuple[sa.Engine, Settings], people: dict[str, str]) -> None:
    with app_client(sample_store) as closed:
        assert closed.get("/signup").status_code == 403
        assert closed.post("/signup", data={"username": "pat", "password": "long enough"}).status_code == 403
    with app_client(sample_store, web_signup=True) as open_site:
        short = open_site.post("/signup", data={"username": "pat", "password": "short"})
        assert short.status_code == 422 and "at least 8" in short.text
        made = open_site.post("/signup", data={"username": "pat", "password": "long enough"}, follow_redirects=False)
        assert made.status_code == 303 and "Sign out" in open_site.get("/").text


def test_comments_are_escaped_bounded_and_deleted_only_by_their_author(
        sample_store: tuple[sa.Engine, Settings], people: dict[str, str]) -> None:
    engine, _ = sample_store
    story_id, ids = add_story(engine, [("Paper A", "en", "Harbour reopens")])
    with app_client(sample_store) as nora, app_client(sample_store) as omar:
        anonymous = nora.post(f"/stories/{story_id}/comments", data={"body": "hi"}, follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")
        sign_in(nora, "nora", people)
        sign_in(omar, "omar", people)
        assert nora.post(f"/stories/{story_id}/comments", data={"body": "x"}, headers=EVIL,
                         follow_redirects=False).status_code == 403
        nora.post(f"/stories/{story_id}/comments", data={"body": HOSTILE + "\nsecond line"})
        page = omar.get(f"/stories/{story_id}").text
        assert "&lt;script&gt;" in page and HOSTILE not in page and "nora" in page
        too_long = omar.post(f"/articles/{ids[0]}/comments", data={"body": "x" * 2001})
        assert "too long" in too_long.text and too_long.url.path == f"/articles/{ids[0]}"
        omar.post(f"/articles/{ids[0]}/comments", data={"body": "On the article itself"})
        assert "On the article itself" in nora.get(f"/articles/{ids[0]}").text
        comment_id = int(page.split('id="comment-', 1)[1].split('"', 1)[0])
        assert omar.post(f"/comments/{comment_id}/delete", follow_redirects=False).status_code == 403
        nora.post(f"/comments/{comment_id}/delete")
        after = omar.get(f"/stories/{story_id}").text
        assert "Comment deleted." in after and "&lt;script&gt;" not in after


def test_comments_per_hour_are_limited(sample_store: tuple[sa.Engine, Settings], people: dict[str, str]) -> None:
    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper A", "en", "Busy thread")])
    with app_client(sample_store, web_comments_per_hour=2) as omar:
        sign_in(omar, "omar", people)
        for n in range(2):
            omar.post(f"/stories/{story_id}/comments", data={"body": f"comment {n}"})
        third = omar.post(f"/stories/{story_id}/comments", data={"body": "comment 2"})
        assert "wait a little" in third.text and "comment 2" not in third.text


def test_following_a_story_shows_what_is_new(sample_store: tuple[sa.Engine, Settings],
                                             people: dict[str, str]) -> None:
    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper A", "en", "Followed story")])
    with app_client(sample_store) as nora:
        assert nora.get("/following", follow_redirects=False).headers["location"] == "/login?next=/following"
        sign_in(nora, "nora", people)
        nora.post(f"/stories/{story_id}/follow", data={"on": "1"})
        assert 'aria-pressed="true"' in nora.get(f"/stories/{story_id}").text
        assert "Followed story" in nora.get("/following").text
        with engine.begin() as conn:
            conn.execute(articles.insert().values(title="Later report", text="More.", story_id=story_id,
                                                  url=f"https://later.example/{story_id}",
                                                  fetched_at=datetime.now(UTC) + timedelta(seconds=5)))
        assert "1 new since you looked" in nora.get("/following").text
        nora.post(f"/stories/{story_id}/follow", data={"on": "0"})
        assert "Followed story" not in nora.get("/following").text


def test_the_page_cache_never_serves_a_signed_in_page(sample_store: tuple[sa.Engine, Settings],
                                                      people: dict[str, str]) -> None:
    engine, settings = sample_store
    app = create_app(settings.replace(web_page_cache_seconds=60.0), engine=engine)
    with TestClient(app) as nora, TestClient(app) as visitor:
        sign_in(nora, "nora", people)
        assert "Sign out" in nora.get("/stories/1").text
        assert "Sign out" not in visitor.get("/stories/1").text
        assert "Sign out" not in visitor.get("/stories/1").text  # now from the cache
        assert "Sign out" in nora.get("/stories/1").text


def test_password_guessing_is_cut_short(sample_store: tuple[sa.Engine, Settings], people: dict[str, str]) -> None:
    with app_client(sample_store, web_login_failures=3) as guesser:
        for n in range(3):
            assert guesser.post("/login", data={"username": "omar", "password": f"guess {n}"}).status_code == 401
        right = guesser.post("/login", data={"username": "omar", "password": people["omar"]}, follow_redirects=False)
        assert right.status_code == 429 and "Too many failed attempts" in right.text
        # every door counts together: a reader app's door is no way round the limit
        token = guesser.post("/accounts/ClientLogin", data={"Email": "OMAR", "Passwd": people["omar"]})
        assert token.status_code == 429
        # the limit is per account and address: another person signs in from the same address
        assert guesser.post("/login", data={"username": "nora", "password": people["nora"]},
                            follow_redirects=False).status_code == 303


def test_comments_and_followers_move_with_a_merged_story(sample_store: tuple[sa.Engine, Settings],
                                                         people: dict[str, str]) -> None:
    from newsdesk.store.story_rows import merge_story_rows

    engine, _ = sample_store
    gone, _ = add_story(engine, [("Paper A", "en", "Early report")])
    kept, _ = add_story(engine, [("Paper B", "en", "Fuller report")])
    with app_client(sample_store) as nora:
        sign_in(nora, "nora", people)
        nora.post(f"/stories/{gone}/follow", data={"on": "1"})
        nora.post(f"/stories/{kept}/follow", data={"on": "1"})  # following both: one follow after the merge
        nora.post(f"/stories/{gone}/comments", data={"body": "Said on the early story"})
        with engine.begin() as conn:
            merge_story_rows(conn, {gone: kept})
        assert "Said on the early story" in nora.get(f"/stories/{kept}").text
        following = nora.get("/following").text
        assert following.count(f'href="/stories/{kept}"') == 1 and f'href="/stories/{gone}"' not in following


def test_changing_the_password_on_the_account_page(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    with engine.begin() as conn:
        create_user(conn, "sami", "sami-password")
    with app_client(sample_store) as sami, app_client(sample_store) as other_browser:
        assert sami.get("/account", follow_redirects=False).headers["location"] == "/login?next=/account"
        sign_in(sami, "sami", {"sami": "sami-password"})
        sign_in(other_browser, "sami", {"sami": "sami-password"})
        page = sami.get("/account").text
        assert "Your account" in page and "/fever/" in page
        wrong = sami.post("/account/password", data={"current": "nope", "new": "brand new password"})
        assert wrong.status_code == 422 and "The current password is wrong." in wrong.text
        assert sami.post("/account/password", data={"current": "sami-password", "new": "x"}).status_code == 422
        done = sami.post("/account/password", data={"current": "sami-password", "new": "brand new password"})
        assert done.status_code == 200 and "Password changed." in done.text  # this browser stays signed in
        assert "Sign out" in sami.get("/").text and "Sign out" not in other_browser.get("/").text
        with engine.connect() as conn:
            assert check_password(conn, "sami", "brand new password")


def test_a_moderator_removes_anyone_s_comment(sample_store: tuple[sa.Engine, Settings],
                                             people: dict[str, str]) -> None:
    from newsdesk.store.users import set_role

    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper A", "en", "Moderated thread")])
    with engine.begin() as conn:
        create_user(conn, "mod", "mod-password")
        set_role(conn, "mod", "moderator")
    with app_client(sample_store) as omar, app_client(sample_store) as moderator:
        sign_in(omar, "omar", people)
        sign_in(moderator, "mod", {"mod": "mod-password"})
        omar.post(f"/stories/{story_id}/comments", data={"body": "Spam spam spam"})
        page = moderator.get(f"/stories/{story_id}").text
        comment_id = int(page.split('id="comment-', 1)[1].split('"', 1)[0])
        assert f'/comments/{comment_id}/delete' in page  # the moderator sees a Delete button on it
        assert moderator.post(f"/comments/{comment_id}/delete", follow_redirects=False).status_code == 303
        assert "Spam spam spam" not in omar.get(f"/stories/{story_id}").text
