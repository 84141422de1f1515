"""Scale-out mode for real: PostgreSQL as the store, Redis queues, worker processes, a killed worker.

These run when NEWSDESK_TEST_POSTGRES_URL / NEWSDESK_TEST_REDIS_URL point at servers (``.ci/run`` starts both); in
CI their absence is a failure, not a skip."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.demo.server import DemoNewswire
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles

CLI = str(Path(sys.executable).parent / "newsdesk")


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=900)


def _stories(db: str) -> list[frozenset[str]]:
    out = _cli("--db", db, "export", "stories", "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    groups: dict[str, set[str]] = {}
    for row in map(json.loads, out.stdout.splitlines()):
        groups.setdefault(str(row["story"]), set()).add(row["id"])
    return sorted(frozenset(g) for g in groups.values())


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_gives_the_same_stories_as_sqlite(pg_url: str, tmp_path: Path, shared_dir: Path) -> None:
    rows = (shared_dir / "data/clustering-dev/meantime-dev.jsonl").read_text(encoding="utf-8").splitlines()[:80]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({k: v for k, v in json.loads(r).items() if k != "cluster"}) + "\n"
                           for r in rows), encoding="utf-8")
    sqlite_db = f"sqlite:///{tmp_path / 'same.sqlite3'}"
    for db in (sqlite_db, pg_url):
        result = _cli("--db", db, "import", str(src))
        assert result.returncode == 0, result.stderr
    assert _stories(pg_url) == _stories(sqlite_db)
    again = _cli("--db", pg_url, "import", str(src))
    assert "80 already stored" in again.stdout


def _wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(1)
    return False


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_workers_over_redis_ingest_and_understand_and_survive_a_kill(pg_url: str, redis_url: str,
                                                                    tmp_path: Path) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    env = {"NEWSDESK_DATABASE_URL": pg_url, "NEWSDESK_QUEUE": "redis", "NEWSDESK_REDIS_URL": redis_url,
           "NEWSDESK_FETCH_ALLOW_NETWORKS": "127.0.0.0/8", "NEWSDESK_FETCH_PER_HOST_DELAY": "0",
           "NEWSDESK_QUEUE_SWEEP_AFTER": "5", "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    wire = DemoNewswire(release_all=True)
    wire.start_servers(port=0)
    procs: list[subprocess.Popen] = []
    logs = []
    engine = open_store(pg_url)

    def start(role: str) -> subprocess.Popen:
        log = (tmp_path / f"{role}.log").open("ab")
        logs.append(log)
        proc = subprocess.Popen([CLI, "worker", "--role", role], env={**os.environ, **env},
                                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        procs.append(proc)
        return proc

    try:
        for src in wire.sources()[:3]:
            assert _cli("sources", "add", src.feed_url, env=env).returncode == 0
        ingest = [start("ingest"), start("ingest")]
        understand = start("understand")
        from newsdesk.config import load_settings
        from newsdesk.tasks.queue import build_queues, enqueue_due_sources

        settings = load_settings(env={**os.environ, **env}, config_file=tmp_path / "none.toml")
        assert enqueue_due_sources(engine, build_queues(settings)) == 3

        def count(status: str | None = None) -> int:
            query = sa.select(sa.func.count()).select_from(articles)
            if status:
                query = query.where(articles.c.status == status)
            with engine.connect() as conn:
                return conn.execute(query).scalar()

        assert _wait_until(lambda: count() > 20, 300), (tmp_path / "ingest.log").read_text()[-2000:]
        os.killpg(understand.pid, signal.SIGKILL)  # the understand worker dies mid-stream
        understand.wait()
        assert _wait_until(lambda: all(p.poll() is None for p in ingest) and count() >= 150, 300)
        start("understand")  # a new one: its sweep understands what the dead one left behind
        assert _wait_until(lambda: count() > 0 and count("stored") == 0, 400), \
            (tmp_path / "understand.log").read_text()[-2000:]
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).where(articles.c.story_id.is_(None))).scalar() == 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
        for log in logs:
            log.close()
        engine.dispose()
        wire.stop()
