"""The first-run page: an admin with no sources is pointed to it, sees every edition and topic in the interface
language, picks some and gets their feeds; an empty or unknown choice adds nothing and says why; a cross-site post
is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.tables_core import sources
from newsdesk.web.app import create_app

ORIGIN = {"origin": "http://newsdesk.test"}


@pytest.fixture
def web(engine: sa.Engine, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine), base_url="http://newsdesk.test") as client:
        sign_in_as(client, engine, "admin")
        yield client


def _regions_and_topics(engine: sa.Engine) -> set[tuple[str | None, str]]:
    with engine.connect() as conn:
        return {(r.region, topic) for r in conn.execute(sa.select(sources.c.region, sources.c.topics))
                for topic in r.topics}


def test_an_admin_without_sources_is_pointed_to_the_first_run_page(web: TestClient) -> None:
    assert 'href="/sources/start"' in web.get("/sources").text
    assert 'href="/sources/start"' in web.get("/").text


def test_the_page_lists_editions_and_topics_in_the_interface_language(web: TestClient) -> None:
    page = web.get("/sources/start?ui=fr")
    assert page.status_code == 200
    assert "Allemagne" in page.text and "Éditions" in page.text and 'value="usa-texas"' in page.text
    assert page.text.count('name="pack"') == 197
    assert "30 flux" in page.text


def test_picking_packs_adds_their_feeds_as_editions_and_topics(web: TestClient, engine: sa.Engine) -> None:
    done = web.post("/sources/start", data={"pack": ["usa-texas", "ai"]}, headers=ORIGIN, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/sources?message=packs&packs=2"
    assert "2 editions and topics added" in web.get(done.headers["location"]).text
    assert _regions_and_topics(engine) == {("US", "USA | Texas"), (None, "AI")}
    again = web.get("/sources/start")
    assert again.text.count('name="pack"') == 195 and again.text.count("already added") == 2
    assert 'href="/sources/start"' not in web.get("/sources").text


@pytest.mark.parametrize(("form", "words"), [({}, "Pick at least one"), ({"pack": ["ai", "atlantis"]}, "does not")])
def test_an_empty_or_unknown_choice_adds_nothing(web: TestClient, engine: sa.Engine, form, words) -> None:
    refused = web.post("/sources/start", data=form, headers=ORIGIN)
    assert refused.status_code == 422 and words in refused.text
    assert _regions_and_topics(engine) == set()


def test_a_cross_site_post_is_refused(web: TestClient, engine: sa.Engine) -> None:
    refused = web.post("/sources/start", data={"pack": "ai"}, headers={"origin": "https://evil.example"})
    assert refused.status_code == 403
    assert _regions_and_topics(engine) == set()


def test_failing_feeds_are_listed_with_their_reason(web: TestClient, engine: sa.Engine) -> None:
    from datetime import UTC, datetime

    from newsdesk.store.sources import add_source, record_failure

    with engine.begin() as conn:
        dead, _ = add_source(conn, "https://gone.example/feed", name="Gone Daily")
        add_source(conn, "https://fine.example/feed", name="Fine Daily")
        for _ in range(3):
            record_failure(conn, dead, now=datetime.now(UTC), error="HTTP 410 Gone", next_check_at=datetime.now(UTC),
                           interval=300, failing_after=3)
    page = web.get("/sources").text
    assert "1 feed stopped working" in page and "HTTP 410 Gone" in page and "3 errors in a row" in page
    assert 'href="/sources/1">Gone Daily</a>' in page and "Fine Daily</a>:" not in page
