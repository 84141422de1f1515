"""Articles a killed pass left at status ``stored`` are understood by the next pass in the embedded mode: in-process
(a pass that stopped before understanding) and for real (``fetch --once`` killed with SIGKILL, then run again)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.demo.server import DemoNewswire
from newsdesk.serve import add_demo_sources
from newsdesk.store.tables_core import articles, sources
from newsdesk.tasks.ingest import fetch_pass, fetch_pass_async


def _status_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(articles.c.status, sa.func.count()).group_by(articles.c.status)).all())


@pytest.mark.slow
def test_the_next_pass_understands_what_an_unfinished_pass_stored(engine: sa.Engine, settings: Settings,
                                                                   wire: DemoNewswire) -> None:
    settings = settings.replace(fetch_per_host_delay=0.0, extract_processes=1)
    add_demo_sources(engine, wire.sources()[:2])
    with engine.connect() as conn:
        first = conn.execute(sa.select(sources.c.id).order_by(sources.c.id)).scalars().first()
    # The first source's pass stops after storing (what a pass killed before understanding leaves behind).
    left = asyncio.run(fetch_pass_async(engine, settings, source_ids=[first], understand=False))
    assert left.new > 0 and _status_counts(engine) == {"stored": left.new}
    summary = fetch_pass(engine, settings)  # only the second source is due
    assert summary.sources == 1 and summary.new > 0
    assert _status_counts(engine) == {"understood": left.new + summary.new}
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(articles.c.story_id.is_(None))).scalar() == 0


def _wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_fetch_once_killed_mid_pass_is_healed_by_the_next_run(engine: sa.Engine, db_url: str, tmp_path: Path,
                                                              wire: DemoNewswire) -> None:
    add_demo_sources(engine, wire.sources()[:4])
    env = {**os.environ, "NEWSDESK_DATABASE_URL": db_url, "NEWSDESK_FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
           "NEWSDESK_FETCH_PER_HOST_DELAY": "0", "NEWSDESK_EXTRACT_PROCESSES": "2",
           "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "newsdesk.cli", "fetch", "--once"]
    killed = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        assert _wait_until(lambda: sum(_status_counts(engine).values()) > 0, 120), "the pass stored nothing"
    finally:
        os.killpg(killed.pid, signal.SIGKILL)  # the pass and its extraction processes
        killed.wait()
    orphans = _status_counts(engine).get("stored", 0)
    assert orphans > 0
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    counts = _status_counts(engine)
    assert counts.get("stored", 0) == 0 and counts["understood"] >= orphans
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(articles.c.story_id.is_(None))).scalar() == 0
