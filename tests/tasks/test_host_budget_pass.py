"""A real ingest pass under a burst: 300 due feeds on one loopback host and one on another; with a per-host budget
of 12 the busy host gets exactly 12 requests, the other its one, and the next pass within the minute sends the busy
host nothing more (its feeds stay due)."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.sources.host_budget import HostBudget
from newsdesk.store.sources import add_source, due_sources
from newsdesk.tasks.ingest import fetch_pass_async

EMPTY_RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>"


@contextlib.contextmanager
def counting_host(address: str) -> Iterator[tuple[str, list[str]]]:
    """A feed server on ``address``; yields its base URL and the paths it was asked for."""
    seen: list[str] = []

    class Feeds(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(EMPTY_RSS)))
            self.end_headers()
            self.wfile.write(EMPTY_RSS)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((address, 0), Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{address}:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_a_burst_of_300_feeds_on_one_host_gets_the_budget_and_no_more(engine: sa.Engine, settings: Settings) -> None:
    quick = settings.replace(fetch_per_host_delay=0.0, extract_processes=1, schedule_host_per_minute=12)
    with counting_host("127.0.0.1") as (busy, busy_seen), counting_host("127.0.0.2") as (lone, lone_seen):
        with engine.begin() as conn:
            for i in range(300):
                add_source(conn, f"{busy}/feed/{i}")
            add_source(conn, f"{lone}/feed")
        budget = HostBudget(quick.schedule_host_per_minute)
        first = asyncio.run(fetch_pass_async(engine, quick, understand=False, budget=budget))
        assert (len(busy_seen), len(lone_seen), first.sources) == (12, 1, 13)
        second = asyncio.run(fetch_pass_async(engine, quick, understand=False, budget=budget))
        assert (len(busy_seen), second.sources) == (12, 0)
    with engine.connect() as conn:
        assert len(due_sources(conn, datetime.now(UTC))) == 288
