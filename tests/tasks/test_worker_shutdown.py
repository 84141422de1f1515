"""A worker told to stop with SIGTERM finishes its running source check within ``worker_shutdown_grace``, or hands
the claim back so that the next scheduler tick hands the check out again; either way it exits cleanly and leaves
the list of live workers. Real worker processes (Huey on SQLite, so no server is needed) and a loopback feed whose
pages are held."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.newsroom import Newsroom

from newsdesk.config import load_settings
from newsdesk.store import leases as lease_store
from newsdesk.store.sources import add_source
from newsdesk.store.tables_core import articles, sources
from newsdesk.tasks.queue import build_queues, enqueue_due_sources

CLI = str(Path(sys.executable).parent / "newsdesk")


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _source(engine: sa.Engine) -> sa.Row:
    with engine.connect() as conn:
        return conn.execute(sa.select(sources)).one()


def _stored(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar()


def _worker_stopping(engine: sa.Engine, db_url: str, tmp_path: Path, grace: int) -> tuple[subprocess.Popen, Path,
                                                                                          Newsroom]:
    """A worker checking the one source, stuck on a held page, and just sent SIGTERM."""
    room = Newsroom(feeds=1, articles=6, held={3})
    room.start()
    with engine.begin() as conn:
        add_source(conn, room.feed_urls()[0])
    env = {"NEWSDESK_DATABASE_URL": db_url, "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
           "NEWSDESK_FETCH_ALLOW_NETWORKS": "127.0.0.0/8", "NEWSDESK_FETCH_PER_HOST_DELAY": "0",
           "NEWSDESK_FETCH_READ_TIMEOUT": "300", "NEWSDESK_EXTRACT_PROCESSES": "1",
           "NEWSDESK_WORKER_SHUTDOWN_GRACE": str(grace)}
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([CLI, "-v", "worker", "--role", "ingest", "--workers", "1"],
                                  env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=out)
    try:
        settings = load_settings(env=env, config_file=tmp_path / "none.toml")
        assert enqueue_due_sources(engine, build_queues(settings)) == 1
        _wait_for(lambda: _source(engine).leased_by is not None and _stored(engine) > 0, 120, "the check to start")
        with engine.connect() as conn:
            assert len(lease_store.live(conn, "worker:ingest:", datetime.now(UTC))) == 1
        worker.send_signal(signal.SIGTERM)
        _wait_for(lambda: "Shutting down gracefully" in log.read_text(errors="replace"), 60, "the graceful shutdown")
    except BaseException:
        worker.kill()
        worker.wait()
        room.stop()
        raise
    return worker, log, room


@pytest.mark.slow
def test_sigterm_hands_back_a_check_that_does_not_finish_in_time(engine: sa.Engine, db_url: str,
                                                                  tmp_path: Path) -> None:
    worker, log, room = _worker_stopping(engine, db_url, tmp_path, grace=1)
    try:
        assert worker.wait(timeout=60) == 0, log.read_text()[-3000:]
        source, now = _source(engine), datetime.now(UTC)
        assert source.last_success_at is None and source.leased_until <= now  # not finished, and given up
        with engine.begin() as conn:
            assert lease_store.live(conn, "worker:", now) == []
            again = lease_store.hand_out_due(conn, now, 20, queue_empty=False, lost_after=5)
        assert [source_id for source_id, _ in again] == [source.id]  # at the very next tick
    finally:
        worker.kill()
        worker.wait()
        room.stop()


@pytest.mark.slow
def test_sigterm_lets_a_running_check_finish(engine: sa.Engine, db_url: str, tmp_path: Path) -> None:
    worker, log, room = _worker_stopping(engine, db_url, tmp_path, grace=120)
    try:
        room.release()
        assert worker.wait(timeout=120) == 0, log.read_text()[-3000:]
        source = _source(engine)
        assert source.last_success_at is not None and source.lease_token is None
        assert _stored(engine) == 6
    finally:
        worker.kill()
        worker.wait()
        room.stop()
