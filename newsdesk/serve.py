"""Running the web app: uvicorn with the embedded scheduler beside it, and ``newsdesk run`` (the demo set-up)."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.store.db import open_store

log = logging.getLogger(__name__)
LOOPBACK = "127.0.0.0/8"


def serve(settings: Settings, *, host: str, port: int, scheduler: bool = True, engine: sa.Engine | None = None) -> None:
    """Serve the web app; with ``scheduler`` the sources are polled in a background thread of the same process."""
    import uvicorn

    from newsdesk.tasks.scheduler import start_in_background
    from newsdesk.web.app import create_app

    engine = engine or open_store(settings.database_url)
    stop = start_in_background(engine, settings) if scheduler and settings.queue == "embedded" else None
    try:
        uvicorn.run(create_app(settings, engine), host=host, port=port, log_level="warning")
    finally:
        if stop is not None:
            stop.set()


def add_demo_sources(engine: sa.Engine, sources: list) -> int:
    """Register the demo newswire's publishers as sources; returns how many were new."""
    from newsdesk.store.sources import add_source

    created = 0
    with engine.begin() as conn:
        for src in sources:
            _, new = add_source(conn, src.feed_url, kind="sitemap" if src.feed_url.endswith("sitemap.xml") else "feed",
                                name=src.name, site_url=src.site_url, language=src.language, region=src.region)
            created += new
    return created


def run_with_demo(settings: Settings, *, host: str, port: int, demo_port: int) -> None:
    """``make run``: start the demo newswire, add its publishers, ingest what they have, then serve and keep polling.

    Loopback fetching is allowed for this process only (the demo lives on 127.0.0.x)."""
    from newsdesk.cli_views import pass_progress
    from newsdesk.demo.server import DemoNewswire
    from newsdesk.tasks.ingest import fetch_pass

    if LOOPBACK not in settings.fetch_allow_networks:
        settings = settings.replace(fetch_allow_networks=(*settings.fetch_allow_networks, LOOPBACK))
    if "fetch_per_host_delay" not in settings.sources:  # politeness toward our own loopback demo is moot
        settings = settings.replace(fetch_per_host_delay=0.0)
    wire = DemoNewswire()
    wire.start_servers(port=demo_port)
    engine = open_store(settings.database_url)
    added = add_demo_sources(engine, wire.sources())
    print(f"demo newswire: {len(wire.sources())} publishers on 127.0.0.11-18:{demo_port} ({added} new sources)")
    print("first ingest pass (fetch, extract, cluster, summarise)…", flush=True)
    with pass_progress() as progress:
        print(fetch_pass(engine, settings, progress=progress).line())
    print(f"newsdesk on http://{host}:{port}/  (Ctrl-C stops)", flush=True)
    try:
        serve(settings, host=host, port=port, engine=engine)
    finally:
        wire.stop()
