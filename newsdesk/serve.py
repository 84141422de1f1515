"""Running the web app: uvicorn with the embedded scheduler beside it, and ``newsdesk run`` (the demo set-up).

The server is hardened for facing the internet directly or behind a proxy: request headers must arrive within
``web_header_timeout_seconds``, idle keep-alive connections close after ``web_keep_alive_seconds``, open connections
are capped (overall and per client, see :mod:`newsdesk.web.http.connections`) below the open-file limit, which is raised
to its hard limit at start, and uvicorn's own X-Forwarded-* handling is off (the app believes those headers only
from ``web_trusted_proxies``, see :mod:`newsdesk.web.http.proxies`).
"""

from __future__ import annotations

import logging
import resource

import sqlalchemy as sa
import uvicorn
from starlette.types import ASGIApp

from newsdesk.config import Settings
from newsdesk.store.db import open_store
from newsdesk.web.http.connections import ConnectionLimits, limited_protocol
from newsdesk.web.http.proxies import proxy_networks

log = logging.getLogger(__name__)
LOOPBACK = "127.0.0.0/8"
FILES_KEPT_FOR_THE_REST = 256  # database files, logs, outgoing fetches: descriptors connections may not take
FILES_AT_REST = 32  # what the process holds before any connection (interpreter, epoll, listening socket, SQLite)
MAX_BACKLOG = 2048  # uvicorn's default


def raise_open_files_limit() -> int:
    """Raise the soft limit on open files to the hard one (a default of 1,024 is few for a server); returns the
    soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return soft if soft != resource.RLIM_INFINITY else wanted
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError) as exc:
        log.warning("open-file limit stays at %d: %s", soft, exc)
        return soft
    return wanted


def connection_cap(wanted: int, open_files: int) -> int:
    """``web_max_connections`` lowered so that connections never take the descriptors the rest of the process
    needs (at least half of the limit is left to connections even when it is small)."""
    return max(1, min(wanted, open_files - min(FILES_KEPT_FOR_THE_REST, open_files // 2)))


def accept_backlog(open_files: int, cap: int) -> int:
    """How many connections are accepted in one burst (the listen backlog, which asyncio also uses as the number
    of accept() calls per event-loop turn). A connection refused over the cap still holds a descriptor for the few
    turns its close takes, so a burst must fit in what the cap leaves, or accept() fails with EMFILE."""
    spare = open_files - cap - FILES_AT_REST
    return max(8, min(MAX_BACKLOG, spare // 4))


def server_config(app: ASGIApp, settings: Settings, *, host: str, port: int, open_files: int) -> uvicorn.Config:
    """The uvicorn configuration ``serve`` runs: header deadline, keep-alive, connection caps, no proxy headers."""
    cap = connection_cap(settings.web_max_connections, open_files)
    limits = ConnectionLimits(header_timeout=settings.web_header_timeout_seconds, max_connections=cap,
                              body_timeout=settings.web_body_timeout_seconds,
                              max_per_client=settings.web_max_connections_per_client,
                              exempt=proxy_networks(settings.web_trusted_proxies))
    return uvicorn.Config(app, host=host, port=port, log_level="warning", http=limited_protocol(limits),
                          timeout_keep_alive=settings.web_keep_alive_seconds, proxy_headers=False,
                          server_header=False, backlog=accept_backlog(open_files, cap),
                          log_config=None if settings.log_format == "json" else uvicorn.config.LOGGING_CONFIG)


def serve(settings: Settings, *, host: str, port: int, scheduler: bool = True, engine: sa.Engine | None = None) -> None:
    """Serve the web app; with ``scheduler`` the sources are polled in a background thread of the same process."""
    from newsdesk.tasks.scheduler import start_in_background
    from newsdesk.web.app import create_app

    open_files = raise_open_files_limit()
    engine = engine or open_store(settings.database_url)
    app = create_app(settings, engine)
    stop = start_in_background(engine, settings) if scheduler and settings.queue == "embedded" else None
    try:
        uvicorn.Server(server_config(app, settings, host=host, port=port, open_files=open_files)).run()
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
