"""Alerts end to end over a real SQLite store, a loopback webhook receiver and a local SMTP server: material news
fires each channel once (a signed POST, one feed entry, one mail), a wire copy alone fires nothing, the hourly limit
holds, a failed POST is retried after its backoff, and no webhook reaches a private address."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from support.receivers import smtp_server, webhook_receiver
from support.wildfire import FIRST, NEW_FACT, add_article, add_later_coverage, add_wildfire_story

from newsdesk.config import Settings
from newsdesk.follow.delivery import check_webhook_url
from newsdesk.store import alerts as alert_store
from newsdesk.store import follow as follow_store
from newsdesk.store import social
from newsdesk.store.users import create_user
from newsdesk.tasks.alerts import alerts_after_understanding, deliver_due

OTHER_FACTS = ["Rain is forecast for the weekend, which could help crews contain the fire along its eastern edge.",
               "The governor declared a state of emergency for the county late on Wednesday evening.",
               "Schools in three districts will stay closed until Friday because of the heavy smoke.",
               "Investigators believe a downed power line sparked the blaze near a hiking trail."]


def _alert(engine: sa.Engine, channel: str, story_id: int | None, target: str = "", **search: str) -> dict:
    with engine.begin() as conn:
        user_id = create_user(conn, f"reader{channel}{story_id}{len(search)}", "a long password")
        return alert_store.create_alert(conn, user_id, channel, datetime.now(UTC), story_id=story_id,
                                        target=target, **search)


def _events(engine: sa.Engine, alert: dict) -> list[dict]:
    with engine.connect() as conn:
        return alert_store.events_of(conn, alert["id"])


def test_material_news_fires_each_channel_once(engine: sa.Engine, settings: Settings) -> None:
    start = datetime.now(UTC) - timedelta(minutes=10)
    story_id, first = add_wildfire_story(engine, start)
    with webhook_receiver() as receiver, smtp_server() as (port, mails):
        mail_settings = settings.replace(alerts_smtp_host="127.0.0.1", alerts_smtp_port=port,
                                         alerts_smtp_starttls=False)
        feed = _alert(engine, "atom", story_id)
        hook = _alert(engine, "webhook", story_id, receiver.url)
        mail = _alert(engine, "email", story_id, "reader@example.org")
        copy, later = add_later_coverage(engine, story_id, first, start + timedelta(minutes=5))
        assert alerts_after_understanding(engine, mail_settings, [copy, later]) == 3
        assert alerts_after_understanding(engine, mail_settings, [copy, later]) == 0  # an article fires once
    assert len(receiver.posts) == 1
    posted = receiver.posts[0]
    signed = posted.headers["x-newsdesk-timestamp"].encode() + b"." + posted.body
    expected = "sha256=" + hmac.new(hook["secret"].encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(posted.headers["x-newsdesk-signature"], expected)
    body = json.loads(posted.body)
    assert body["article"]["id"] == later and body["new_facts"] == [{"text": NEW_FACT, "citations": [later]}]
    assert [e["article_id"] for e in _events(engine, feed)] == [later]
    assert [e["status"] for e in _events(engine, hook) + _events(engine, mail)] == ["delivered", "delivered"]
    assert len(mails) == 1 and mails[0]["To"] == "reader@example.org"
    assert NEW_FACT in mails[0].get_payload(decode=True).decode()


def test_a_wire_copy_alone_fires_nothing(engine: sa.Engine, settings: Settings) -> None:
    start = datetime.now(UTC) - timedelta(minutes=10)
    story_id, first = add_wildfire_story(engine, start)
    with webhook_receiver() as receiver:
        hook = _alert(engine, "webhook", story_id, receiver.url)
        search = _alert(engine, "atom", None, keywords="wildfire paradise")
        copy = add_article(engine, story_id, "Valley Times", "Wildfire near Paradise", FIRST,
                           start + timedelta(minutes=1), duplicate_of=first)
        assert alerts_after_understanding(engine, settings, [copy]) == 0
    assert receiver.posts == [] and _events(engine, hook) == [] and _events(engine, search) == []


def test_saved_searches_match_keywords_language_edition_and_topic(engine: sa.Engine, settings: Settings) -> None:
    start = datetime.now(UTC) - timedelta(minutes=10)
    story_id, first = add_wildfire_story(engine, start)
    wanted = _alert(engine, "atom", None, keywords="Firefighters injured", language="en", edition="US", topic="world")
    other_edition = _alert(engine, "atom", None, keywords="firefighters", edition="FR")
    other_words = _alert(engine, "atom", None, keywords="earthquake")
    _, later = add_later_coverage(engine, story_id, first, start + timedelta(minutes=5))
    alerts_after_understanding(engine, settings, [later])
    assert [e["article_id"] for e in _events(engine, wanted)] == [later]
    assert _events(engine, other_edition) == [] and _events(engine, other_words) == []


def test_the_hourly_limit_holds(engine: sa.Engine, settings: Settings) -> None:
    start = datetime.now(UTC) - timedelta(minutes=30)
    story_id, _ = add_wildfire_story(engine, start)
    feed = _alert(engine, "atom", story_id)
    ids = [add_article(engine, story_id, f"Outlet {n}", f"Update {n}", fact, start + timedelta(minutes=n + 1))
           for n, fact in enumerate(OTHER_FACTS)]
    assert alerts_after_understanding(engine, settings.replace(alerts_per_hour=2), ids) == 2
    assert [e["article_id"] for e in _events(engine, feed)] == ids[1::-1]


def test_a_failed_post_is_retried_after_its_backoff(engine: sa.Engine, settings: Settings) -> None:
    start = datetime.now(UTC) - timedelta(minutes=10)
    story_id, first = add_wildfire_story(engine, start)
    with webhook_receiver([503, 200]) as receiver:
        hook = _alert(engine, "webhook", story_id, receiver.url)
        _, later = add_later_coverage(engine, story_id, first, start + timedelta(minutes=5))
        alerts_after_understanding(engine, settings.replace(alerts_retry_seconds=60), [later])
        [event] = _events(engine, hook)
        assert (event["status"], event["attempts"], len(receiver.posts)) == ("pending", 1, 1)
        assert deliver_due(engine, settings) == 0  # not due yet: the backoff holds
        assert deliver_due(engine, settings, now=datetime.now(UTC) + timedelta(seconds=61)) == 1
    assert len(receiver.posts) == 2 and receiver.posts[0].body == receiver.posts[1].body
    assert _events(engine, hook)[0]["status"] == "delivered"


def test_a_webhook_to_a_private_address_is_refused(engine: sa.Engine, settings: Settings) -> None:
    for url in ("http://10.1.2.3/hook", "http://192.168.1.10/hook", "http://169.254.169.254/latest",
                "file:///etc/passwd", "http://[::ffff:10.0.0.1]/hook"):
        with pytest.raises(ValueError):
            check_webhook_url(url, settings)
    guarded = settings.replace(fetch_allow_networks=())
    start = datetime.now(UTC) - timedelta(minutes=10)
    story_id, first = add_wildfire_story(engine, start)
    with webhook_receiver() as receiver:
        with pytest.raises(ValueError, match="loopback, private"):
            check_webhook_url(receiver.url, guarded)
        hook = _alert(engine, "webhook", story_id, receiver.url)  # saved while loopback was allowed
        _, later = add_later_coverage(engine, story_id, first, start + timedelta(minutes=5))
        alerts_after_understanding(engine, guarded, [later])
    assert receiver.posts == []
    assert "loopback, private" in _events(engine, hook)[0]["last_error"]


def test_alerts_and_last_reads_move_with_a_merged_story(engine: sa.Engine, settings: Settings) -> None:
    gone, _ = add_wildfire_story(engine)
    kept, _ = add_wildfire_story(engine)
    alert = _alert(engine, "atom", gone)
    with engine.begin() as conn:
        social.follow(conn, alert["user_id"], gone)
        follow_store.record_visit(conn, alert["user_id"], gone, timedelta(minutes=30))
        social.move_to_story(conn, gone, kept)
        assert follow_store.last_reads(conn, alert["user_id"]).keys() == {kept}
        assert [a["story_id"] for a in alert_store.alerts_of(conn, alert["user_id"])] == [kept]
        assert follow_store.record_visit(conn, alert["user_id"], kept, timedelta(minutes=30)) is not None
