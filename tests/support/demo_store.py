"""The bundled demo as a reader first sees it: the demo newswire on loopback, every article out, ingested by one
fetch pass (fetch, extract, understand, summarise) into a real SQLite file. Takes a few minutes: build it once per
test session."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from newsdesk.config import Settings, load_settings
from newsdesk.demo.server import DemoNewswire
from newsdesk.serve import add_demo_sources
from newsdesk.store.db import open_store
from newsdesk.tasks.ingest import fetch_pass


def build_demo_store(folder: Path) -> tuple[sa.Engine, Settings]:
    """Ingest the whole demo newswire into ``folder``/demo.sqlite3; the engine and the web settings over it."""
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url, "NEWSDESK_FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
                                  "NEWSDESK_DATA_DIR": str(folder / "data"), "NEWSDESK_WEB_PAGE_CACHE_SECONDS": "0"},
                             config_file=folder / "absent.toml")
    wire = DemoNewswire(release_all=True)
    wire.start_servers(port=0)
    engine = open_store(url)
    try:
        add_demo_sources(engine, wire.sources())
        summary = fetch_pass(engine, settings.replace(fetch_per_host_delay=0.0, fetch_per_host_concurrency=4))
    finally:
        wire.stop()
    if summary.failed or summary.new < 400:
        raise RuntimeError(f"the demo did not ingest: {summary.line()}")
    return engine, settings
