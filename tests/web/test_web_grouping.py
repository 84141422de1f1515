"""Story grouping on the web: "why these are together" on the story page (English, French, Arabic) and in the JSON
API, and moderators' corrections through the forms: only a moderator may correct, a split shows in the log and its
undo restores the story, bad input comes back as a message on the story page."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings, load_settings
from newsdesk.store import grouping
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles
from newsdesk.tasks.understanding import UnderstandingStage
from newsdesk.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "understand"))
from understand_devsets import insert_rows, load_rows

SAME_ORIGIN = {"sec-fetch-site": "same-origin"}


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[tuple[sa.Engine, Settings]]:
    """Five articles of each of two quakes (ECB+ topic 25), wrongly merged into one story by a low join bar."""
    folder = tmp_path_factory.mktemp("grouping")
    url = f"sqlite:///{folder / 'web.sqlite3'}"
    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url, "NEWSDESK_WEB_PAGE_CACHE_SECONDS": "0",
                                  "NEWSDESK_DATA_DIR": str(folder / "data")}, config_file=folder / "absent.toml")
    settings = settings.replace(cluster_text_bias=-4.0)
    engine = open_store(url)
    rows = load_rows(shared_dir, "ecbplus-dev")
    quake_a = [r for r in rows if r["cluster"] == "25_ecb"][:5]
    quake_b = [r for r in rows if r["cluster"] == "25_ecbplus"][:5]
    interleaved = [r for pair in zip(quake_a, quake_b, strict=True) for r in pair]
    UnderstandingStage(engine, settings)(insert_rows(engine, interleaved))
    yield engine, settings
    engine.dispose()


@pytest.fixture
def web(grouped: tuple[sa.Engine, Settings]) -> Iterator[TestClient]:
    engine, settings = grouped
    with TestClient(create_app(settings, engine)) as client:
        yield client


def _story(engine: sa.Engine) -> tuple[int, list[int]]:
    """The biggest story and its articles."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(articles.c.id, articles.c.story_id)).all()
    by_story: dict[int, list[int]] = {}
    for article_id, story_id in rows:
        by_story.setdefault(story_id, []).append(article_id)
    story = max(by_story, key=lambda s: len(by_story[s]))
    return story, sorted(by_story[story])


@pytest.mark.parametrize(("locale", "heading", "sentence"), [
    ("en", "Why these are together", "Started this story"),
    ("fr", "Pourquoi ces articles sont réunis", "A lancé ce sujet"),
    ("ar", "لماذا جُمعت هذه المقالات معًا", "بدأ هذه القصة"),
])
def test_the_story_page_says_why_in_the_readers_language(web, grouped, locale, heading, sentence):
    story, _ = _story(grouped[0])
    page = web.get(f"/stories/{story}?ui={locale}")
    assert page.status_code == 200
    assert heading in page.text and sentence in page.text
    assert 'data-reason="joined"' in page.text
    assert "Correct the grouping" not in page.text  # the forms are for moderators


def test_the_api_gives_the_evidence_and_the_words(web, grouped):
    story, members = _story(grouped[0])
    body = web.get(f"/api/v1/stories/{story}", headers={"accept-language": "fr"}).json()
    reasons = {r["article_id"]: r for r in body["grouping"]}
    assert set(reasons) == set(members)
    joined = [r for r in reasons.values() if r["kind"] == "joined"]
    assert joined and all(0 < r["evidence"]["centroid"] <= 1 and r["score"] > 0 for r in joined)
    assert any(line.startswith("Proche du sujet par le sens") for r in joined for line in r["text"])
    assert any(r["shared_names"] for r in joined)


@pytest.mark.parametrize("action", ["move", "split", "merge"])
def test_a_reader_cannot_correct(web, grouped, action):
    engine, _ = grouped
    story, members = _story(engine)
    sign_in_as(web, engine, "reader")
    reply = web.post(f"/stories/{story}/grouping/{action}", headers=SAME_ORIGIN, follow_redirects=False,
                     data={"article_id": members[0], "to_story": story + 1, "other_story": story + 1})
    assert reply.status_code == 403
    assert _story(engine) == (story, members)


def test_a_moderator_splits_and_undoes_through_the_page(web, grouped):
    engine, _ = grouped
    story, members = _story(engine)
    sign_in_as(web, engine, "moderator", name="mia")
    reply = web.post(f"/stories/{story}/grouping/split", headers=SAME_ORIGIN, follow_redirects=False,
                     data={"article_id": [str(a) for a in members[:2]]})
    assert reply.status_code == 303 and reply.headers["location"] == f"/stories/{story}#grouping"
    with engine.connect() as conn:
        log = grouping.corrections_log(conn, [story])
        placed = grouping.stories_of(conn, members[:2])
    assert log[0]["username"] == "mia" and log[0]["kind"] == "split"
    assert set(placed.values()) == {log[0]["other_story_id"]}
    page = web.get(f"/stories/{story}")
    assert "Correct the grouping" in page.text and f"/grouping/corrections/{log[0]['id']}/undo" in page.text
    assert web.post(f"/grouping/corrections/{log[0]['id']}/undo", headers=SAME_ORIGIN,
                    follow_redirects=False).status_code == 303
    assert _story(engine) == (story, members)
    assert "undone by mia" in web.get(f"/stories/{story}").text


def test_the_grouping_tools_reach_moderators_only_with_the_page_cache_on(grouped):
    """Story pages are shared (cached, the reader's parts stitched in): a moderator's page with the tools is theirs
    alone, and the shared page a reader or a visitor gets after it has none."""
    engine, settings = grouped
    story, _ = _story(engine)
    app = create_app(settings.replace(web_page_cache_seconds=300.0), engine)
    with TestClient(app) as moderator, TestClient(app) as reader, TestClient(app) as visitor:
        sign_in_as(moderator, engine, "moderator")
        sign_in_as(reader, engine, "reader")
        for _ in range(2):  # the second time from the micro-cache, where it holds the page
            mine = moderator.get(f"/stories/{story}")
            assert "Correct the grouping" in mine.text and 'form="split-form"' in mine.text
            assert "private" in mine.headers["cache-control"]
            for other in (reader, visitor):
                page = other.get(f"/stories/{story}")
                assert page.status_code == 200 and "Why these are together" in page.text
                assert "Correct the grouping" not in page.text and 'form="split-form"' not in page.text


def test_bad_corrections_come_back_as_a_message(web, grouped):
    engine, _ = grouped
    story, members = _story(engine)
    sign_in_as(web, engine, "moderator")
    for data in ({"article_id": members[0], "to_story": "abc"}, {"article_id": members[0], "to_story": 999999}):
        reply = web.post(f"/stories/{story}/grouping/move", data=data, headers=SAME_ORIGIN)
        assert reply.status_code == 200 and 'role="alert"' in reply.text
    everything = web.post(f"/stories/{story}/grouping/split", data={"article_id": members}, headers=SAME_ORIGIN)
    assert "a split must leave some articles" in everything.text
    assert web.post("/grouping/corrections/424242/undo", headers=SAME_ORIGIN).status_code == 400
    assert web.post(f"/stories/{story}/grouping/merge", data={"other_story": story},
                    headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert _story(engine) == (story, members)
