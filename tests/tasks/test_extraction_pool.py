"""The extraction pool outlives a pass when its owner keeps it, and survives a dead extraction process: killed from
outside, the page is extracted again by a new process; a page that kills the process twice is reported as failed and
the next page works (real forkserver processes)."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.serve import add_demo_sources
from newsdesk.tasks.extraction_pool import ExtractionFailed, ExtractionPool
from newsdesk.tasks.ingest import fetch_pass_async

PAGE = ("<html><head><title>Harbour reopens</title></head><body><article><h1>Harbour reopens</h1>"
        + "".join(f"<p>The harbour reopened on Monday after repairs, paragraph {i} of the report.</p>"
                  for i in range(12)) + "</article></body></html>").encode()


def _die(*_args: object) -> None:
    os._exit(3)  # what a crash in a C library looks like to the pool


@pytest.fixture
def pool_settings(settings: Settings) -> Settings:
    return settings.replace(extract_processes=2, fetch_per_host_delay=0.0)


def test_a_killed_extraction_process_is_replaced_and_the_page_extracted(pool_settings: Settings) -> None:
    pool = ExtractionPool(pool_settings)

    async def run() -> tuple[list[int], str, list[int]]:
        await pool.extract_page(PAGE, "text/html", "https://news.example/a")
        before = pool.worker_pids()
        for pid in before:
            os.kill(pid, signal.SIGKILL)
        article = await pool.extract_page(PAGE, "text/html", "https://news.example/a")
        return before, article.text, pool.worker_pids()

    try:
        before, text, after = asyncio.run(run())
    finally:
        pool.close()
    assert len(before) == 2 and "harbour reopened" in text.lower()
    assert after and not set(after) & set(before)


def test_a_page_that_kills_the_process_twice_fails_alone(pool_settings: Settings) -> None:
    pool = ExtractionPool(pool_settings)

    async def run() -> str:
        with pytest.raises(ExtractionFailed, match="died"):
            await pool._run(_die, b"", None, None, pool_settings)
        return (await pool.extract_page(PAGE, "text/html", None)).text

    try:
        assert "harbour reopened" in asyncio.run(run()).lower()
    finally:
        pool.close()


def test_a_kept_pool_serves_several_passes_without_new_processes(engine: sa.Engine, pool_settings: Settings,
                                                                  wire) -> None:
    sources = wire.sources()
    add_demo_sources(engine, sources[:2])
    add_demo_sources(engine, sources[2:4])
    pool = ExtractionPool(pool_settings)
    try:
        with engine.connect() as conn:
            ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM sources ORDER BY id")]
        first = asyncio.run(fetch_pass_async(engine, pool_settings, source_ids=ids[:2], understand=False,
                                             extractor=pool))
        pids = pool.worker_pids()
        second = asyncio.run(fetch_pass_async(engine, pool_settings, source_ids=ids[2:], understand=False,
                                              extractor=pool))
        assert first.new > 0 and second.new > 0 and first.page_errors == second.page_errors == 0
        assert pids and pool.worker_pids() == pids
    finally:
        pool.close()
    assert pool.worker_pids() == []
