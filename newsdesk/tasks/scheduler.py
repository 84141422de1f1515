"""The embedded scheduler: run ingest passes over due sources, forever, sleeping until the next one is due."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from newsdesk.config import Settings
from newsdesk.sources.host_budget import HostBudget
from newsdesk.store.db import Engine
from newsdesk.store.sources import next_checks
from newsdesk.tasks.ingest import fetch_pass
from newsdesk.tasks.retention import retention_step
from newsdesk.tasks.websub import maintain as maintain_websub

log = logging.getLogger(__name__)
IDLE_SECONDS = 30.0
RETRY_SECONDS = 5.0  # after a failed step


def seconds_until_next_due(engine: Engine) -> float:
    """How long until a source is due (0 if one is due now), capped at IDLE_SECONDS so new sources are seen soon."""
    with engine.connect() as conn:
        soonest, never = next_checks(conn)
    if never:
        return 0.0
    if soonest is None:
        return IDLE_SECONDS
    if soonest.tzinfo is None:
        soonest = soonest.replace(tzinfo=UTC)
    return max(0.0, min(IDLE_SECONDS, (soonest - datetime.now(UTC)).total_seconds()))


def _one_step(engine: Engine, settings: Settings) -> Callable[[], float]:
    """Embedded: run a pass here. Distributed: hand due sources (and lost checks) to the ingest workers. The step
    returns how long to wait before the next one."""
    if settings.queue == "redis":
        from newsdesk.tasks.dispatch import QUEUE_TICK_SECONDS
        from newsdesk.tasks.queue import build_queues, enqueue_due_sources

        queues = build_queues(settings)

        def hand_out() -> float:
            if handed := enqueue_due_sources(engine, queues):
                log.info("enqueued %d source checks", handed)
            return QUEUE_TICK_SECONDS  # lost checks come due without a next_check_at: look again soon

        return hand_out
    from newsdesk.tasks.extraction_pool import ExtractionPool
    from newsdesk.tasks.understanding import UnderstandingStage

    stage = UnderstandingStage(engine, settings)  # built once: its indexes stay in memory between passes
    extractor = ExtractionPool(settings)  # likewise: its processes and their models outlive a pass
    budget = HostBudget(settings.schedule_host_per_minute)  # likewise: a host's checks of the last minute count
    def run_pass() -> float:
        log.info("pass: %s", fetch_pass(engine, settings, stage=stage, extractor=extractor, budget=budget).line())
        return seconds_until_next_due(engine)

    return run_pass


def run_forever(engine: Engine, settings: Settings, stop: threading.Event | None = None) -> None:
    """Step after step until ``stop`` is set; a failing step (a bad pass, the database or Redis restarting) is
    logged and the loop goes on after a short wait."""
    stop = stop or threading.Event()
    step = _one_step(engine, settings)
    retention = retention_step(engine, settings)
    while not stop.is_set():
        try:
            retention()
            wait = step()
            maintain_websub(engine, settings)  # WebSub (un)subscriptions and lease renewals, when push is on
        except Exception:  # a bad step must not end the scheduler; the error is logged with its traceback
            log.exception("ingest step failed")
            wait = RETRY_SECONDS
        stop.wait(max(1.0, wait))


def start_in_background(engine: Engine, settings: Settings) -> threading.Event:
    """Run the scheduler in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(engine, settings, stop), name="newsdesk-scheduler",
                     daemon=True).start()
    return stop
