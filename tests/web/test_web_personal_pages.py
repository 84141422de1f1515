"""One shared page for everyone with the signed-in reader's parts stitched in (newsdesk.web.http.stitching), over a
real SQLite store with the micro-cache on: a signed-in visit is served from the shared cache, never shows another
reader's parts, never shows a stale personal part, and a visit writes nothing unless there is news to mark seen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient
from web_story_rows import add_story

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_people import follows
from newsdesk.web.app import create_app

SLOT_CONTENT = re.compile(r"<!--nd-slot:([a-z]+)-->.*?<!--/nd-slot-->", re.S)


def without_personal_parts(page: str) -> str:
    return SLOT_CONTENT.sub(r"<!--nd-slot:\1-->", page)


def account_link(page: str) -> str:
    found = re.search(r'<a class="tools-link" href="/account"[^>]*>([^<]*)</a>', page)
    return found.group(1) if found else ""


@pytest.fixture
def cached_app(sample_store: tuple[sa.Engine, Settings]) -> Iterator[object]:
    engine, settings = sample_store
    yield create_app(settings.replace(web_page_cache_seconds=300.0), engine)


def add_article(engine: sa.Engine, story_id: int, title: str) -> None:
    """A later article in the story: the shared page changes (once the cached copy expires)."""
    with engine.begin() as conn:
        conn.execute(articles.insert().values(title=title, outlet="Paper Z", language="en", text=f"{title}.",
                                              story_id=story_id, url=f"https://z.example/{story_id}/{len(title)}",
                                              fetched_at=datetime.now(UTC), published_at=datetime.now(UTC)))


def test_a_signed_in_page_never_shows_another_readers_parts(sample_store: tuple[sa.Engine, Settings],
                                                             cached_app: object) -> None:
    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper A", "en", "Shared story for two readers")])
    with TestClient(cached_app) as lina, TestClient(cached_app) as marc, TestClient(cached_app) as visitor:
        sign_in_as(lina, engine, name="lina")
        sign_in_as(marc, engine, name="marc")
        lina.post(f"/stories/{story_id}/follow", data={"on": "1"})
        lina.post(f"/stories/{story_id}/comments", data={"body": "Lina was here"})
        anonymous = visitor.get(f"/stories/{story_id}").text  # the shared page, now in the cache
        add_article(engine, story_id, "Added after caching")
        lina_page, marc_page = lina.get(f"/stories/{story_id}").text, marc.get(f"/stories/{story_id}").text
        assert "Added after caching" not in lina_page + marc_page  # both came from the shared cached page
        assert account_link(lina_page) == "lina" and account_link(marc_page) == "marc"
        assert 'aria-pressed="true"' in lina_page and 'aria-pressed="false"' in marc_page
        assert "Lina was here" in lina_page and "Lina was here" in marc_page  # a comment is for all to read
        assert lina_page.count("/delete") == 1 and "/delete" not in marc_page  # only its author may delete it
        assert "Sign out" not in anonymous and "Sign out" not in visitor.get(f"/stories/{story_id}").text
        assert without_personal_parts(lina_page) == without_personal_parts(marc_page) \
            == without_personal_parts(anonymous)


def test_a_cached_page_never_shows_a_stale_personal_part(sample_store: tuple[sa.Engine, Settings],
                                                         cached_app: object) -> None:
    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper A", "en", "Story to follow")])
    with TestClient(cached_app) as nora:
        sign_in_as(nora, engine, name="nora-stale")
        before = nora.get(f"/stories/{story_id}")
        assert 'aria-pressed="false"' in before.text and before.headers["cache-control"] == "private, no-cache"
        add_article(engine, story_id, "Added while cached")
        nora.post(f"/stories/{story_id}/follow", data={"on": "1"})
        nora.post(f"/stories/{story_id}/comments", data={"body": "My fresh comment"})
        after = nora.get(f"/stories/{story_id}").text
        assert "Added while cached" not in after  # the shared part is the cached one
        assert 'aria-pressed="true"' in after and "My fresh comment" in after  # the personal parts are not
        assert nora.get(f"/stories/{story_id}", headers={"if-none-match": before.headers["etag"]}).status_code == 200


def test_home_and_search_are_shared_with_the_readers_header(sample_store: tuple[sa.Engine, Settings],
                                                            cached_app: object) -> None:
    engine, _ = sample_store
    with TestClient(cached_app) as ana, TestClient(cached_app) as ben:
        sign_in_as(ana, engine, name="ana", role="admin")
        sign_in_as(ben, engine, name="ben")
        for path in ("/", "/search?q=story"):
            ana_page, ben_page = ana.get(path), ben.get(path)
            assert account_link(ana_page.text) == "ana" and account_link(ben_page.text) == "ben"
            assert 'href="/sources"' in ana_page.text and 'href="/sources"' not in ben_page.text
            assert without_personal_parts(ana_page.text) == without_personal_parts(ben_page.text)
            again = ana.get(path, headers={"if-none-match": ana_page.headers["etag"]})
            assert again.status_code == 304
        ben.cookies.set("nd_session", "no-such-session")
        assert "Sign in" in ben.get("/").text and account_link(ben.get("/").text) == ""


def test_a_visit_writes_only_when_there_is_news_to_mark_seen(sample_store: tuple[sa.Engine, Settings],
                                                             cached_app: object) -> None:
    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper A", "en", "Story looked at")])
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    with TestClient(cached_app) as nora:
        sign_in_as(nora, engine, name="nora-seen")
        nora.post(f"/stories/{story_id}/follow", data={"on": "1"})

        def seen_at() -> datetime:
            with engine.connect() as conn:
                return conn.execute(sa.select(follows.c.seen_at).where(follows.c.story_id == story_id)).scalar_one()

        marked = seen_at()
        nora.get(f"/stories/{story_id}")
        assert seen_at() == marked  # nothing new since the follow: the visit is a read
        with engine.begin() as conn:
            conn.execute(follows.update().where(follows.c.story_id == story_id).values(seen_at=long_ago))
            conn.execute(articles.update().where(articles.c.story_id == story_id)
                         .values(fetched_at=datetime.now(UTC) - timedelta(minutes=1)))
        nora.get(f"/stories/{story_id}")
        assert seen_at().replace(tzinfo=UTC) > long_ago  # news since the last look: the look is recorded
