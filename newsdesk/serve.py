"""Running the web app: uvicorn with the embedded scheduler beside it (``newsdesk run`` builds on it: run_demo.py).

The server is hardened for facing the internet directly or behind a proxy: request headers must arrive within
``web_header_timeout_seconds``, idle keep-alive connections close after ``web_keep_alive_seconds``, open connections
are capped (overall and per client, see :mod:`newsdesk.web.http.connections`) below the open-file limit, which is raised
to its hard limit at start, and uvicorn's own X-Forwarded-* handling is off (the app believes those headers only
from ``web_trusted_proxies``, see :mod:`newsdesk.web.http.proxies`).
"""

from __future__ import annotations

import logging
import resource
import socket

import uvicorn
from starlette.types import ASGIApp

from newsdesk.config import Settings
from newsdesk.serve_workers import listening_socket, supervise, worker_count
from newsdesk.store.db import Engine, open_store
from newsdesk.web.http.connections import ConnectionLimits, limited_protocol
from newsdesk.web.http.proxies import proxy_networks

log = logging.getLogger(__name__)
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


def serve(settings: Settings, *, host: str, port: int, scheduler: bool = True, engine: Engine | None = None,
          sock: socket.socket | None = None) -> None:
    """Serve the web app from ``web_workers`` processes (see :mod:`newsdesk.serve_workers`), on ``sock`` when the
    caller bound the port already; with ``scheduler`` the sources are polled in a background thread of one of them."""
    open_files = raise_open_files_limit()
    engine = engine or open_store(settings.database_url)
    workers = worker_count(settings.web_workers)

    def run(bound: socket.socket | None, with_scheduler: bool) -> None:
        serve_process(settings, engine, host=host, port=port, open_files=open_files, scheduler=with_scheduler,
                      sock=bound)

    if workers == 1:
        run(sock, scheduler)
        return
    backlog = accept_backlog(open_files, connection_cap(settings.web_max_connections, open_files))
    if sock is None:
        sock = listening_socket(host, port, backlog)
    else:
        sock.listen(backlog)
        sock.set_inheritable(True)
    supervise(run, sock, engine, workers, scheduler)


def serve_process(settings: Settings, engine: Engine, *, host: str, port: int, open_files: int, scheduler: bool,
                  sock: socket.socket | None) -> None:
    """One serving process: the app over ``engine``, on ``sock`` when the parent bound it (else on host:port)."""
    from newsdesk.tasks.scheduler import start_in_background
    from newsdesk.web.app import create_app

    app = create_app(settings, engine)
    stop = start_in_background(engine, settings) if scheduler and settings.queue == "embedded" else None
    try:
        uvicorn.Server(server_config(app, settings, host=host, port=port, open_files=open_files)).run(
            sockets=[sock] if sock is not None else None)
    finally:
        if stop is not None:
            stop.set()


def add_demo_sources(engine: Engine, sources: list) -> int:
    """Register the demo newswire's publishers as sources; returns how many were new."""
    from newsdesk.store.sources import add_source

    created = 0
    with engine.begin() as conn:
        for src in sources:
            _, new = add_source(conn, src.feed_url, kind="sitemap" if src.feed_url.endswith("sitemap.xml") else "feed",
                                name=src.name, site_url=src.site_url, language=src.language, region=src.region)
            created += new
    return created
