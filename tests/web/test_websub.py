"""WebSub against a real hub on loopback (tests/web/websub_hub.py) and the app under uvicorn: a poll finds the hub
(in the feed or the Link header), the scheduler's step subscribes, the hub's verification of intent is answered,
a signed push is stored within seconds and slows the source's polling, unsigned, wrongly signed and oversized
pushes are refused with nothing stored, a lease about to end is renewed, and removing the source unsubscribes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from web_servers import serve
from websub_hub import Hub, running_hub

from newsdesk.config import Settings
from newsdesk.store import websub as websub_store
from newsdesk.store.sources import add_source, remove_source
from newsdesk.store.tables_core import articles, sources
from newsdesk.tasks.ingest import fetch_pass_async
from newsdesk.tasks.websub import maintain
from newsdesk.web.app import create_app

LONG_BODY = "<p>" + " ".join(["The harbour council met on Thursday and voted on the new quay."] * 20) + "</p>"


@pytest.fixture
def quick(settings: Settings) -> Settings:
    return settings.replace(fetch_per_host_delay=0.0, extract_processes=1, fetch_total_timeout=5.0)


@pytest.fixture
def app_base(engine: sa.Engine, quick: Settings) -> Iterator[str]:
    with serve(create_app(quick, engine)) as base:
        yield base


def subscribed(engine: sa.Engine, quick: Settings, app_base: str, hub: Hub) -> tuple[Settings, int]:
    """Add the hub's feed as a source, poll it, run the scheduler's WebSub step; wait for the hub's verification."""
    push_on = quick.replace(websub_callback_url=app_base)
    with engine.begin() as conn:
        source_id, _ = add_source(conn, hub.topic)
    asyncio.run(fetch_pass_async(engine, push_on, source_ids=[source_id], understand=False))
    assert maintain(engine, push_on) == 1
    hub.wait_for(lambda: len(hub.verified) == 1)
    return push_on, source_id


def titles(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.select(articles.c.title)).scalars())


def wait_for_title(engine: sa.Engine, title: str, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while title not in titles(engine):
        assert time.monotonic() < deadline, f"{title!r} was not stored within {seconds} s"
        time.sleep(0.1)


@pytest.mark.parametrize("link_in_header", [False, True], ids=["hub-in-feed", "hub-in-link-header"])
def test_subscribe_verify_and_store_a_signed_push(engine: sa.Engine, quick: Settings, app_base: str,
                                                  link_in_header: bool) -> None:
    with running_hub(link_in_header=link_in_header) as hub:
        push_on, source_id = subscribed(engine, quick, app_base, hub)
        request = hub.requests[0]
        assert (request["hub.mode"], request["hub.topic"]) == ("subscribe", hub.topic)
        assert request["hub.callback"].startswith(app_base + "/websub/") and len(request["hub.secret"]) >= 32
        with engine.connect() as conn:
            (sub,) = websub_store.subscriptions_of(conn, source_id)
        assert sub.state == "active" and sub.expires_at > datetime.now(UTC) + timedelta(days=9)
        assert titles(engine) == {"first"}

        assert hub.publish(hub.feed([("pushed", LONG_BODY), ("first", "An older entry.")])) == [202]
        wait_for_title(engine, "pushed")
        with engine.connect() as conn:
            next_check = conn.execute(sa.select(sources.c.next_check_at).where(sources.c.id == source_id)).scalar()
        assert next_check >= datetime.now(UTC) + timedelta(seconds=push_on.websub_poll_interval - 60)


def test_unsigned_wrongly_signed_and_oversized_pushes_are_refused(engine: sa.Engine, quick: Settings,
                                                                  app_base: str) -> None:
    with running_hub() as hub:
        subscribed(engine, quick, app_base, hub)
        forged = hub.feed([("forged", LONG_BODY)])
        assert hub.publish(forged, key=None) == [403]
        assert hub.publish(forged, key="not-the-secret") == [403]
        assert hub.publish(forged, key="own", method="md5") == [403]
        huge = hub.feed([("huge", "x" * (quick.websub_max_body + 1))])
        assert hub.publish(huge) == [413]
        assert hub.publish(hub.feed([("sha1-signed", LONG_BODY)]), method="sha1") == [202]
        wait_for_title(engine, "sha1-signed")
        assert "forged" not in titles(engine) and "huge" not in titles(engine)


def test_verification_for_a_request_never_made_is_refused(engine: sa.Engine, quick: Settings,
                                                          app_base: str) -> None:
    import urllib.error
    import urllib.request

    with running_hub() as hub:
        subscribed(engine, quick, app_base, hub)
        callback = hub.requests[0]["hub.callback"]
        for query in ("hub.mode=subscribe&hub.topic=http://other.example/feed&hub.challenge=x",
                      f"hub.mode=unsubscribe&hub.topic={hub.topic}&hub.challenge=x"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{callback}?{query}", timeout=5)
            refused.value.close()
            assert refused.value.code == 404
        with pytest.raises(urllib.error.HTTPError) as unknown:
            urllib.request.urlopen(f"{app_base}/websub/{'0' * 32}?hub.mode=subscribe&hub.topic={hub.topic}"
                                   "&hub.challenge=x", timeout=5)
        unknown.value.close()
        assert unknown.value.code == 404


def test_a_lease_about_to_end_is_renewed(engine: sa.Engine, quick: Settings, app_base: str) -> None:
    with running_hub(granted_lease=600) as hub:
        push_on, source_id = subscribed(engine, quick.replace(websub_renew_before=3600), app_base, hub)
        assert maintain(engine, push_on) == 0  # just requested: not sent again before websub_retry_seconds
        later = datetime.now(UTC) + timedelta(seconds=push_on.websub_retry_seconds + 1)
        assert maintain(engine, push_on, now=later) == 1
        hub.wait_for(lambda: len(hub.verified) == 2)
        assert [r["hub.mode"] for r in hub.requests] == ["subscribe", "subscribe"]
        assert hub.requests[1]["hub.secret"] == hub.requests[0]["hub.secret"]
        with engine.connect() as conn:
            assert websub_store.subscriptions_of(conn, source_id)[0].state == "active"


def test_removing_the_source_unsubscribes_at_the_hub(engine: sa.Engine, quick: Settings, app_base: str) -> None:
    with running_hub() as hub:
        push_on, source_id = subscribed(engine, quick, app_base, hub)
        with engine.begin() as conn:
            remove_source(conn, source_id)
        assert hub.publish(hub.feed([("after-removal", LONG_BODY)])) == [410]
        assert maintain(engine, push_on) == 1
        hub.wait_for(lambda: ("unsubscribe", hub.requests[0]["hub.callback"]) in hub.verified)
        assert hub.requests[-1]["hub.mode"] == "unsubscribe" and "hub.secret" not in hub.requests[-1]
        with engine.connect() as conn:
            assert websub_store.subscriptions_of(conn, source_id) == []
        assert hub.subscribers == {}


def test_without_a_callback_url_nothing_is_subscribed(engine: sa.Engine, quick: Settings) -> None:
    with running_hub() as hub:
        with engine.begin() as conn:
            source_id, _ = add_source(conn, hub.topic)
        asyncio.run(fetch_pass_async(engine, quick, source_ids=[source_id], understand=False))
        assert maintain(engine, quick) == 0
        with engine.connect() as conn:
            assert websub_store.subscriptions_of(conn, source_id) == []
        assert hub.requests == []
