"""Following a story in the web app over the sample store: the story page and /following show what is new since
the reader last read (only the new fact, cited; the wire copy left out), the timeline and the lineage; alerts are
saved (a private address refused, a cross-site post refused), an alert's private Atom feed lists what it fired, and
the API serves the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient
from support.wildfire import NEW_FACT, add_later_coverage, add_wildfire_story

from newsdesk.config import Settings
from newsdesk.store import alerts as alert_store
from newsdesk.store.tables_follow import alerts
from newsdesk.tasks.alerts import alerts_after_understanding
from newsdesk.web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def reader(sample_store: tuple[sa.Engine, Settings]) -> Iterator[TestClient]:
    engine, settings = sample_store
    with TestClient(create_app(settings.replace(follow_visit_gap_minutes=0.0), engine)) as client:
        sign_in_as(client, engine)
        yield client


def test_a_follower_sees_only_the_new_fact_cited(reader: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, first = add_wildfire_story(engine, datetime.now(UTC))
    reader.post(f"/stories/{story_id}/follow", data={"on": "1"})
    assert "Since you last read" in reader.get(f"/stories/{story_id}").text  # read: nothing new yet
    _copy, later = add_later_coverage(engine, story_id, first, datetime.now(UTC))
    following = reader.get("/following").text
    assert NEW_FACT in following and "1 wire copy left out" in following
    page = reader.get(f"/stories/{story_id}").text
    delta = page.split('id="delta-title"')[1].split("</section>")[0]
    assert NEW_FACT in delta and f'href="/articles/{later}"' in delta
    assert "Officials ordered the evacuation" not in delta  # the first report said it already
    assert "First report" in page and "First reported by" in page and "Wire copies" in page
    assert "Since you last read" in page


def test_saving_alerts_and_refusing_bad_ones(reader: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    assert reader.post("/alerts", data={"keywords": "wildfire", "channel": "atom"},
                       follow_redirects=False).status_code == 303
    assert "wildfire" in reader.get("/alerts").text
    private = reader.post("/alerts", data={"keywords": "x", "channel": "webhook", "target": "http://10.0.0.8/h"})
    assert private.status_code == 400 and "private" in private.text
    for bad in ({"keywords": "", "channel": "atom"}, {"keywords": "x", "channel": "pigeon"},
                {"keywords": "x", "channel": "atom", "edition": "ZZ"},
                {"keywords": "x", "channel": "email", "target": "me@example.org"},
                {"story_id": "999999999", "channel": "atom"}):
        assert reader.post("/alerts", data=bad).status_code == 400, bad
    assert reader.post("/alerts", data={"keywords": "x"}, headers={"Origin": "https://evil.example"},
                       follow_redirects=False).status_code == 403


def test_the_private_feed_lists_what_the_alert_fired(reader: TestClient,
                                                     sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    story_id, first = add_wildfire_story(engine, datetime.now(UTC))
    reader.post("/alerts", data={"story_id": str(story_id), "channel": "atom"})
    with engine.connect() as conn:
        token = conn.execute(sa.select(alerts.c.token).where(alerts.c.story_id == story_id)).scalar_one()
    copy, later = add_later_coverage(engine, story_id, first, datetime.now(UTC))
    assert alerts_after_understanding(engine, settings, [copy, later]) >= 1  # a saved search may fire too
    feed = reader.get(f"/alerts/{token}/feed.atom")
    entries = ElementTree.fromstring(feed.content).findall(f"{ATOM}entry")
    assert len(entries) == 1 and NEW_FACT in entries[0].findtext(f"{ATOM}summary")
    assert reader.get("/alerts/not-a-token/feed.atom").status_code == 404
    with engine.connect() as conn:
        assert alert_store.alert_by_token(conn, token)["story_id"] == story_id


def test_the_api_serves_the_timeline(reader: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, first = add_wildfire_story(engine, datetime.now(UTC))
    add_later_coverage(engine, story_id, first, datetime.now(UTC))
    body = reader.get(f"/api/v1/stories/{story_id}/timeline").json()
    assert [e["kind"] for e in body["timeline"]] == ["first_report", "new_fact"]
    assert body["timeline"][1]["text"] == NEW_FACT and body["lineage"]["first"]["outlet"] == "Daily Courier"
    assert reader.get("/api/v1/stories/999999999/timeline").status_code == 404
