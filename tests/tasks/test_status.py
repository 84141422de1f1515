"""``newsdesk status`` and the pipeline's metrics: live workers, checks by state, lag per stage, and in scale-out the
queues and failed tasks; each figure checked against a store (and a Redis) set up to show it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from newsdesk.cli import main
from newsdesk.config import Settings
from newsdesk.store import articles as article_store
from newsdesk.store import leases as lease_store
from newsdesk.store import sources as source_store
from newsdesk.store.tables_core import sources
from newsdesk.tasks.status import FAILURES_KEY, read_status
from newsdesk.tasks.understanding import LEASE_NAME
from newsdesk.web.app import create_app


@pytest.fixture
def busy_store(engine: sa.Engine) -> sa.Engine:
    """Five sources: two due (one for ten minutes), one queued, one being checked by a live worker, one failing and
    not due; two articles waiting for understanding, the older for 100 s; a live ingest worker, a dead one, and the
    understanding lease held."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        ids = [source_store.add_source(conn, f"https://news{i}.example/feed.xml")[0] for i in range(5)]
        conn.execute(sources.update().where(sources.c.id == ids[1]).values(next_check_at=now - timedelta(minutes=10)))
        conn.execute(sources.update().where(sources.c.id == ids[2]).values(lease_token="t2", leased_until=now))
        conn.execute(sources.update().where(sources.c.id == ids[3]).values(
            lease_token="t3", leased_by="host:1:live", leased_until=now + timedelta(seconds=20)))
        conn.execute(sources.update().where(sources.c.id == ids[4]).values(
            status="failing", next_check_at=now + timedelta(hours=1)))
        for age, title in ((100, "older"), (5, "newer")):
            article_store.insert_article(conn, {"title": title, "text": title,
                                                "fetched_at": now - timedelta(seconds=age)})
        lease_store.try_acquire(conn, "worker:ingest:host:1:live", "host:1:live", 20, now)
        lease_store.try_acquire(conn, "worker:ingest:host:2:dead", "host:2:dead", 20, now - timedelta(minutes=5))
        lease_store.try_acquire(conn, LEASE_NAME, "host:3:understander", 20, now)
    return engine


def test_the_status_shows_workers_checks_and_lag(busy_store: sa.Engine, settings: Settings) -> None:
    status = read_status(busy_store, settings)
    assert [(w.role, w.holder, w.checks) for w in status.workers] == [("ingest", "host:1:live", 1)]
    assert status.understander == "host:3:understander"
    counts = status.sources
    assert (counts.total, counts.due, counts.handed_out, counts.checking, counts.failing) == (5, 2, 1, 1, 1)
    assert 600 <= status.ingest_lag < 700  # the source due for ten minutes
    assert 100 <= status.understand_lag < 200 and status.waiting_articles == 2
    assert status.queues is None and status.queue_error is None  # embedded mode: no queue


def test_the_status_command_prints_it(busy_store: sa.Engine, db_url: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["--db", db_url, "status"]) == 0
    out = capsys.readouterr().out
    assert "workers: 1 live" in out and "host:1:live  checking 1 sources" in out
    assert "sources: 5 (2 due, 1 queued, 1 being checked, 1 failing, 0 disabled)" in out
    assert "understanding lease: host:3:understander" in out and "2 articles waiting" in out


def test_metrics_carry_the_pipeline_figures(busy_store: sa.Engine, settings: Settings) -> None:
    with TestClient(create_app(settings.replace(web_metrics_token="t0ken"), engine=busy_store)) as client:
        text = client.get("/metrics", headers={"Authorization": "Bearer t0ken"}).text
    got = {(s.name, tuple(sorted(s.labels.items()))): s.value
           for family in text_string_to_metric_families(text) for s in family.samples}
    assert got[("newsdesk_workers", (("role", "ingest"),))] == 1
    assert got[("newsdesk_workers", (("role", "understand"),))] == 0
    assert [got[("newsdesk_source_checks", (("state", s),))] for s in ("due", "queued", "checking")] == [2, 1, 1]
    assert got[("newsdesk_stage_lag_seconds", (("stage", "understand"),))] >= 100
    assert ("newsdesk_queue_depth", (("stage", "ingest"),)) not in got  # embedded mode: no queue


@pytest.mark.redis
def test_scaled_out_the_status_reads_queues_and_failures_from_redis(busy_store: sa.Engine, settings: Settings,
                                                                    redis_url: str) -> None:
    import redis
    from huey import RedisHuey

    from newsdesk.tasks.queue import build_queues
    from newsdesk.tasks.worker import count_failures

    redis.Redis.from_url(redis_url).flushdb()
    settings = settings.replace(queue="redis", redis_url=redis_url)
    queues = build_queues(settings)
    queues.check_source(1, "t1")  # nobody consumes: they wait
    queues.check_source(2, "t2")
    huey = RedisHuey("newsdesk-failing", url=redis_url, immediate=True)
    count_failures(huey, settings, "understand")

    @huey.task()
    def fails() -> None:
        raise RuntimeError("the database is restarting")

    fails()
    status = read_status(busy_store, settings)
    assert status.queues["ingest"].waiting == 2 and status.queues["understand"].waiting == 0
    assert status.queues["understand"].failures == 1 and status.queues["ingest"].failures == 0
    assert int(redis.Redis.from_url(redis_url).hget(FAILURES_KEY, "understand")) == 1
    with TestClient(create_app(settings.replace(web_metrics_token="t0ken"), engine=busy_store)) as client:
        text = client.get("/metrics", headers={"Authorization": "Bearer t0ken"}).text
    assert 'newsdesk_queue_depth{stage="ingest"} 2.0' in text
    assert 'newsdesk_task_failures_total{stage="understand"} 1.0' in text


def test_status_answers_when_redis_is_away(busy_store: sa.Engine, settings: Settings) -> None:
    from support.own_servers import free_port

    settings = settings.replace(queue="redis", redis_url=f"redis://127.0.0.1:{free_port()}/0")
    status = read_status(busy_store, settings)
    assert status.queues is None and "ConnectionError" in status.queue_error
    assert status.sources.total == 5
