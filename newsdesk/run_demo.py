"""``newsdesk run`` (``make run``): the demo newswire, its publishers as sources, and the web app, up at once.

Both ports are taken before any other work (a busy one is a :class:`PortBusy` naming it and how to choose
another); the web app serves from the first second, its home page saying it is ingesting, while the first pass runs
beside it with its progress on the terminal; then the scheduler keeps polling. The demo releases an article a
minute, so in this mode every source is polled every minute unless the schedule settings say otherwise.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.config import Settings

if TYPE_CHECKING:
    from newsdesk.demo.server import DemoNewswire
    from newsdesk.store.db import Engine

log = logging.getLogger(__name__)
LOOPBACK = "127.0.0.0/8"
DEMO_POLL_SECONDS = 60  # the demo wire's release interval (``DemoNewswire(release_every=60)``)
STOP_WAIT_SECONDS = 2.0  # how long Ctrl-C waits for a pass to notice before the process exits anyway


class PortBusy(Exception):
    """A port ``newsdesk run`` or ``serve`` needs is taken; the message names it and the way to choose another."""


@dataclass(frozen=True)
class PortRole:
    """What a port is for, and how a user picks another one (``make`` variable, if any, and option)."""

    what: str
    command: str
    option: str
    make_variable: str | None = None

    def busy(self, host: str, port: int, exc: OSError) -> PortBusy:
        other = port + 1
        how = f"newsdesk {self.command} {self.option} {other}"
        if self.make_variable:
            how = f"make run {self.make_variable}={other}  (or {how})"
        return PortBusy(f"port {port} on {host} ({self.what}) is in use ({exc.strerror or exc}); choose another: "
                        f"{how}")


WEB_PORT = PortRole("the web app", "run", "--port", "PORT")
DEMO_PORT = PortRole("the demo newswire", "run", "--demo-port", "DEMO_PORT")
SERVE_PORT = PortRole("the web app", "serve", "--port")


def claim_port(host: str, port: int, role: PortRole = WEB_PORT) -> socket.socket:
    """Bind ``host:port`` now (uvicorn listens on this very socket later, so no one can take it meanwhile)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY: see serve_workers
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a just-closed server's port is fine
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise role.busy(host, port, exc) from exc
    return sock


def start_demo_wire(port: int) -> DemoNewswire:
    """Start the demo newswire's servers (one per publisher on 127.0.0.11-18:``port``)."""
    from newsdesk.demo.server import DemoNewswire

    wire = DemoNewswire()
    try:
        wire.start_servers(port=port)
    except OSError as exc:
        wire.stop()
        raise DEMO_PORT.busy("127.0.0.11-18", port, exc) from exc
    return wire


def demo_settings(settings: Settings) -> Settings:
    """The settings of ``newsdesk run``: loopback fetching allowed (the demo lives on 127.0.0.x), no politeness
    delay toward it, and sources polled every minute (as often as the demo releases news) unless the schedule
    settings were set."""
    changes: dict[str, object] = {"web_workers": 1}  # the pass runs in a thread here: no forking beside it
    if LOOPBACK not in settings.fetch_allow_networks:
        changes["fetch_allow_networks"] = (*settings.fetch_allow_networks, LOOPBACK)
    if "fetch_per_host_delay" not in settings.sources:
        changes["fetch_per_host_delay"] = 0.0
    if not {"schedule_min_interval", "schedule_max_interval"} & set(settings.sources):
        changes["schedule_min_interval"] = DEMO_POLL_SECONDS
        changes["schedule_max_interval"] = DEMO_POLL_SECONDS
    return settings.replace(**changes)


def _ingest(engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """The first pass with its progress on the terminal, then the scheduler until ``stop``."""
    from newsdesk.run_progress import first_pass_progress
    from newsdesk.tasks.ingest import fetch_pass
    from newsdesk.tasks.scheduler import run_forever

    try:
        with first_pass_progress(engine) as progress:
            summary = fetch_pass(engine, settings, progress=progress)
        print(f"first pass done: {summary.line()}", flush=True)
    except Exception:  # the web app stays up; the scheduler retries what failed
        log.exception("first ingest pass failed")
    run_forever(engine, settings, stop)


def run_with_demo(settings: Settings, *, web: socket.socket, wire: DemoNewswire, host: str, port: int) -> None:
    """Register the demo's publishers, serve the web app on ``web`` at once, and ingest beside it."""
    from newsdesk.serve import add_demo_sources, serve
    from newsdesk.store.db import open_store

    settings = demo_settings(settings)
    engine = open_store(settings.database_url)
    added = add_demo_sources(engine, wire.sources())
    print(f"demo newswire: {len(wire.sources())} publishers on 127.0.0.11-18 ({added} new sources)")
    print(f"newsdesk on http://{host}:{port}/  (Ctrl-C stops); first ingest pass (fetch, extract, cluster, "
          f"summarise) running…", flush=True)
    stop = threading.Event()
    ingest = threading.Thread(target=_ingest, args=(engine, settings, stop), name="ingest", daemon=True)
    ingest.start()
    try:
        serve(settings, host=host, port=port, engine=engine, scheduler=False, sock=web)
    finally:
        stop.set()
        wire.stop()
        _stop_now(ingest)


def _stop_now(ingest: threading.Thread) -> None:
    """Ctrl-C in the middle of a pass: exit now rather than when the pass ends (its worker threads would hold the
    interpreter's exit). What the pass stored stays; the rest is fetched and understood at the next start."""
    ingest.join(timeout=STOP_WAIT_SECONDS)
    if ingest.is_alive():
        print("stopped in the middle of an ingest pass; it goes on at the next start", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(130)
